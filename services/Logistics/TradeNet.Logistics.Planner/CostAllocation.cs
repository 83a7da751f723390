namespace TradeNet.Logistics.Planner;

/// <param name="StandAloneCost">What the route's vehicle would cost doing this transfer alone: home → pickup → delivery → home, plus its fixed cost.</param>
/// <param name="Share">Its part of the route's cost.</param>
public sealed record CostShare(string TransferId, double StandAloneCost, double Share);

public sealed record GroupCostShare(string Key, double StandAloneCost, double Share);

/// <summary>
/// Splits a route's cost over the transfers it carries in proportion to each one's stand-alone
/// (direct trip) cost. Shares add up to the route cost, each pays less than alone whenever
/// consolidation saves anything, and a far or heavy-detour leg pays more than a short one.
/// </summary>
public static class CostAllocator
{
    public static IReadOnlyList<CostShare> Allocate(PlanRequest request, VehicleRoute route)
    {
        var vehicle = request.Vehicles.Single(v => v.Id == route.VehicleId);
        var distances = new DistanceModel(request.Distances);
        var byId = request.Transfers.ToDictionary(t => t.Id);
        var ids = route.Stops.SelectMany(s => s.PickedUp).ToList();
        if (ids.Count == 0) return [];
        var alone = ids.Select(id => StandAlone(byId[id], vehicle, distances)).ToArray();
        double total = alone.Sum();
        var shares = new CostShare[ids.Count];
        double assigned = 0;
        for (int i = 0; i < ids.Count; i++)
        {
            // Equal split if every stand-alone cost is zero (all in the home town).
            double share = total > 0 ? route.Cost * alone[i] / total : route.Cost / ids.Count;
            if (i == ids.Count - 1) share = route.Cost - assigned; // the last absorbs rounding, so the sum is exact
            assigned += share;
            shares[i] = new CostShare(ids[i], alone[i], share);
        }
        return shares;
    }

    /// <summary>Shares per group (e.g. per trade, summing its legs' shares).</summary>
    public static IReadOnlyList<GroupCostShare> AllocateByGroup(PlanRequest request, VehicleRoute route, Func<string, string> groupOfTransfer) =>
        Allocate(request, route)
            .GroupBy(s => groupOfTransfer(s.TransferId))
            .Select(g => new GroupCostShare(g.Key, g.Sum(s => s.StandAloneCost), g.Sum(s => s.Share)))
            .ToList();

    public static double StandAlone(Transfer t, Vehicle v, DistanceModel d)
    {
        long meters = d.Meters(v.Home, t.Pickup) + d.Meters(t.Pickup, t.Delivery) + d.Meters(t.Delivery, v.Home);
        return meters / 1000.0 * v.CostPerKm + v.FixedCost;
    }
}
