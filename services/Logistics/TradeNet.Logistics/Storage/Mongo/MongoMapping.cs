using TradeNet.Contracts;
using TradeNet.Logistics.Domain;

namespace TradeNet.Logistics.Storage.Mongo;

/// <summary>Domain records ↔ documents. Status names are the API's camelCase names.</summary>
internal static class MongoMapping
{
    public static string Name(ShipmentStatus status) => Sqlite.SqliteRows.Name(status);

    public static string Name(TransferStatus status) => Sqlite.SqliteRows.Name(status);

    private static DateTime Utc(DateTimeOffset at) => at.UtcDateTime;

    private static DateTime? Utc(DateTimeOffset? at) => at?.UtcDateTime;

    private static DateTimeOffset At(DateTime utc) => new(DateTime.SpecifyKind(utc, DateTimeKind.Utc));

    private static DateTimeOffset? At(DateTime? utc) => utc is { } t ? At(t) : null;

    public static TransferDocument ToDocument(TransferOrder t) => new()
    {
        Id = t.Id, TradeId = t.TradeId, LegIndex = t.LegIndex, FromTown = t.FromTown, ToTown = t.ToTown,
        From = new() { Lat = t.From.Lat, Lon = t.From.Lon }, To = new() { Lat = t.To.Lat, Lon = t.To.Lon },
        Category = t.Category, Quantity = t.Quantity, WeightKg = t.WeightKg,
        WindowFrom = Utc(t.WindowFrom), WindowUntil = Utc(t.WindowUntil), Status = Name(t.Status), CreatedAt = Utc(t.CreatedAt),
        Attempts = t.Attempts, LastFailureReason = t.LastFailureReason, LastFailedAt = Utc(t.LastFailedAt),
    };

    public static TransferOrder ToDomain(TransferDocument d) => new(
        d.Id, d.TradeId, d.LegIndex, d.FromTown, d.ToTown, new TradePoint(d.From.Lat, d.From.Lon), new TradePoint(d.To.Lat, d.To.Lon),
        d.Category, d.Quantity, d.WeightKg, At(d.WindowFrom), At(d.WindowUntil),
        Enum.Parse<TransferStatus>(d.Status, ignoreCase: true), At(d.CreatedAt), d.Attempts, d.LastFailureReason, At(d.LastFailedAt));

    public static ShipmentDocument ToDocument(Shipment s) => new()
    {
        Id = s.Id, TradeId = s.TradeId, LegIndex = s.LegIndex, TransferId = s.TransferId, FromTown = s.FromTown,
        ToTown = s.ToTown, CarrierTown = s.CarrierTown, VehicleId = s.VehicleId, RouteId = s.RouteId, Status = Name(s.Status),
        DistanceKm = s.DistanceKm, Cost = s.Cost, Eta = Utc(s.Eta),
        Stops = s.Stops.Select(x => new StopDocument { Sequence = x.Sequence, TownId = x.TownId, Action = x.Action, Eta = Utc(x.Eta) }).ToList(),
        CreatedAt = Utc(s.CreatedAt), PickedUpAt = Utc(s.PickedUpAt), DeliveredAt = Utc(s.DeliveredAt), FailedAt = Utc(s.FailedAt),
        FailureReason = s.FailureReason, CancelledAt = Utc(s.CancelledAt), Version = s.Version,
        DirectTripReason = s.DirectTrip?.Code, DirectTripDetail = s.DirectTrip?.Detail,
    };

    public static Shipment ToDomain(ShipmentDocument d) => new(
        d.Id, d.TradeId, d.LegIndex, d.TransferId, d.FromTown, d.ToTown, d.CarrierTown, d.VehicleId, d.RouteId,
        Enum.Parse<ShipmentStatus>(d.Status, ignoreCase: true), d.DistanceKm, d.Cost, At(d.Eta),
        d.Stops.Select(x => new ShipmentStop(x.Sequence, x.TownId, x.Action, At(x.Eta))).ToArray(),
        At(d.CreatedAt), At(d.PickedUpAt), At(d.DeliveredAt), At(d.FailedAt), d.FailureReason, At(d.CancelledAt), d.Version,
        d.DirectTripReason is { } code ? new DirectTripReason(code, d.DirectTripDetail) : null);

    public static VehicleDocument ToDocument(Vehicle v) => new()
    {
        Id = v.Id, HomeTown = v.HomeTown, Home = new() { Lat = v.Home.Lat, Lon = v.Home.Lon }, Name = v.Name,
        CapacityKg = v.CapacityKg, VolumeM3 = v.VolumeM3, Chilled = v.Chilled, CostPerKm = v.CostPerKm, FixedCost = v.FixedCost,
        AvailableFrom = Utc(v.AvailableFrom), AvailableUntil = Utc(v.AvailableUntil), CreatedAt = Utc(v.CreatedAt), UpdatedAt = Utc(v.UpdatedAt),
        MaxRouteHours = v.MaxRouteHours,
        WorkingHours = v.WorkingHours is { } w
            ? new() { Start = WorkingHours.Format(w.Start), End = WorkingHours.Format(w.End), TimeZone = w.TimeZone, Days = [.. w.DayList] }
            : null,
    };

    public static Vehicle ToDomain(VehicleDocument d) => new(
        d.Id, d.HomeTown, new TradePoint(d.Home.Lat, d.Home.Lon), d.Name, d.CapacityKg, d.VolumeM3, d.Chilled, d.CostPerKm,
        d.FixedCost, At(d.AvailableFrom), At(d.AvailableUntil), At(d.CreatedAt), At(d.UpdatedAt), d.MaxRouteHours,
        d.WorkingHours is { } w
            ? new WorkingHours(WorkingHours.ParseTime(w.Start)!.Value, WorkingHours.ParseTime(w.End)!.Value, w.TimeZone, WorkingHours.DaysOf(w.Days))
            : null);

    public static VehicleRegistrationDocument ToDocument(VehicleRegistration r) => new()
    {
        Id = r.Id, Caller = r.Caller, Key = r.Key, VehicleId = r.VehicleId, Fingerprint = r.Fingerprint, At = Utc(r.At),
    };

    public static VehicleRegistration ToDomain(VehicleRegistrationDocument d) => new(d.Caller, d.Key, d.VehicleId, d.Fingerprint, At(d.At));

    public static TownStandingDocument ToDocument(TownStanding t) => new()
    {
        TownId = t.TownId, Suspended = t.Suspended, At = Utc(t.At), Reason = t.Reason,
    };

    public static TownStanding ToDomain(TownStandingDocument d) => new(d.TownId, d.Suspended, At(d.At), d.Reason);
}
