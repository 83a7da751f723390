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
