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
    /// <remarks>With <paramref name="duty"/>, a vehicle whose routes (active ones and <paramref name="ended"/> ones, delivered
    /// or failed lately) used its working day first rests: see <see cref="DutyRules"/>. A vehicle with working hours is then
    /// offered inside one working day (<see cref="WorkingDays"/>).</remarks>
    public static IReadOnlyList<Vehicle> FreeFrom(IReadOnlyList<Vehicle> fleet, IEnumerable<Shipment> active, DateTimeOffset now,
        DutyRules? duty = null, IEnumerable<Shipment>? ended = null)
    {
        var rules = duty ?? DutyRules.None;
        var busy = Routes(active);
        var done = Routes(ended ?? []);
        var free = new List<Vehicle>(fleet.Count);
        foreach (var vehicle in fleet)
        {
            var its = busy.GetValueOrDefault(vehicle.Id);
            if (its is not null && its[0].Back <= now) continue; // late on its route
            // Ended routes count only within the lookback of the time it is back (fixed by what is stored, not by when
            // the run reads, so the run's two reads offer the vehicle alike).
            var back = its?[0].Back;
            // A route with a shipment still active is active, though others of it were delivered.
            var all = (its ?? []).Concat((done.GetValueOrDefault(vehicle.Id) ?? []).Where(r => its is null || its.All(a => a.Route != r.Route)))
                .Where(r => back is null || r.Back >= back.Value - rules.Lookback).OrderByDescending(r => r.Back)
                .Select(r => (r.Leaves, r.Back)).ToList();
            if (OfferedAsBooked(vehicle, back, all, now, rules) is not { } offered || WorkingDays.Within(offered, now) is not { } inDay) continue;
            // A working day that starts after a full rest starts a new duty: the day before's remainder no longer bounds it.
            free.Add(all.Count > 0 && inDay.AvailableFrom >= all[0].Back + rules.Rest ? inDay with { MaxRouteHours = vehicle.MaxRouteHours } : inDay);
        }
        return free;
    }

    /// <summary>What its routes and duty leave of the vehicle, before its working hours (<see cref="WorkingDays"/>).</summary>
    private static Vehicle? OfferedAsBooked(Vehicle vehicle, DateTimeOffset? back, List<(DateTimeOffset Leaves, DateTimeOffset Back)> all,
        DateTimeOffset now, DutyRules rules)
    {
        if (all.Count == 0 || vehicle.AvailableFrom >= all[0].Back + rules.Rest) return vehicle; // a new duty, as registered
        var (from, hours) = rules.Next(vehicle, all, back ?? now);
        if (vehicle.AvailableUntil is { } until && until <= from) return null;
        // An idle vehicle free now keeps its own start: "now" differs between the run's two reads.
        var start = back is null && from <= now ? vehicle.AvailableFrom : vehicle.AvailableFrom > from ? vehicle.AvailableFrom : from;
        return vehicle with { AvailableFrom = start, MaxRouteHours = hours ?? vehicle.MaxRouteHours };
    }

    /// <summary>Per vehicle its routes (from home to home again, as each shipment's first and last stops give them).</summary>
    private static Dictionary<string, List<(Guid Route, DateTimeOffset Leaves, DateTimeOffset Back)>> Routes(IEnumerable<Shipment> shipments) =>
        shipments.Where(s => s.Stops.Count > 0)
            .GroupBy(s => s.VehicleId)
            .ToDictionary(g => g.Key, g => g.GroupBy(s => s.RouteId)
                .Select(r => (Route: r.Key, Leaves: r.Min(s => s.Stops[0].Eta), Back: r.Max(s => s.Stops[^1].Eta))).OrderByDescending(r => r.Back).ToList());

    /// <summary>
    /// The hours a re-plan of one of the vehicle's routes may use: from the return of its other active routes that
    /// leave before this one, until the departure of the first that leaves after it (within its availability and, with working
    /// hours, its working day from then). The
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
        // Within a working day too, as a run would offer it.
        return WorkingDays.Within(vehicle with { AvailableFrom = from, AvailableUntil = until }, now);
    }
}
