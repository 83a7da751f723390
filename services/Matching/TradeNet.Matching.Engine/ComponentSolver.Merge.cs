namespace TradeNet.Matching.Engine;

internal sealed partial class ComponentSolver
{
    /// <summary>Share of the time left after fix and re-solve that merging gets, before the region search (0.45 with a
    /// 4 s MIP before: idle, seed 1 ended 0.696–0.712% against 0.673–0.692% now; the regions' second pass gained ~0).</summary>
    private const double MergeShare = 0.55;
    /// <summary>Share of a merge round's time for building the other plan (fix and re-solve takes 2.2–2.5 s there on
    /// 2,000 listings, K = 4); the merge MIP gets the rest.</summary>
    private const double OtherPlanShare = 0.45;
    /// <summary>Most a merge MIP gets. It never leaves its root node: its gain is RENS's sub-MIP, which the clock cuts (2,000
    /// listings, K = 4, seed 1, idle: +239 in 4 s, +309 when RENS ends, about 7 CPU-seconds; with 5 s each, three rounds
    /// gained +236, +107 and 0). What merging's share leaves of it after the other plan is the real limit (6–7 s at 20 s).</summary>
    private static readonly TimeSpan MergeMipBudget = TimeSpan.FromSeconds(10);
    /// <summary>Relative perturbation of the profits that steers the LP to another vertex of its (massively degenerate)
    /// optimal face, and fix and re-solve to another plan (2,000 listings, K = 4: 185.2–185.8 k, against 185.8 k).</summary>
    private const double Perturbation = 1e-3;
    /// <summary>Most the MIP that merges the RINS plan found beside merging into the merged plan gets (2,000 listings, K = 4,
    /// seed 1: +360 to +519, more than RINS gained on its own; the solve ended at 0.50–0.60 % with 3 s, 0.54–0.62 % with
    /// 2 s, 0.57–0.62 % with 4 s and 0.55–0.60 % with 5 s, whose merges gained no more and left the regions less).</summary>
    private static readonly TimeSpan RinsMergeBudget = TimeSpan.FromSeconds(3);
    /// <summary>Most the MIP that merges in what the region search beside the RINS plan's merge found gets (0.7 s, 1 s and
    /// 1.5 s ended alike).</summary>
    private static readonly TimeSpan RegionsMergeBudget = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Solution merging: another plan from fix and re-solve run on perturbed profits, then a MIP over the union of
    /// its columns and the plan's, in which the columns both use stay on (at least their lots), the others choose,
    /// and every amount is free; warm-started from the plan, so it only ever improves. On 2,000 listings, K = 4, the
    /// union has about 800 columns, 218 of them in both plans, so the MIP has some 590 on/off choices: how one plan
    /// serves a part of the book combined with how the other serves the rest. The region search gains more from the
    /// merged plan than from the plan itself (seed 1, 40 s under load: 186,158 against 186,053). Rounds repeat while
    /// the time allows one as long as the last.
    /// </summary>
    private double[] ImproveByMerging(MasterLp lp, double[] plan, double[] lpValues, Deadline budget, int maxColumns, ref double incumbent, ref string method)
    {
        if ((mergeRounds ?? planSearchPasses ?? 1) <= 0) return Grown(plan, lp.Columns.Count); // tests: no merging at all
        var best = plan;
        var value = incumbent;
        var rins = RinsBeside(lp, lpValues, plan, budget);
        try { (best, value) = MergeRounds(lp, best, value, budget, maxColumns); }
        finally { rins.ContinueWith(_ => { }, TaskScheduler.Default).Wait(); } // never leave a MIP running past the phase
        (best, value) = MergeRinsPlan(lp, best, value, Grown(plan, lp.Columns.Count), rins.GetAwaiter().GetResult());
        if (value <= incumbent + Tolerance(incumbent)) return Grown(plan, lp.Columns.Count);
        incumbent = value;
        method += "+merge";
        return Grown(best, lp.Columns.Count);
    }

    /// <summary>
    /// The second core's share of merging: GLOP and SCIP run on one thread, so it idled while the other plan was built
    /// and merged. Now the RINS MIP (<see cref="Neighbourhood"/>: the LP's support, the plan's columns that meet their
    /// lot in the LP kept on) searches from the plan there meanwhile, on a copy of the columns (the other plan's pricing
    /// adds columns as it goes), and never touches the LP. Seed 1 of 2,000 listings, K = 4: +229 to +302 over the plan
    /// in the 8.6 s merging has, about what the merge MIP finds, in other trades.
    /// </summary>
    private Task<(double[] Values, MipSolver.Outcome Mip, int Binaries)?> RinsBeside(MasterLp lp, double[] lpValues, double[] plan, Deadline budget)
    {
        var columns = lp.Columns.ToList();
        var lpAt = Grown(lpValues, columns.Count);
        var from = Grown((double[])plan.Clone(), columns.Count);
        var limit = budget.RemainingOr(MergeMipBudget);
        return Task.Run(() => Neighbourhood(lp, lpAt, from, limit, keepLpFeasibleOn: true, polish: false, columns), ct);
    }

