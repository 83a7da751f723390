namespace TradeNet.Matching.Engine;

internal sealed partial class ComponentSolver
{
    /// <summary>Towns per region: their generated cycles are a few dozen to a few hundred on/off choices, which SCIP
    /// mostly settles in its budget (2,000 listings, K = 4: 6, 10 or 12 towns gained less in the same time).</summary>
    private const int RegionTowns = 8;
    private static readonly TimeSpan RegionBudget = TimeSpan.FromSeconds(0.6);
    /// <summary>A seed inside the first this many towns of an earlier region of the pass would mostly repeat it
    /// (2,000 listings, K = 4: 6 of 8 gave 0.89 %, 4 of 8 0.91 %, 8 of 8 0.91 %, 2 of 8 0.91 %).</summary>
    private const int RegionCovers = 6;
    /// <summary>Share of the time left that the regions get before the neighbourhood MIP (0.6: 0.93 %, 0.9: 0.91 %).</summary>
    private const double RegionShare = 0.9;

    /// <summary>
    /// Region search on the plan's on/off choices: a MIP in which every generated cycle among a few neighbouring
    /// towns may switch on or off, the plan's other trades stay on (at least their lots) and every amount in the
    /// component is free. Unlike the town neighbourhoods, which solve a region on what the rest of the plan
    /// leaves, the trades around the region may give way to it, and that is what the 4-cycle plans need: on
    /// 2,000 listings, 8-town regions took the plan from 0.99 % to 0.89 % under the bound in 12 s, where those
    /// 12 s gave the neighbourhood MIP 0.02 %. The plan is the MIP's start, so a region only ever improves it.
    /// Towns whose listings leave the most LP-priced value unused go first; passes repeat while they gain.
    /// </summary>
    private double[] ImproveRegions(MasterLp lp, double[] plan, Deadline budget, ref double incumbent, ref string method)
    {
        var columns = lp.Columns;
        var x = Grown((double[])plan.Clone(), columns.Count);
        var value = Objective(columns, x);
        var adjacency = TownAdjacency();
        int tried = 0, improved = 0;
        for (var pass = 0; !budget.Expired; pass++)
        {
            var passStart = value;
            var covered = new HashSet<int>();
            foreach (var seed in TownsByUnusedValue(columns, x))
            {
                if (budget.Expired) break;
                ct.ThrowIfCancellationRequested();
                if (covered.Contains(seed)) continue;
                var towns = Grow(seed, adjacency, RegionTowns);
                covered.UnionWith(towns.Take(RegionCovers));
                tried++;
                var better = SolveRegion(columns, x, towns.ToHashSet(), budget.Within(RegionBudget));
                if (better is null) continue;
                var v = Objective(columns, better);
                if (v <= value + Tolerance(value)) continue;
                (x, value) = (better, v);
                improved++;
            }
            Trace($"  regions pass {pass}: tried {tried}, improved {improved}, +{value - passStart:F1}, plan {value:F1}, t={deadline.Elapsed.TotalSeconds:F2}");
            if (value - passStart <= Tolerance(value)) break;
        }
        if (value <= incumbent + Tolerance(incumbent)) return Grown(plan, columns.Count);
        incumbent = value;
        method += "+regions";
        return x;
    }

    /// <returns>The MIP's plan (not yet compared with <paramref name="x"/>), or null when it found none.</returns>
    private double[]? SolveRegion(List<Column> columns, double[] x, HashSet<int> towns, Deadline budget)
    {
        var sub = new List<int>();
        var keepOn = new List<bool>();
        for (var i = 0; i < columns.Count; i++)
        {
            var c = columns[i];
            if (c.CannotCarry) continue;
            // Every town of a cycle gives on one of its legs, so the offers' towns are all of its towns.
            if (c.Legs.All(e => towns.Contains(m.ListingTown[m.LegOffer[e]]))) { sub.Add(i); keepOn.Add(false); }
            else if (x[i] > 0) { sub.Add(i); keepOn.Add(true); }
        }
        var limit = budget.RemainingOr(RegionBudget);
        if (limit <= TimeSpan.Zero) return null;
        var mip = MipSolver.Solve(m, sub.Select(i => columns[i]).ToList(), sub.Select(i => x[i]).ToArray(), limit, ct,
            keepOn.ToArray(), forPlans: true);
        if (mip is null) return null;
        var values = new double[columns.Count];
        for (var k = 0; k < sub.Count; k++) values[sub[k]] = mip.Values[k];
        return Sanitize(columns, values);
    }
}
