using System.Globalization;
using TradeNet.Logistics.Domain;

namespace TradeNet.Logistics.Planning;

/// <summary>
/// What the next planning run would offer of one vehicle, and why: a coordinator whose van got no route asks it. The
/// same rule as the runs (<see cref="VehicleBookings.FreeFrom"/> with the drivers' <see cref="DutyRules"/> and the
/// vehicle's <see cref="WorkingHours"/>), told. <see cref="From"/> null: from when the run plans (or the vehicle's own
/// start); <see cref="Until"/> null: until its availability or the planning horizon ends; <see cref="MaxRouteHours"/>: the
/// longest route that run may give it (null: no limit).
/// </summary>
public sealed record NextRun(string VehicleId, string State, bool Offered, DateTimeOffset? From, double? MaxRouteHours, string Message,
    DateTimeOffset? Until = null)
{
    public const string Free = "free", OnRoute = "onRoute", DayLeft = "dayLeft", Resting = "resting", Late = "late", Unavailable = "unavailable",
        OffHours = "offHours";

    /// <param name="shipments">The vehicle's active shipments and those ended lately (<c>ShipmentsOfVehicleAsync</c>).</param>
    public static NextRun Of(Vehicle vehicle, IReadOnlyList<Shipment> shipments, DateTimeOffset now, DutyRules duty, Func<Vehicle, double?> routeHours)
    {
        // What every run leaves out whatever its routes (FleetShipmentPlanner): told "free" before, as if it were offered.
        if (vehicle.AvailableUntil is { } until && until <= now)
            return new(vehicle.Id, Unavailable, false, null, null, $"Its availability ended ({Time(until)}): runs leave it out. " +
                "Give it a new window (PUT) or withdraw it.");
        if (!vehicle.WithinLimits)
            return new(vehicle.Id, Unavailable, false, null, null, "Its stored capacity, volume, costs or route hours are outside the " +
                "limits registration now checks: runs leave it out until a PUT brings them within.");
        var active = shipments.Where(s => s.Status is ShipmentStatus.Planned or ShipmentStatus.PickedUp && s.Stops.Count > 0).ToList();
        var ended = shipments.Where(s => s.Status is ShipmentStatus.Delivered or ShipmentStatus.Failed).ToList();
        // First what its routes and duty leave, as if it worked any hour; then what its working hours make of that.
        var (told, before) = Booked(vehicle with { WorkingHours = null }, active, ended, now, duty, routeHours);
        if (vehicle.WorkingHours is not { } hours || before is null) return told;

        var zone = WorkingHours.FindZone(hours.TimeZone);
        if (zone is null)
            return new(vehicle.Id, OffHours, false, null, null, $"Its working hours' time zone ({hours.TimeZone}) is not in this system's " +
                "zone data: runs leave it out until it is installed (tzdata) or the vehicle's working hours name another zone.");
        if (VehicleBookings.FreeFrom([vehicle], active, now, duty, ended) is not [var offered])
            return new(vehicle.Id, OffHours, false, null, null, $"Its working hours ({hours}) leave it no working day before its availability " +
                $"ends ({Time(vehicle.AvailableUntil)}): runs leave it out.");

        var limit = Limit(routeHours(offered));
        var within = $"within its working hours ({hours})";
        var freeFrom = before.AvailableFrom is { } f && f > now ? f : now;
        if (offered.AvailableFrom > freeFrom)
            return new(vehicle.Id, OffHours, true, offered.AvailableFrom, routeHours(offered),
                $"Outside its working hours ({hours}) until {Local(offered.AvailableFrom, zone)}: offered from then to " +
                $"{Local(offered.AvailableUntil, zone)}, for {limit}." +
                (told.State == Free ? "" : $" Its routes alone would have it: {told.Message}"), offered.AvailableUntil);
        return told with
        {
            Until = offered.AvailableUntil, MaxRouteHours = routeHours(offered),
            Message = $"{told.Message} Only {within}: back home by {Local(offered.AvailableUntil, zone)}.",
        };
    }

    /// <summary>The runs' rule for its routes and duty, told; with the vehicle so offered (null: not offered).</summary>
    private static (NextRun Told, Vehicle? Offered) Booked(Vehicle vehicle, List<Shipment> active, List<Shipment> ended, DateTimeOffset now,
        DutyRules duty, Func<Vehicle, double?> routeHours)
    {
        DateTimeOffset? back = active.Count == 0 ? null : active.Max(s => s.Stops[^1].Eta);
        var offered = VehicleBookings.FreeFrom([vehicle], active, now, duty, ended);
        if (offered.Count == 0)
            return (back <= now
                ? new(vehicle.Id, Late, false, null, null, $"A route should have brought it home by {Time(back.Value)}: runs leave it out until its " +
                    "carrier reports that route's shipments delivered or failed.")
                : new(vehicle.Id, Unavailable, false, null, null, $"Its availability ends ({Time(vehicle.AvailableUntil)}) before it is free again."), null);

        var next = offered[0];
        var hours = routeHours(next);
        var limit = Limit(hours);
        if (next == vehicle) return (new(vehicle.Id, Free, true, vehicle.AvailableFrom, hours, $"Offered as registered, for {limit}.", next.AvailableUntil), next);
        var dayLeft = next.MaxRouteHours != vehicle.MaxRouteHours;
        if (back is { } home && next.AvailableFrom == home)
            return (new(vehicle.Id, OnRoute, true, home, hours, $"On a route until {Time(home)}; offered from then, for {limit}" +
                (dayLeft ? ", what its working day has left." : "."), next.AvailableUntil), next);
        if (dayLeft)
            return (new(vehicle.Id, DayLeft, true, next.AvailableFrom, hours, $"Its routes since its last full rest leave {limit} today.",
                next.AvailableUntil), next);
        return (new(vehicle.Id, Resting, true, next.AvailableFrom, hours, $"Its routes since its last full rest used its working day: " +
            $"it rests {Hours(duty.Rest.TotalHours)} h and is offered from {Time(next.AvailableFrom)}, for {limit}.", next.AvailableUntil), next);
    }

    private static string Limit(double? hours) => hours is { } h ? $"routes of at most {Hours(h)} h" : "routes of any length";

    /// <summary>"2026-12-07 07:00 Europe/Paris (06:00 UTC)": the driver's clock, and the instant.</summary>
    private static string Local(DateTimeOffset? at, TimeZoneInfo zone) => at is { } t
        ? $"{TimeZoneInfo.ConvertTime(t, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} {zone.Id} " +
            $"({t.ToUniversalTime().ToString("HH:mm", CultureInfo.InvariantCulture)} UTC)"
        : "its availability's end";

    private static string Time(DateTimeOffset? at) => at is { } t ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "never";

    private static string Hours(double hours) => Math.Round(hours, 1).ToString("0.#", CultureInfo.InvariantCulture);
}
