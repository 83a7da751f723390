using System.Globalization;
using TradeNet.Logistics.Domain;

namespace TradeNet.Logistics.Planning;

/// <summary>
/// What the next planning run would offer of one vehicle, and why: a coordinator whose van got no route asks it. The
/// same rule as the runs (<see cref="VehicleBookings.FreeFrom"/> with the drivers' <see cref="DutyRules"/>), told.
/// <see cref="From"/> null: from when the run plans (or the vehicle's own start); <see cref="MaxRouteHours"/>: the longest
/// route that run may give it (null: no limit).
/// </summary>
public sealed record NextRun(string VehicleId, string State, bool Offered, DateTimeOffset? From, double? MaxRouteHours, string Message)
{
    public const string Free = "free", OnRoute = "onRoute", DayLeft = "dayLeft", Resting = "resting", Late = "late", Unavailable = "unavailable";

    /// <param name="shipments">The vehicle's active shipments and those ended lately (<c>ShipmentsOfVehicleAsync</c>).</param>
    public static NextRun Of(Vehicle vehicle, IReadOnlyList<Shipment> shipments, DateTimeOffset now, DutyRules duty, Func<Vehicle, double?> routeHours)
    {
        var active = shipments.Where(s => s.Status is ShipmentStatus.Planned or ShipmentStatus.PickedUp && s.Stops.Count > 0).ToList();
        var ended = shipments.Where(s => s.Status is ShipmentStatus.Delivered or ShipmentStatus.Failed).ToList();
        DateTimeOffset? back = active.Count == 0 ? null : active.Max(s => s.Stops[^1].Eta);
        var offered = VehicleBookings.FreeFrom([vehicle], active, now, duty, ended);
        if (offered.Count == 0)
            return back <= now
                ? new(vehicle.Id, Late, false, null, null, $"A route should have brought it home by {Time(back.Value)}: runs leave it out until its " +
                    "carrier reports that route's shipments delivered or failed.")
                : new(vehicle.Id, Unavailable, false, null, null, $"Its availability ends ({Time(vehicle.AvailableUntil)}) before it is free again.");

        var next = offered[0];
        var hours = routeHours(next);
        var limit = hours is { } h ? $"routes of at most {Hours(h)} h" : "routes of any length";
        if (next == vehicle) return new(vehicle.Id, Free, true, vehicle.AvailableFrom, hours, $"Offered as registered, for {limit}.");
        var dayLeft = next.MaxRouteHours != vehicle.MaxRouteHours;
        if (back is { } home && next.AvailableFrom == home)
            return new(vehicle.Id, OnRoute, true, home, hours, $"On a route until {Time(home)}; offered from then, for {limit}" +
                (dayLeft ? ", what its working day has left." : "."));
        if (dayLeft)
            return new(vehicle.Id, DayLeft, true, next.AvailableFrom, hours, $"Its routes since its last full rest leave {limit} today.");
        return new(vehicle.Id, Resting, true, next.AvailableFrom, hours, $"Its routes since its last full rest used its working day: " +
            $"it rests {Hours(duty.Rest.TotalHours)} h and is offered from {Time(next.AvailableFrom)}, for {limit}.");
    }

    private static string Time(DateTimeOffset? at) => at is { } t ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "never";

    private static string Hours(double hours) => Math.Round(hours, 1).ToString("0.#", CultureInfo.InvariantCulture);
}
