namespace TradeNet.Matching.Engine;

internal sealed partial class ComponentSolver
{
    /// <summary>Towns per region: their generated cycles are a few dozen to a few hundred on/off choices, which SCIP
    /// mostly settles in its budget (2,000 listings, K = 4: 6, 10 or 12 towns gained less in the same time).</summary>
    private const int RegionTowns = 8;
    private static readonly TimeSpan RegionBudget = TimeSpan.FromSeconds(0.6);
    /// <summary>A region MIP's limit in a solve by passes (tests: no time limit), where the plan must not depend on the machine's
    /// load: with the trades through the region free its MIPs are larger, and at 0.6 s one run in five of a 160-listing book gave
    /// another plan on a busy machine (MergeDeterminismTests, load average 44).</summary>
    private static readonly TimeSpan RegionBudgetByPasses = TimeSpan.FromSeconds(5);
    private TimeSpan RegionMipBudget => deadline.Unlimited ? RegionBudgetByPasses : RegionBudget;
    /// <summary>A seed inside the first this many towns of an earlier region of the pass would mostly repeat it
    /// (2,000 listings, K = 4: 6 of 8 gave 0.89 %, 4 of 8 0.91 %, 8 of 8 0.91 %, 2 of 8 0.91 %).</summary>
    private const int RegionCovers = 6;
    /// <summary>Share of the time left that the regions get before the neighbourhood MIP (0.6: 0.93 %, 0.9: 0.91 %).</summary>
    private const double RegionShare = 0.9;

    /// <summary>
    /// Region search on the plan's on/off choices: a MIP in which every generated cycle among a few neighbouring
    /// towns may switch on or off, and so may the plan's trades through any of those towns, the plan's other trades
    /// stay on (at least their lots) and every amount in the component is free. Unlike the town neighbourhoods, which
    /// solve a region on what the rest of the plan leaves, the trades around the region may give way to it, and that is what the 4-cycle plans need: on
    /// 2,000 listings, 8-town regions took the plan from 0.99 % to 0.89 % under the bound in 12 s on one core, where
    /// those 12 s gave the neighbourhood MIP 0.02 % (seeds 2 and 3: 0.55 % → 0.48 %, 0.41 % → 0.39 %; on two cores
    /// 0.90 %, 0.45 %, 0.32 %: seed 1 had reached what its regions can do, +200 in 60 s on one core either way). The plan is the MIP's start, so a region only ever improves it.
    /// Towns whose listings leave the most LP-priced value unused go first; passes repeat while they gain.
    /// </summary>
    private double[] ImproveRegions(MasterLp lp, double[] plan, Deadline budget, ref double incumbent, ref string method)
    {
        var columns = lp.Columns;
        var search = new RegionSearch(this, lp, Grown((double[])plan.Clone(), columns.Count), TownAdjacency(), budget, ct);
        for (var pass = 0; !budget.Expired && pass < (planSearchPasses ?? int.MaxValue); pass++)
        {
            var passStart = search.Value;
            search.StartPass();
            // Both cores solve regions (SCIP runs on one thread each): 40–60 regions in 11 s instead of 25–35.
            var helper = Task.Run(() => search.Work(1), ct);
            try { search.Work(0); }
            catch
            {
                helper.ContinueWith(_ => { }, TaskScheduler.Default).Wait(); // never leave it running on the LP
                throw;
            }
            helper.GetAwaiter().GetResult();
            Trace($"  regions pass {pass}: tried {search.Tried}, improved {search.Improved}, +{search.Value - passStart:F1}, plan {search.Value:F1}, t={deadline.Elapsed.TotalSeconds:F2}");
            if (search.Value - passStart <= Tolerance(search.Value)) break;
        }
        if (search.Value <= incumbent + Tolerance(incumbent)) return Grown(plan, columns.Count);
        incumbent = search.Value;
        method += "+regions";
        return search.Plan;
    }

    /// <summary>
    /// The regions of a search, shared by two workers: each takes the next region apart from the other's, solves it
    /// from the plan as it was then, and puts its choices into the plan as it is now (the LP re-optimising every
    /// amount when the other worker changed the plan meanwhile); a region that does not improve the plan is dropped.
    /// </summary>
    private sealed class RegionSearch(ComponentSolver solver, MasterLp lp, double[] plan, List<int>[] adjacency, Deadline budget, CancellationToken ct)
    {
        private readonly Lock _gate = new();
        private readonly HashSet<int>?[] _inFlight = new HashSet<int>?[2];
        private List<int> _seeds = [];
        private HashSet<int> _covered = [];
        private int _version;

