namespace TradeNet.Matching.Engine;

internal sealed partial class ComponentSolver
{
    /// <summary>Share of the time left after fix and re-solve that merging gets, before the region search.</summary>
    private const double MergeShare = 0.6;
    private const double NextRoundShare = 0.75;
    /// <summary>Share of a merge round's time for building the other plan (fix and re-solve takes 2.2–2.5 s there on
    /// 2,000 listings, K = 4); the merge MIP gets the rest.</summary>
    private const double OtherPlanShare = 0.45;
    /// <summary>Most a merge MIP gets (2,000 listings, K = 4, seed 1, load average 10: +11 within 1 s, +165 by 2 s, +220
    /// by 4 s, +232 by 6 s; with 5 s each, three rounds gained +236, +107 and 0).</summary>
    private static readonly TimeSpan MergeMipBudget = TimeSpan.FromSeconds(4);
    /// <summary>Relative perturbation of the profits that steers the LP to another vertex of its (massively degenerate)
    /// optimal face, and fix and re-solve to another plan (2,000 listings, K = 4: 185.2–185.8 k, against 185.8 k).</summary>
    private const double Perturbation = 1e-3;
    /// <summary>Pricing writes the component's scratch arrays: fix and re-solve on the first LP and an other plan's on
    /// the second take turns (a pricing round takes 70–110 ms on 2,000 listings, K = 4).</summary>
    private readonly Lock _pricingGate = new();

    private MasterLp NewLp() => new(m, comp.Listings);
    private int DualLength => dual.Length;

    /// <summary>
    /// Solution merging: another plan from fix and re-solve run on perturbed profits, then a MIP over the union of
    /// its columns and the plan's, in which the columns both use stay on (at least their lots), the others choose,
    /// and every amount is free; warm-started from the plan, so it only ever improves. On 2,000 listings, K = 4, the
    /// union has about 800 columns, 218 of them in both plans, so the MIP has some 590 on/off choices: how one plan
    /// serves a part of the book combined with how the other serves the rest. The region search gains more from the
    /// merged plan than from the plan itself (seed 1, 40 s under load: 186,158 against 186,053). Rounds repeat while
    /// the time allows one as long as the last.
    /// </summary>
    private double[] ImproveByMerging(MasterLp lp, double[] plan, Deadline budget, OtherPlans others, ref double incumbent, ref string method)
    {
        var best = plan;
        var value = incumbent;
        var rounds = mergeRounds ?? planSearchPasses ?? int.MaxValue;
        for (var round = 0; !budget.Expired && round < rounds; round++)
        {
            // The first plan was started beside the first fix and re-solve; each next one is built during this round's MIP.
            if (!others.Started) others.Start(seed: round + 1, budget.Fraction(OtherPlanShare));
            var built = others.Take();
            if (built is null || budget.Expired) break;
            if (round + 1 < rounds) others.Start(seed: round + 2, budget);
            var mergeStart = deadline.Elapsed;
            var other = OnLp(lp, built.Value.Columns, built.Value.Plan);
            var otherValue = Objective(lp.Columns, other);
            var fillMethod = "";
            other = Fill(lp, other, budget, ref otherValue, ref fillMethod);
            best = Grown(best, lp.Columns.Count);
            var merged = Merge(lp, best, other, budget.Within(MergeMipBudget).RemainingOr(MergeMipBudget));
            if (merged is null) continue;
            var (values, mip, union, common) = merged.Value;
            var mergedValue = Objective(lp.Columns, values);
            Trace($"  merge {round}: other plan {Objective(lp.Columns, other):F1}, union {union}, both {common}, merged {mergedValue:F1} (+{mergedValue - value:F1}), mipBound {mip.BestBound:F1}, t={deadline.Elapsed.TotalSeconds:F2}");
            if (mergedValue > value + Tolerance(value)) (best, value) = (values, mergedValue);
            // Another round only when most of a merge as long as this still fits (the next plan is being built meanwhile).
            if (budget.RemainingOr(TimeSpan.MaxValue) < (deadline.Elapsed - mergeStart) * NextRoundShare) break;
        }
        others.Dispose(); // a plan no round will merge only takes the region search's core
        if (value <= incumbent + Tolerance(incumbent)) return Grown(plan, lp.Columns.Count);
        incumbent = value;
        method += "+merge";
        return Grown(best, lp.Columns.Count);
    }

