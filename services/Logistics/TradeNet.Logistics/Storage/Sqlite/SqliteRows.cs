using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using TradeNet.Contracts;
using TradeNet.Logistics.Domain;

namespace TradeNet.Logistics.Storage.Sqlite;

/// <summary>Row ↔ record mapping. Times are stored as UTC ISO-8601 text, which also sorts correctly.</summary>
internal static class SqliteRows
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public const string TransferColumns =
        "id, trade_id, leg_index, from_town, to_town, from_lat, from_lon, to_lat, to_lon, category, quantity, weight_kg, window_from, window_until, status, created_at, attempts, last_failure_reason, last_failed_at";

    public const string ShipmentColumns =
        "id, trade_id, leg_index, transfer_id, from_town, to_town, carrier_town, vehicle_id, route_id, status, distance_km, cost, eta, stops, created_at, picked_up_at, delivered_at, failed_at, failure_reason, cancelled_at, version, direct_trip_reason, direct_trip_detail";

    public const string VehicleColumns =
        "id, home_town, home_lat, home_lon, name, capacity_kg, volume_m3, chilled, cost_per_km, fixed_cost, available_from, available_until, created_at, updated_at, max_route_hours, work_start, work_end, work_time_zone, work_days";

    public const string VehicleValues =
        "$id, $home, $homeLat, $homeLon, $name, $capacity, $volume, $chilled, $costPerKm, $fixedCost, $from, $until, $created, $updated, $maxRouteHours, $workStart, $workEnd, $workZone, $workDays";

    public static (string, object?)[] VehicleParameters(Vehicle v) =>
    [
        ("$id", v.Id), ("$home", v.HomeTown), ("$homeLat", v.Home.Lat), ("$homeLon", v.Home.Lon), ("$name", v.Name),
        ("$capacity", v.CapacityKg), ("$volume", v.VolumeM3), ("$chilled", v.Chilled ? 1 : 0), ("$costPerKm", v.CostPerKm),
        ("$fixedCost", v.FixedCost), ("$from", Time(v.AvailableFrom)), ("$until", Time(v.AvailableUntil)),
        ("$created", Time(v.CreatedAt)), ("$updated", Time(v.UpdatedAt)), ("$maxRouteHours", v.MaxRouteHours),
        ("$workStart", v.WorkingHours is { } w ? WorkingHours.Format(w.Start) : null),
        ("$workEnd", v.WorkingHours is { } e ? WorkingHours.Format(e.End) : null),
        ("$workZone", v.WorkingHours?.TimeZone), ("$workDays", v.WorkingHours is { } d ? string.Join(' ', d.DayList) : null),
    ];

    public static Vehicle ReadVehicle(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), new TradePoint(r.GetDouble(2), r.GetDouble(3)), r.IsDBNull(4) ? null : r.GetString(4),
        r.GetDouble(5), r.IsDBNull(6) ? null : r.GetDouble(6), r.GetInt64(7) != 0, r.GetDouble(8), r.GetDouble(9),
        ReadOptionalTime(r, 10), ReadOptionalTime(r, 11), ReadTime(r, 12), ReadTime(r, 13), r.IsDBNull(14) ? null : r.GetDouble(14),
        ReadWorkingHours(r, 15));

    /// <summary>Null in rows written before working hours existed, and for a vehicle that works any hour.</summary>
    private static WorkingHours? ReadWorkingHours(SqliteDataReader r, int i) => r.IsDBNull(i) ? null
        : new(WorkingHours.ParseTime(r.GetString(i))!.Value, WorkingHours.ParseTime(r.GetString(i + 1))!.Value, r.GetString(i + 2),
            WorkingHours.DaysOf(r.GetString(i + 3).Split(' ', StringSplitOptions.RemoveEmptyEntries)));

    public const string RegistrationColumns = "caller, request_key, vehicle_id, fingerprint, at";

    public static (string, object?)[] RegistrationParameters(VehicleRegistration r) =>
    [
        ("$caller", r.Caller), ("$key", r.Key), ("$vehicle", r.VehicleId), ("$fingerprint", r.Fingerprint), ("$at", Time(r.At)),
    ];

    public static VehicleRegistration ReadRegistration(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), ReadTime(r, 4));

    public const string StandingColumns = "town_id, suspended, at, reason";

    public static (string, object?)[] StandingParameters(TownStanding t) =>
        [("$town", t.TownId), ("$suspended", t.Suspended ? 1 : 0), ("$at", Time(t.At)), ("$reason", t.Reason)];

    public static TownStanding ReadStanding(SqliteDataReader r) =>
        new(r.GetString(0), r.GetInt64(1) != 0, ReadTime(r, 2), r.IsDBNull(3) ? null : r.GetString(3));

    public static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    public static string? Time(DateTimeOffset? at) => at is { } t ? Time(t) : null;

    private static DateTimeOffset ReadTime(SqliteDataReader r, int i) =>
        DateTimeOffset.Parse(r.GetString(i), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private static DateTimeOffset? ReadOptionalTime(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : ReadTime(r, i);

    public static (string, object?)[] TransferParameters(TransferOrder t) =>
    [
        ("$id", t.Id.ToString()), ("$trade", t.TradeId.ToString()), ("$leg", t.LegIndex),
        ("$from", t.FromTown), ("$to", t.ToTown), ("$fromLat", t.From.Lat), ("$fromLon", t.From.Lon),
        ("$toLat", t.To.Lat), ("$toLon", t.To.Lon), ("$category", t.Category), ("$quantity", t.Quantity),
        ("$weight", t.WeightKg), ("$windowFrom", Time(t.WindowFrom)), ("$windowUntil", Time(t.WindowUntil)),
        ("$status", Name(t.Status)), ("$created", Time(t.CreatedAt)), ("$attempts", t.Attempts),
        ("$lastFailure", t.LastFailureReason), ("$lastFailedAt", Time(t.LastFailedAt)),
    ];

    public static TransferOrder ReadTransfer(SqliteDataReader r) => new(
        Guid.Parse(r.GetString(0)), Guid.Parse(r.GetString(1)), r.GetInt32(2), r.GetString(3), r.GetString(4),
        new TradePoint(r.GetDouble(5), r.GetDouble(6)), new TradePoint(r.GetDouble(7), r.GetDouble(8)),
        r.GetString(9), r.GetDouble(10), r.GetDouble(11), ReadOptionalTime(r, 12), ReadOptionalTime(r, 13),
        ParseTransferStatus(r.GetString(14)), ReadTime(r, 15), r.GetInt32(16), r.IsDBNull(17) ? null : r.GetString(17),
        ReadOptionalTime(r, 18));

    public static (string, object?)[] ShipmentParameters(Shipment s) =>
    [
        ("$id", s.Id.ToString()), ("$trade", s.TradeId.ToString()), ("$leg", s.LegIndex), ("$transfer", s.TransferId.ToString()),
        ("$from", s.FromTown), ("$to", s.ToTown), ("$carrier", s.CarrierTown), ("$vehicle", s.VehicleId),
        ("$route", s.RouteId.ToString()), ("$status", Name(s.Status)), ("$distance", s.DistanceKm), ("$cost", s.Cost),
        ("$eta", Time(s.Eta)), ("$stops", JsonSerializer.Serialize(s.Stops, Json)), ("$created", Time(s.CreatedAt)),
        ("$pickedUp", Time(s.PickedUpAt)), ("$delivered", Time(s.DeliveredAt)), ("$failed", Time(s.FailedAt)),
        ("$reason", s.FailureReason), ("$cancelled", Time(s.CancelledAt)), ("$version", s.Version),
        ("$directReason", s.DirectTrip?.Code), ("$directDetail", s.DirectTrip?.Detail),
    ];

    public static Shipment ReadShipment(SqliteDataReader r) => new(
        Guid.Parse(r.GetString(0)), Guid.Parse(r.GetString(1)), r.GetInt32(2), Guid.Parse(r.GetString(3)),
        r.GetString(4), r.GetString(5), r.GetString(6), r.GetString(7), Guid.Parse(r.GetString(8)),
        ParseShipmentStatus(r.GetString(9)), r.GetDouble(10), r.GetDouble(11), ReadTime(r, 12),
        JsonSerializer.Deserialize<ShipmentStop[]>(r.GetString(13), Json) ?? [], ReadTime(r, 14),
        ReadOptionalTime(r, 15), ReadOptionalTime(r, 16), ReadOptionalTime(r, 17),
        r.IsDBNull(18) ? null : r.GetString(18), ReadOptionalTime(r, 19), r.GetInt64(20),
        r.IsDBNull(21) ? null : new DirectTripReason(r.GetString(21), r.IsDBNull(22) ? null : r.GetString(22)));

    public static async Task<List<T>> ReadAllAsync<T>(SqliteCommand command, Func<SqliteDataReader, T> read, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<T>();
        while (await reader.ReadAsync(ct)) rows.Add(read(reader));
        return rows;
    }

    // Stored names match the API's camelCase names, so a look at the file reads like the API.
    public static string Name(ShipmentStatus status) => JsonNamingPolicy.CamelCase.ConvertName(status.ToString());

    public static string Name(TransferStatus status) => JsonNamingPolicy.CamelCase.ConvertName(status.ToString());

    private static ShipmentStatus ParseShipmentStatus(string value) => Enum.Parse<ShipmentStatus>(value, ignoreCase: true);

    private static TransferStatus ParseTransferStatus(string value) => Enum.Parse<TransferStatus>(value, ignoreCase: true);
}