    /// <summary>The RINS plan found beside merging, its amounts re-optimised by the LP, merged into the merged plan by the
    /// MIP over both plans' columns (<see cref="Merge"/>): seed 1, +360 to +519 in 3 s, where the better of the two alone
    /// would have kept only the larger of their gains over the plan (+309 or +302).</summary>
    private (double[] Plan, double Value) MergeRinsPlan(MasterLp lp, double[] best, double value, double[] plan,
        (double[] Values, MipSolver.Outcome Mip, int Binaries)? rins)
    {
        if (rins is not (var found, var mip, _) || deadline.Expired) return (best, value);
        var columns = lp.Columns;
        var rinsPlan = Grown(found, columns.Count);
        var polished = ResolveWithFixedChoices(lp, columns, rinsPlan);
        if (polished is not null && Objective(columns, polished) > Objective(columns, rinsPlan)) rinsPlan = polished;
        var rinsValue = Objective(columns, rinsPlan);
        var start = value;
        if (rinsValue > Objective(columns, plan) + Tolerance(rinsValue))
        {
            best = Grown(best, columns.Count);
            var limit = deadline.Within(RinsMergeBudget);
            var regions = RegionsBeside(lp, best, limit);
            (double[] Values, MipSolver.Outcome Mip, int Union, int Common)? merged;
            try { merged = Merge(lp, best, rinsPlan, limit.RemainingOr(RinsMergeBudget)); }
            finally { regions.Work.ContinueWith(_ => { }, TaskScheduler.Default).Wait(); } // never leave it running
            regions.Work.GetAwaiter().GetResult();
            if (merged is not null && Objective(columns, merged.Value.Values) > value + Tolerance(value))
                (best, value) = (merged.Value.Values, Objective(columns, merged.Value.Values));
            else if (rinsValue > value + Tolerance(value)) (best, value) = (rinsPlan, rinsValue);
            (best, value) = MergeRegionsPlan(lp, best, value, regions.Search);
        }
        Trace($"  rins beside: {rinsValue:F1} (+{rinsValue - Objective(columns, plan):F1} over the plan, mipBound {mip.BestBound:F1}), merged in +{value - start:F1}, plan {value:F1}, t={deadline.Elapsed.TotalSeconds:F2}");
        return (best, value);
    }

    /// <summary>The region search (<see cref="ImproveRegions"/>) on the second core from the merged plan while the RINS plan
    /// is merged into it on the first. With one worker it never re-optimises through the LP, so the LP stays the merge's.
    /// Without a time limit (tests, by their passes) it runs its whole pass, each region within its own MIP budget, as the
    /// region search after it does: cut by the merge's 3 s, the regions it reached depended on the machine's load.</summary>
    private (RegionSearch Search, Task Work) RegionsBeside(MasterLp lp, double[] plan, Deadline limit)
    {
        var search = new RegionSearch(this, lp, (double[])plan.Clone(), TownAdjacency(), deadline.Unlimited ? new Deadline(null) : limit, ct);
        search.StartPass();
        return (search, Task.Run(() => search.Work(1), ct));
    }

    /// <summary>What the regions beside found, merged in by the merge MIP (1 s at most). Their choices alone do not fit the
    /// plan the RINS plan's merge made (each region taken in with its amounts re-optimised: +0 of +201); the MIP keeps
    /// +114 to +162 of it. Seed 1, 2,000 listings, K = 4, eight interleaved pairs: 0.513–0.538 % against 0.530–0.582 %
    /// (0.521 % against 0.543 % on average); with the region search's first pass then skipping the towns they covered,
    /// 0.511–0.549 % (0.525 %), so it does not.</summary>
    private (double[] Plan, double Value) MergeRegionsPlan(MasterLp lp, double[] best, double value, RegionSearch regions)
    {
        var start = value;
        if (regions.Value > regions.StartValue + Tolerance(regions.Value) && !deadline.Expired)
        {
            var merged = Merge(lp, Grown(best, lp.Columns.Count), regions.Plan, deadline.Within(RegionsMergeBudget).RemainingOr(RegionsMergeBudget));
            if (merged is not null && Objective(lp.Columns, merged.Value.Values) > value + Tolerance(value))
                (best, value) = (merged.Value.Values, Objective(lp.Columns, merged.Value.Values));
        }
        Trace($"  regions beside: tried {regions.Tried}, improved {regions.Improved} (+{regions.Value - regions.StartValue:F1} there), {(regions.PassDone ? "pass done" : "cut by the clock")}, merged in +{value - start:F1}, plan {value:F1}, t={deadline.Elapsed.TotalSeconds:F2}");
        return (best, value);
    }

