namespace TradeNet.Logistics.Planner.Core;

/// <summary>
/// The order of the visits a vehicle makes at one place. Moving between them costs nothing, so the solvers leave
/// loads and unloads there in whatever order their moves happened to give; a driver unloads first (it frees room and
/// needs no second stop), and a route sheet that loads, then unloads at the same town, reads as two stops there.
/// </summary>
public static class StopOrder
{
    /// <summary>The route with, in every run of consecutive visits at one place (<paramref name="placeOf"/>), the
    /// unloads first and then the loads, each in the solver's order — when that schedule is still feasible (a load's
    /// window may close while unloading); otherwise the route as given. Distance and cost are the same either way.</summary>
    public static int[] UnloadFirst(RoutingProblem p, int vehicle, int[] route, Func<int, string> placeOf)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(placeOf);
        var reordered = new int[route.Length];
        bool changed = false;
        for (int start = 0, end; start < route.Length; start = end)
        {
            var place = placeOf(route[start]);
            end = start + 1;
            while (end < route.Length && placeOf(route[end]) == place) end++;
            var run = route[start..end];
            // An unload whose own load is in the same run stays behind it (goods from a place to itself, never planned).
            var first = run.Where(n => !p.IsPickup[n] && p.Partner[n] >= 0 && Array.IndexOf(run, p.Partner[n]) < 0).ToList();
            var ordered = first.Concat(run.Where(n => !first.Contains(n))).ToArray();
            ordered.CopyTo(reordered, start);
            changed |= !ordered.SequenceEqual(run);
        }
        return changed && RouteEvaluator.Schedule(p, vehicle, reordered) is not null ? reordered : route;
    }
}
