using Google.OrTools.Graph;

namespace TradeNet.Matching.Engine;

/// <summary>
/// A quick upper bound for components whose column generation did not finish: every plan of capped cycles
/// is a value circulation (each town gives as much value as it receives, each listing within its
/// capacity), so the best circulation without the cycle cap and min lots bounds it. Network: town → offer
/// (offer capacity) → need (one arc per leg, profit per unit) → town (need capacity), solved as a min-cost
/// circulation on integers rounded up so the bound stays valid. The scales shrink on books of huge values so that no
/// sum of the solver's 64-bit integers can overflow (rounding up still bounds, only more loosely).
/// </summary>
internal static class CirculationBound
{
    private const double CapScale = 100;      // hundredths of a credit
    private const double ProfitScale = 1e6;
    // Total capacity and total cost as the solver holds them stay below these (long.MaxValue is 9.2e18).
    private const double MaxTotalCapacity = 1e12;
    private const double MaxTotalCost = 1e18;

    /// <summary>The crudest bound, for when there is no time for the flow: every leg's value leaves one offer and fills
    /// one need, so a plan moves at most what the component's offers, or its needs, hold.</summary>
    public static double ByCapacity(Market m, IEnumerable<int> listings)
    {
        double offers = 0, needs = 0;
        foreach (var l in listings)
            if (m.Book.Listings[l].Kind == ListingKind.Offer) offers += m.Cap[l];
            else needs += m.Cap[l];
        return Math.Min(offers, needs);
    }

    public static double Compute(Market m, int[] arcs)
    {
        var node = new Dictionary<int, int>();     // listing → node
        var townNode = new Dictionary<int, int>(); // town → node (numbered after all listings are known)
        var legs = new List<int>();
        foreach (var a in arcs)
            for (var e = m.ArcLegStart[a]; e < m.ArcLegStart[a + 1]; e++)
            {
                legs.Add(e);
                node.TryAdd(m.LegOffer[e], node.Count);
                node.TryAdd(m.LegNeed[e], node.Count);
            }
        foreach (var l in node.Keys.Order()) townNode.TryAdd(m.ListingTown[l], node.Count + townNode.Count);

        // Every unit of flow on a leg leaves an offer: the offers' capacity bounds the flow, so the cost is at most
        // that times the largest profit per unit.
        var offerCapacity = node.Keys.Where(l => m.Book.Listings[l].Kind == ListingKind.Offer).Sum(l => m.Cap[l]) + node.Count;
        var maxProfit = legs.Count == 0 ? 1 : Math.Max(1e-9, legs.Max(e => Math.Abs(m.LegProfit[e])));
        var capScale = Math.Min(CapScale, MaxTotalCapacity / offerCapacity);
        var profitScale = Math.Min(ProfitScale, MaxTotalCost / (MaxTotalCapacity * maxProfit));
        if (!(capScale > 0 && profitScale > 0) || !double.IsFinite(capScale * profitScale)) return double.PositiveInfinity;

        var flow = new MinCostFlow();
        foreach (var (l, n) in node.OrderBy(kv => kv.Value))
        {
            var cap = (long)Math.Ceiling(m.Cap[l] * capScale);
            if (m.Book.Listings[l].Kind == ListingKind.Offer) flow.AddArcWithCapacityAndUnitCost(townNode[m.ListingTown[l]], n, cap, 0);
            else flow.AddArcWithCapacityAndUnitCost(n, townNode[m.ListingTown[l]], cap, 0);
        }
        foreach (var e in legs)
        {
            int o = m.LegOffer[e], n = m.LegNeed[e];
            var cap = (long)Math.Ceiling(Math.Min(m.Cap[o], m.Cap[n]) * capScale);
            flow.AddArcWithCapacityAndUnitCost(node[o], node[n], cap, -(long)Math.Ceiling(m.LegProfit[e] * profitScale));
        }
        if (flow.Solve() != MinCostFlowBase.Status.OPTIMAL) return double.PositiveInfinity;
        var bound = -flow.OptimalCost() / (capScale * profitScale);
        // A negative total profit can only be a wrapped sum: no bound rather than a wrong one.
        return bound >= 0 ? bound : double.PositiveInfinity;
    }
}