    /// <summary>Merge rounds while the time allows one as long as the last.</summary>
    private (double[] Plan, double Value) MergeRounds(MasterLp lp, double[] best, double value, Deadline budget, int maxColumns)
    {
        for (var round = 0; !budget.Expired && round < (mergeRounds ?? planSearchPasses ?? int.MaxValue); round++)
        {
            var start = deadline.Elapsed;
            var other = PerturbedPlan(lp, seed: round + 1, budget.Fraction(OtherPlanShare), maxColumns);
            if (other is null || budget.Expired) break;
            best = Grown(best, lp.Columns.Count);
            var merged = Merge(lp, best, other, budget.Within(MergeMipBudget).RemainingOr(MergeMipBudget));
            if (merged is null) continue;
            var (values, mip, union, common) = merged.Value;
            var mergedValue = Objective(lp.Columns, values);
            Trace($"  merge {round}: other plan {Objective(lp.Columns, other):F1}, union {union}, both {common}, merged {mergedValue:F1} (+{mergedValue - value:F1}), mipBound {mip.BestBound:F1}, t={deadline.Elapsed.TotalSeconds:F2}");
            if (mergedValue > value + Tolerance(value)) (best, value) = (values, mergedValue);
            // Another round only when one as long as this still fits.
            if (budget.RemainingOr(TimeSpan.MaxValue) < deadline.Elapsed - start) break;
        }
        return (best, value);
    }

    /// <summary>Fix and re-solve from the LP optimum of profits × (1 ± <see cref="Perturbation"/>), its re-solves on
    /// those profits too (each is as degenerate), then filled; the profits are restored whatever happens.</summary>
    private double[]? PerturbedPlan(MasterLp lp, int seed, Deadline budget, int maxColumns)
    {
        var columns = lp.Columns;
        var count = columns.Count;
        var random = new Random(seed); // seeded: the same plan every run the clock leaves alone
        for (var i = 0; i < count; i++) lp.SetProfit(i, columns[i].Profit * (1 + Perturbation * (2 * random.NextDouble() - 1)));
        double[]? plan;
        try
        {
            if (!lp.Solve(budget.RemainingOr(TimeSpan.FromMinutes(1)), ct: ct)) return null;
            plan = FixAndResolve(lp, lp.Values(), budget, maxColumns, ResolvePolicy.Simplex);
        }
        finally
        {
            for (var i = 0; i < count; i++) lp.SetProfit(i, columns[i].Profit);
        }
        if (plan is null) return null;
        plan = Grown(plan, lp.Columns.Count);
        var value = Objective(lp.Columns, plan);
        var method = "";
        return Fill(lp, plan, budget, ref value, ref method);
    }

    /// <summary>The MIP over the union of two plans' columns (those both use kept on), warm-started from
    /// <paramref name="best"/>, its amounts then re-optimised by the LP.</summary>
    /// <returns>Null when SCIP found no plan (it has <paramref name="best"/> as its start, so rarely).</returns>
    internal (double[] Values, MipSolver.Outcome Mip, int Union, int Common)? Merge(MasterLp lp, double[] best, double[] other, TimeSpan limit)
    {
        var columns = lp.Columns;
        double At(double[] plan, int i) => i < plan.Length ? plan[i] : 0;
        var union = Enumerable.Range(0, columns.Count).Where(i => At(best, i) > 0 || At(other, i) > 0).ToArray();
        var both = union.Select(i => !columns[i].Continuous && At(best, i) > 0 && At(other, i) > 0).ToArray();
        if (limit <= TimeSpan.Zero) return null;
        var sub = union.Select(i => columns[i]).ToList();
        var hint = union.Select(i => At(best, i)).ToArray();
        var mip = MipSolver.Solve(m, sub, hint, limit, ct, both, forPlans: true);
        if (mip is null) return null;
        var values = new double[columns.Count];
        for (var k = 0; k < union.Length; k++) values[union[k]] = mip.Values[k];
        values = Sanitize(columns, values);
        var polished = ResolveWithFixedChoices(lp, columns, values);
        if (polished is not null && Objective(columns, polished) > Objective(columns, values)) values = polished;
        return (values, mip, union.Length, both.Count(b => b));
    }
}
