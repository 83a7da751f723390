using TradeNet.Logistics.Domain;

namespace TradeNet.Logistics.Planning;

/// <summary>A vehicle already sent on a route is not free again until that route brings it home: each run plans on
/// what the earlier runs left, or two runs would give one van two routes at the same hours.</summary>
public static class VehicleBookings
{
    /// <summary>The fleet as a new run may use it: a vehicle with active shipments (planned or picked up) is available
    /// from the return to its home of the latest such route (every shipment carries its route's stops, the last one the
    /// return), and left out when that is past its availability — or already past while its shipments are still
    /// active: it is late, and when it will be back is unknown until its carrier reports.</summary>
    /// <remarks>With <paramref name="duty"/>, a vehicle back from routes that used its working day first rests: see
    /// <see cref="DutyRules"/>.</remarks>
    public static IReadOnlyList<Vehicle> FreeFrom(IReadOnlyList<Vehicle> fleet, IEnumerable<Shipment> active, DateTimeOffset now,
        DutyRules? duty = null)
    {
        var routes = active.Where(s => s.Stops.Count > 0)
            .GroupBy(s => s.VehicleId)
            .ToDictionary(g => g.Key, g => g.GroupBy(s => s.RouteId)
                .Select(r => (Leaves: r.Min(s => s.Stops[0].Eta), Back: r.Max(s => s.Stops[^1].Eta))).OrderByDescending(r => r.Back).ToList());
        var rules = duty ?? DutyRules.None;
        var free = new List<Vehicle>(fleet.Count);
        foreach (var vehicle in fleet)
        {
            if (!routes.TryGetValue(vehicle.Id, out var its)) free.Add(vehicle);
            else if (its[0].Back <= now) continue; // late on its route
            // Its own hours begin after a full rest: a new duty, as registered.
            else if (vehicle.AvailableFrom >= its[0].Back + rules.Rest) free.Add(vehicle);
            else if (rules.Next(vehicle, its) is var (from, hours) && (vehicle.AvailableUntil is not { } until || until > from))
                free.Add(vehicle with { AvailableFrom = vehicle.AvailableFrom > from ? vehicle.AvailableFrom : from, MaxRouteHours = hours ?? vehicle.MaxRouteHours });
        }
        return free;
    }

    /// <summary>
    /// The hours a re-plan of one of the vehicle's routes may use: from the return of its other active routes that
    /// leave before this one, until the departure of the first that leaves after it (within its availability). The
    /// re-plan thus stays in the route's own slot, and the goods of the routes around it keep their times. Null when
    /// nothing is left in between, or when a route before it is late (when the vehicle will be back is unknown).
    /// </summary>
    public static Vehicle? FreeAround(Vehicle vehicle, Guid routeId, IEnumerable<Shipment> active, DateTimeOffset now)
    {
        var routes = active.Where(s => s.VehicleId == vehicle.Id && s.Stops.Count > 0)
            .GroupBy(s => s.RouteId)
            .ToDictionary(g => g.Key, g => (Leaves: g.Min(s => s.Stops[0].Eta), Back: g.Max(s => s.Stops[^1].Eta)));
        // A route that is not active any more has nothing to re-plan; then every other route counts as before it.
        var leaves = routes.TryGetValue(routeId, out var own) ? own.Leaves : DateTimeOffset.MaxValue;
        var (from, until) = (vehicle.AvailableFrom, vehicle.AvailableUntil);
        foreach (var (id, other) in routes)
        {
            if (id == routeId) continue;
            if (other.Leaves < leaves)
            {
                if (other.Back <= now) return null; // late on that route
                if (from is not { } f || f < other.Back) from = other.Back;
            }
            else if (until is not { } u || u > other.Leaves) until = other.Leaves;
        }
        if (until is { } end && (end <= now || from >= end)) return null;
        return vehicle with { AvailableFrom = from, AvailableUntil = until };
    }
}