        public double[] Plan { get; private set; } = plan;
        public double Value { get; private set; } = Objective(lp.Columns, plan);
        public double StartValue { get; } = Objective(lp.Columns, plan);
        public int Tried { get; private set; }
        public int Improved { get; private set; }
        /// <summary>The pass ran out of regions (rather than out of time).</summary>
        public bool PassDone { get; private set; }

        public void StartPass()
        {
            _seeds = solver.TownsByUnusedValue(lp.Columns, Plan);
            _covered = [];
            PassDone = false;
        }

        public void Work(int worker)
        {
            while (!budget.Expired)
            {
                ct.ThrowIfCancellationRequested();
                HashSet<int>? region;
                double[] from;
                int version, number;
                lock (_gate)
                {
                    region = solver.NextRegion(_seeds, _covered, adjacency, apartFrom: _inFlight[1 - worker]);
                    if (region is null) { PassDone = true; return; }
                    _inFlight[worker] = region;
                    (from, version) = (Plan, _version);
                    number = ++Tried;
                }
                var result = solver.SolveRegion(lp.Columns, from, region, budget.Within(solver.RegionMipBudget));
                lock (_gate)
                {
                    _inFlight[worker] = null;
                    if (result is null || Objective(lp.Columns, result) <= Objective(lp.Columns, from) + Tolerance(Value)) continue;
                    var next = version == _version ? result : solver.ChooseAlong(lp, Plan, region, from, result);
                    if (next is null) continue;
                    var value = Objective(lp.Columns, next);
                    if (value <= Value + Tolerance(Value)) continue;
                    Trace($"    region {number} ({region.Count} towns): +{value - Value:F1}, plan {value:F1}");
                    (Plan, Value) = (next, value);
                    _version++;
                    Improved++;
                }
            }
        }
    }

    /// <summary>The next seed of the pass not yet covered (and, with <paramref name="apartFrom"/>, whose region shares
    /// none of its towns), grown to a region; its first towns count as covered.</summary>
    private HashSet<int>? NextRegion(List<int> seeds, HashSet<int> covered, List<int>[] adjacency, HashSet<int>? apartFrom)
    {
        foreach (var seed in seeds)
        {
            if (covered.Contains(seed) || apartFrom?.Contains(seed) == true) continue;
            var towns = Grow(seed, adjacency, RegionTowns);
            if (apartFrom is not null && towns.Any(apartFrom.Contains)) continue;
            covered.UnionWith(towns.Take(RegionCovers));
            covered.Add(seed);
            return towns.ToHashSet();
        }
        return null;
    }

    /// <summary>The plan's on/off choices with those of the cycles inside <paramref name="towns"/> taken from
    /// <paramref name="region"/>, and the trades it switched off (of <paramref name="from"/>, the plan it was solved from)
    /// off, every amount re-optimised by the LP; null when their lots do not fit together.</summary>
    private double[]? ChooseAlong(MasterLp lp, double[] plan, HashSet<int> towns, double[] from, double[] region)
    {
        var columns = lp.Columns;
        var chosen = new double[columns.Count];
        for (var i = 0; i < columns.Count; i++)
            chosen[i] = (Inside(columns[i], towns) ? region[i] : i < from.Length && from[i] > 0 && region[i] <= 0 ? 0 : plan[i]) > 0 ? 1 : 0;
        return ResolveWithFixedChoices(lp, columns, chosen);
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
            if (Inside(c, towns)) { sub.Add(i); keepOn.Add(false); }
            // The plan's trades through the region may make way for it too (seed 1 of 2,000 listings, K = 4: 0.475–0.478 % in
            // 17 runs of 20 against 0.499–0.520 % with them kept on; seed 3 0.155 % → 0.214 %; docs/matching.md, step 5).
            else if (x[i] > 0) { sub.Add(i); keepOn.Add(!Touches(c, towns)); }
        }
        var limit = budget.RemainingOr(RegionMipBudget);
        if (limit <= TimeSpan.Zero) return null;
        var mip = MipSolver.Solve(m, sub.Select(i => columns[i]).ToList(), sub.Select(i => x[i]).ToArray(), limit, ct,
            keepOn.ToArray(), forPlans: true);
        if (mip is null) return null;
        var values = new double[columns.Count];
        for (var k = 0; k < sub.Count; k++) values[sub[k]] = mip.Values[k];
        return Sanitize(columns, values);
    }

    /// <summary>Every town of a cycle gives on one of its legs, so the offers' towns are all of its towns.</summary>
    private bool Inside(Column c, HashSet<int> towns) => c.Legs.All(e => towns.Contains(m.ListingTown[m.LegOffer[e]]));

    private bool Touches(Column c, HashSet<int> towns) => c.Legs.Any(e => towns.Contains(m.ListingTown[m.LegOffer[e]]));
}