    /// <summary>A plan over another LP's columns as amounts of <paramref name="lp"/>'s, those it lacks joining it.</summary>
    private static double[] OnLp(MasterLp lp, List<Column> columns, double[] values)
    {
        var plan = new double[lp.Columns.Count];
        for (var j = 0; j < columns.Count; j++)
        {
            if (j >= values.Length || values[j] <= 0) continue;
            var i = lp.IndexOf(columns[j]);
            plan = Grown(plan, lp.Columns.Count);
            plan[i] = values[j];
        }
        return plan;
    }

    /// <summary>Fix and re-solve on <paramref name="lp"/> (the second LP) from its optimum of profits × (1 ± <see
    /// cref="Perturbation"/>), its re-solves on those profits too (each is as degenerate); the profits are restored
    /// whatever happens. Returns the plan with the LP's columns as they were then.</summary>
    private (List<Column> Columns, double[] Plan)? PerturbedPlan(MasterLp lp, double[] duals, int seed, Deadline budget, int maxColumns,
        CancellationToken stop)
    {
        var columns = lp.Columns;
        var count = columns.Count;
        var random = new Random(seed); // seeded: the same plan every run the clock leaves alone
        for (var i = 0; i < count; i++) lp.SetProfit(i, columns[i].Profit * (1 + Perturbation * (2 * random.NextDouble() - 1)));
        double[]? plan;
        try
        {
            if (!lp.Solve(budget.RemainingOr(TimeSpan.FromMinutes(1)), ct: stop)) return null;
            plan = FixAndResolve(lp, lp.Values(), budget, maxColumns, ResolvePolicy.Simplex, duals, stop, traceAs: $"other {seed}");
        }
        finally
        {
            for (var i = 0; i < count; i++) lp.SetProfit(i, columns[i].Profit);
        }
        return plan is null ? null : ([.. lp.Columns], plan);
    }

    /// <summary>
    /// Merging's other plans, built one at a time on the thread pool over a second LP (GLOP and SCIP run on one thread,
    /// so the other core is idle during the first fix and re-solve and during each merge MIP): the first beside the first
    /// fix and re-solve, each next one during a merge MIP. The second LP starts with the columns the first had when it
    /// was made and keeps what its own pricing adds, so the plans do not depend on timing between the two.
    /// </summary>
    internal sealed class OtherPlans(ComponentSolver solver, IEnumerable<Column> columns, int maxColumns, CancellationToken ct) : IDisposable
    {
        private readonly MasterLp _lp = Lp(solver, columns);
        private readonly double[] _duals = new double[solver.DualLength];
        private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        private Task<(List<Column> Columns, double[] Plan)?>? _pending;
        private bool _disposed;

        public bool Started => _pending is not null;

        private static MasterLp Lp(ComponentSolver solver, IEnumerable<Column> columns)
        {
            var lp = solver.NewLp();
            foreach (var c in columns) lp.Add(c);
            return lp;
        }

        public void Start(int seed, Deadline budget)
        {
            if (_pending is not null) throw new InvalidOperationException("one other plan at a time");
            var token = _stop.Token;
            _pending = Task.Run(() => solver.PerturbedPlan(_lp, _duals, seed, budget, maxColumns, token), token);
        }

        /// <summary>Waits for the plan started last (null when it found none or none was started).</summary>
        public (List<Column> Columns, double[] Plan)? Take()
        {
            var pending = _pending;
            _pending = null;
            return pending?.GetAwaiter().GetResult();
        }

        /// <summary>Stops a plan still being built and waits for it: the second LP is disposed only once no one solves it.</summary>
        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            _stop.Cancel();
            try { _pending?.Wait(); }
            catch (AggregateException) { } // cancelled, or failed: either way no one wants its plan
            _stop.Dispose();
            _lp.Dispose();
        }
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
