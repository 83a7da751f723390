using Google.OrTools.Graph;

namespace TradeNet.Matching.Engine;

/// <summary>
/// A quick upper bound for components whose column generation did not finish: every plan of capped cycles
/// is a value circulation (each town gives as much value as it receives, each listing within its
/// capacity), so the best circulation without the cycle cap and min lots bounds it. Network: town → offer
/// (offer capacity) → need (one arc per leg, profit per unit) → town (need capacity), solved as a min-cost
/// circulation on integers rounded up so the bound stays valid.
/// </summary>
internal static class CirculationBound
{
    private const double CapScale = 100;      // hundredths of a credit
    private const double ProfitScale = 1e6;

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

        var flow = new MinCostFlow();
        foreach (var (l, n) in node.OrderBy(kv => kv.Value))
        {
            var cap = (long)Math.Ceiling(m.Cap[l] * CapScale);
            if (m.Book.Listings[l].Kind == ListingKind.Offer) flow.AddArcWithCapacityAndUnitCost(townNode[m.ListingTown[l]], n, cap, 0);
            else flow.AddArcWithCapacityAndUnitCost(n, townNode[m.ListingTown[l]], cap, 0);
        }
        foreach (var e in legs)
        {
            int o = m.LegOffer[e], n = m.LegNeed[e];
            var cap = (long)Math.Ceiling(Math.Min(m.Cap[o], m.Cap[n]) * CapScale);
            flow.AddArcWithCapacityAndUnitCost(node[o], node[n], cap, -(long)Math.Ceiling(m.LegProfit[e] * ProfitScale));
        }
        if (flow.Solve() != MinCostFlowBase.Status.OPTIMAL) return double.PositiveInfinity;
        return -flow.OptimalCost() / (CapScale * ProfitScale);
    }
}
