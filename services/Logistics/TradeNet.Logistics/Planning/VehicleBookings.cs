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
            if (Offered(vehicle, back, all, now, rules) is { } offered) free.Add(offered);
        }
        return free;
    }

    /// <summary>The one rule for what a vehicle's routes and duty leave of it, for a run (<see cref="FreeFrom"/>) and for a
    /// re-plan (<see cref="FreeAround"/>): <paramref name="all"/> are the routes before the one to plan, latest return first;
    /// <paramref name="back"/> when the active ones among them bring it home.</summary>
    private static Vehicle? Offered(Vehicle vehicle, DateTimeOffset? back, List<(DateTimeOffset Leaves, DateTimeOffset Back)> all,
        DateTimeOffset now, DutyRules rules)
    {
        if (OfferedAsBooked(vehicle, back, all, now, rules) is not { } offered || WorkingDays.Within(offered, now) is not { } inDay) return null;
        // A working day that starts after a full rest starts a new duty: the day before's remainder no longer bounds it.
        return all.Count > 0 && inDay.AvailableFrom >= all[0].Back + rules.Rest ? inDay with { MaxRouteHours = vehicle.MaxRouteHours } : inDay;
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
    /// <remarks>With <paramref name="duty"/>, the driver's duty bounds it as a run's would (<see cref="Offered"/>, the same
    /// rule): the routes before this one (active, and <paramref name="ended"/> lately) may leave it only what their duty has
    /// left, or a start after the rest. What the re-planned route then does to the routes after it is
    /// <see cref="KeepsDuty"/>'s to check.</remarks>
    public static Vehicle? FreeAround(Vehicle vehicle, Guid routeId, IEnumerable<Shipment> active, DateTimeOffset now,
        DutyRules? duty = null, IEnumerable<Shipment>? ended = null)
    {
        var rules = duty ?? DutyRules.None;
        var routes = (Routes(active).GetValueOrDefault(vehicle.Id) ?? []).ToDictionary(r => r.Route, r => (r.Leaves, r.Back));
        // A route that is not active any more has nothing to re-plan; then every other route counts as before it.
        var leaves = routes.TryGetValue(routeId, out var own) ? own.Leaves : DateTimeOffset.MaxValue;
        var (from, until) = (vehicle.AvailableFrom, vehicle.AvailableUntil);
        DateTimeOffset? back = null;
        foreach (var (id, other) in routes)
        {
            if (id == routeId) continue;
            if (other.Leaves < leaves)
            {
                if (other.Back <= now) return null; // late on that route
                if (from is not { } f || f < other.Back) from = other.Back;
                if (back is not { } b || b < other.Back) back = other.Back;
            }
            else if (until is not { } u || u > other.Leaves) until = other.Leaves;
        }
        if (until is { } end && (end <= now || from >= end)) return null;
        // Its duty as a run counts it: the routes before this one, within the lookback of their return.
        var before = routes.Where(r => r.Key != routeId && r.Value.Leaves < leaves).Select(r => r.Value)
            .Concat((Routes(ended ?? []).GetValueOrDefault(vehicle.Id) ?? [])
                .Where(r => !routes.ContainsKey(r.Route) && r.Leaves < leaves).Select(r => (r.Leaves, r.Back)))
            .Where(r => back is null || r.Back >= back.Value - rules.Lookback).OrderByDescending(r => r.Back).ToList();
        return Offered(vehicle with { AvailableFrom = from, AvailableUntil = until }, back, before, now, rules);
    }

    /// <summary>
    /// Whether the vehicle's routes keep the driver's duty once <paramref name="replaced"/> is driven as
    /// <paramref name="route"/>: that route and each one leaving after it may take only what the duty of the routes before
    /// it has left, or leave after the rest — the rule a run offers a vehicle by (<see cref="DutyRules.Next"/>), applied
    /// to each in turn. A re-plan within <see cref="FreeAround"/> keeps it for the route itself; a longer or later route
    /// may still join the next route's duty and leave that one too little.
    /// </summary>
    public static bool KeepsDuty(Vehicle vehicle, Guid replaced, (DateTimeOffset Leaves, DateTimeOffset Back) route, IEnumerable<Shipment> active,
        IEnumerable<Shipment>? ended, DutyRules duty)
    {
        var busy = Routes(active).GetValueOrDefault(vehicle.Id) ?? [];
        var all = busy.Where(r => r.Route != replaced).Select(r => (r.Leaves, r.Back))
            .Concat((Routes(ended ?? []).GetValueOrDefault(vehicle.Id) ?? []).Where(r => busy.All(a => a.Route != r.Route)).Select(r => (r.Leaves, r.Back)))
            .Append(route).ToList();
        foreach (var next in all.Where(r => r.Leaves >= route.Leaves).OrderBy(r => r.Leaves))
        {
            var before = all.Where(r => r.Back <= next.Leaves).OrderByDescending(r => r.Back).ToList();
            var (from, hours) = duty.Next(vehicle, before, next.Leaves);
            var limit = hours ?? duty.RouteHours(vehicle);
            // A second's slack: the planner keeps the limit in whole seconds.
            if (next.Leaves < from || (limit is { } h && next.Back - next.Leaves > TimeSpan.FromHours(h) + TimeSpan.FromSeconds(1))) return false;
        }
        return true;
    }
}
