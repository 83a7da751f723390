using System.Diagnostics;

namespace TradeNet.Matching.Engine;

/// <summary>Solves one component: LP column generation for the bound, then the integer (min-lot) phase.</summary>
/// <param name="seeds">Swaps of the bilateral baseline inside this component: initial columns.</param>
/// <param name="seedsArePlan">The seeds' amounts fit this market's capacities, so they are a fallback plan.</param>
/// <param name="firstOrderAbove">Components with more listings solve their master LP with PDLP.</param>
/// <param name="planSearchPasses">See <see cref="SolveOptions.PlanSearchPasses"/>.</param>
/// <param name="proofMipLimit">See <see cref="SolveOptions.ProofMipLimit"/>.</param>
/// <param name="mergeRounds">See <see cref="SolveOptions.MergeRounds"/>.</param>
internal sealed partial class ComponentSolver(Market m, Component comp, Deadline deadline, double[] dual, CancellationToken ct,
    IReadOnlyList<(int[] Legs, double Value)>? seeds = null, bool seedsArePlan = false, int firstOrderAbove = ComponentSolver.FirstOrderListings,
    int? planSearchPasses = null, TimeSpan? proofMipLimit = null, int? mergeRounds = null)
{
    private const double PricingEps = 1e-7;
    private const double FineBuckets = 1.01;
    private const int EnumerationLimit = 100_000;
    private const int ProofColumnLimit = 5_000;
    // Without a time limit each MIP still stops after this long: the LP bound is reported either way.
    private static readonly TimeSpan UnlimitedMipBudget = TimeSpan.FromSeconds(10);
    private const int MipColumnLimit = 5_000;
    // SCIP's presolve and root over the full column set take about this long per on/off column (2,894 columns:
    // not through the root in 1.4 s) and do not stop on time; with less left the MIP only overruns the limit.
    private static readonly TimeSpan MipTimePerColumn = TimeSpan.FromMilliseconds(0.5);
    /// <summary>Components with more listings solve their master LP with PDLP (see <see cref="LpAlgorithm"/>).</summary>
    internal const int FirstOrderListings = 4_000;
    private const int FirstOrderColumnsPerRound = 5_000;
    // PDLP's duals are approximate, so pricing never quite runs dry: the LP counts as done once the
    // bound (valid for any duals) is this close to it; later rounds gain little and the budget is better
    // spent on fix and re-solve.
    private const double FirstOrderGap = 3e-3;
    // PDLP multiplies by the whole matrix every iteration: past 1.5 columns per listing, unused columns pricing 20 %
    // below their profit go (10,000 listings: the LP settles at 17 s instead of running into its 22.7 s limit, and
    // fix and re-solve gets its rounds; at 5 % pricing brings them straight back).
    private const double PruneAbove = 1.5;
    private const double PruneReduced = 0.2;
    // Above this share of the LP's value on columns below their min lot, fix and re-solve runs for 2- and 3-cycles too.
    private const double HeavyLotShare = 0.15;
    // With more on/off choices than this the neighbourhood MIPs do not get through a root node in the budget.
    private const int MaxNeighbourhoodBinaries = 3_000;

    public sealed record Solution(List<Column> Columns, double[] Values, double Objective, double Bound, int GeneratedColumns, string Method);

    public Solution Solve()
    {
        var solution = SolveByColumnGeneration();
        if (!seedsArePlan || seeds is not { Count: > 0 }) return solution;
        // Never return less than the baseline's swaps in this component (possible when time runs out).
        var columns = seeds.Select(s => Column.Create(m, s.Legs)).ToList();
        var values = seeds.Select(s => s.Value).ToArray();
        var objective = Objective(columns, values);
        return objective > solution.Objective + Tolerance(solution.Objective)
            ? new Solution(columns, values, objective, Math.Max(solution.Bound, objective), solution.GeneratedColumns, solution.Method + "+baseline")
            : solution;
    }

    private Solution SolveByColumnGeneration()
    {
        foreach (var l in comp.Listings) dual[l] = 0;
        // Finer min-lot buckets tighten the bound (a bucket's width is where a cycle whose min lot exceeds one of
        // its capacities slips through) but multiply pricing work; big components get coarser ones. At 1 %
        // wide, 2,000-listing books lose no LP value to such cycles, and pricing stays well under the LP's time.
        comp.SetBuckets(comp.ArcCount > 100_000 ? 4 : comp.ArcCount > 10_000 || m.K >= 4 ? 1.25 : 1.01);
        var algorithm = comp.Listings.Length > firstOrderAbove ? LpAlgorithm.FirstOrder : LpAlgorithm.Simplex;
        var firstOrder = algorithm == LpAlgorithm.FirstOrder;
        using var lp = new MasterLp(m, comp.Listings, algorithm);
        var bound = double.PositiveInfinity;
        var converged = false;
        var pruning = true;
        var lastSolve = TimeSpan.Zero;
        // The last LP that solved: its values, and how many columns it had (later ones carry 0).
        double[]? lpValues = null;
        var lpObjective = 0.0;
        // Many columns per round mean few re-solves; on big components an LP with too many new columns
        // at once costs more simplex work than it saves.
        var maxColumns = firstOrder ? Math.Max(FirstOrderColumnsPerRound, comp.Listings.Length / 4) : comp.TownCount > 300 ? 1500 : Math.Max(500, 8 * comp.TownCount);
        // Leave a share of the budget for the integer phase (on big components only rounding has time to run).
        var lpDeadline = deadline.Fraction(firstOrder ? 0.75 : 0.6);
        // Seed columns (the bilateral baseline's swaps): the first LP is already at least as good as it.
        foreach (var (legs, _) in seeds ?? [])
        {
            var c = Column.Create(m, legs);
            if (c.Min <= c.Upper) lp.Add(c);
        }
        if (lp.Columns.Count > 0 && lp.Solve(deadline.RemainingOr(TimeSpan.FromMinutes(10)), ct: ct))
        {
            lpValues = lp.Values();
            lpObjective = lp.Objective;
            lp.Duals(dual);
        }
        // Pricing a huge component can take longer than the whole budget (30 s for one pass over 4.4 M legs): a pass
        // still running at 85 % of the budget is stopped (past the LP's own deadline, so a pass that ends a little late
        // still tightens the bound), and the plan is then made from the columns priced so far.
        using var pricingStop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (!deadline.Unlimited) pricingStop.CancelAfter(deadline.RemainingOr(TimeSpan.Zero) * 0.85);
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var priceStart = deadline.Elapsed;
            if (PriceUnlessStopped(comp, dual, maxColumns, pricingStop) is not (var found, var lagrangianTerm))
            {
                Trace($"  pricing stopped at 85 % of the budget after {(deadline.Elapsed - priceStart).TotalMilliseconds:F0} ms, t={deadline.Elapsed.TotalSeconds:F2}");
                break;
            }
            Trace($"  price {(deadline.Elapsed - priceStart).TotalMilliseconds:F0} ms, found {found.Count}, lp {lpObjective:F1}, bound {bound:F1}, cols {lp.Columns.Count}, buckets {comp.Buckets.Count}, t={deadline.Elapsed.TotalSeconds:F2}");
            // Lagrangian bound, valid for any duals ≥ 0: Σ dual·cap + the pricing's term.
            var dualObjective = lp.DualObjective(dual);
            bound = Math.Min(bound, Math.Min(dualObjective + lagrangianTerm, FarleyBound(dualObjective)));
            // Coarse buckets let through cycles whose lot exceeds a capacity; they carry nothing in a plan, only
            // in the LP. Where pricing finds them, finer buckets stop that (2,000-listing K = 4 books: up to 1 %).
            var candidates = found.Select(f => Column.Create(m, f.Legs)).ToList();
            var refined = !firstOrder && RefineWhereUnusable(lp, candidates);
            if (found.Count == 0 && !refined) { converged = true; break; }
            if (lpDeadline.Expired && lpValues is not null) break;
            if (firstOrder && lpValues is not null && bound - lpObjective <= FirstOrderGap * bound) break;
            // A PDLP solve cut by the limit is thrown away (1.5 s on 10,000 listings); fix and re-solve can use that time.
            if (firstOrder && lpValues is not null && lastSolve * 1.1 > lpDeadline.RemainingOr(TimeSpan.MaxValue)) break;
            // A usable cycle is always in its Min's bucket; one that cannot carry may be out of reach after refining.
            var added = candidates.Count(c => (!c.CannotCarry || comp.Priceable(c)) && lp.Add(c));
            if (added == 0 && !refined) { converged = true; break; } // only numerically positive duplicates left
            var t0 = deadline.Elapsed;
            // Until the LP is within a few percent of its bound, rough duals price as well as exact ones.
            lp.SetTolerance(bound - lpObjective > 0.03 * bound ? 1e-3 : 1e-4);
            var solved = lp.Solve(lpValues is null ? deadline.RemainingOr(TimeSpan.FromMinutes(10)) : lpDeadline.RemainingOr(TimeSpan.FromMinutes(10)), ct: ct);
            lastSolve = deadline.Elapsed - t0;
            Trace($"  solve {lastSolve.TotalMilliseconds:F0} ms, solved {solved}");
            if (!solved) break;
            lpValues = lp.Values();
            lpObjective = lp.Objective;
            lp.Duals(dual);
            if (firstOrder && pruning && lp.Columns.Count > PruneAbove * comp.Listings.Length)
                (lpValues, pruning) = Prune(lp, lpValues);
        }
        // Converged without an LP: pricing found no usable cycle (say, every lot exceeds what a partner can give),
        // so the empty plan is optimal; otherwise the budget ran out before a first LP.
        if (lpValues is null) return new Solution([], [], 0, bound, lp.Columns.Count + lp.Pruned, converged ? "colgen" : "lp-timeout");
        // A simplex optimum is exact, so its value is the bound; PDLP's is not, and its Lagrangian bound stands.
        if (converged && !firstOrder) bound = Math.Min(bound, Math.Max(lpObjective, lp.DualObjective(dual)));
        var columns = lp.Columns;
        if (lpValues.Length < columns.Count) Array.Resize(ref lpValues, columns.Count);
        var method = (converged ? "colgen" : "colgen-partial") + (firstOrder ? "(pdlp)" : "");
        // PDLP leaves dust on many columns; it would read as thousands of columns below their min lot.
        if (firstOrder)
            for (var i = 0; i < lpValues.Length; i++)
                if (lpValues[i] < 1e-3 * Math.Max(1, columns[i].Min)) lpValues[i] = 0;

        // (With whole pieces an amount off its step is not a plan either: flooring it leaves room for other cycles.)
        if (!columns.Where((c, i) => lpValues[i] > Tiny(c) && !c.Continuous && (lpValues[i] < c.Min * (1 - 1e-9) || !OnStep(c, lpValues[i]))).Any())
        {
            var clean = Sanitize(columns, lpValues);
            // Only a converged simplex LP is optimal. A cut or approximate one (PDLP answers to a tolerance relative to
            // the whole component, so next to towns moving 1e8 credits a swap of a few hundred reads as noise) leaves
            // quantities the residual fill can still clear: without it, a few towns listing the catalog's largest
            // quantities took every other town's trades out of the round.
            if (converged && !firstOrder) return new Solution(columns, clean, Objective(columns, clean), bound, columns.Count, method);
            var lpPlan = Objective(columns, clean);
            clean = Fill(lp, clean, deadline, ref lpPlan, ref method);
            return new Solution(lp.Columns, clean, lpPlan, bound, lp.Columns.Count + lp.Pruned, method);
        }

        // Min lots bind. 1) Round and re-optimise the amounts with the on/off choices fixed.
        var best = Sanitize(columns, Round(columns, lpValues));
        // (PDLP re-solves take seconds on big components and land on rough amounts: fix and re-solve does better there.)
        var fixedLp = firstOrder ? null : ResolveWithFixedChoices(lp, columns, best);
        if (fixedLp is not null && Objective(columns, fixedLp) > Objective(columns, best)) best = fixedLp;
        method += "+round";
        var incumbent = Objective(columns, best);
        Trace($"lp={lpObjective:F1} bound={bound:F1} cols={columns.Count} infeasibleCols={columns.Count(c => c.Min > c.Upper)} lpOnInfeasible={columns.Select((c, i) => c.Min > c.Upper ? lpValues[i] * c.Profit : 0).Sum():F1} lpBelowMin={columns.Select((c, i) => !c.Continuous && lpValues[i] < c.Min ? lpValues[i] * c.Profit : 0).Sum():F1} fixedLp={(fixedLp is null ? "none" : Objective(columns, fixedLp).ToString("F1"))} rounded={incumbent:F1} t={deadline.Elapsed.TotalSeconds:F2}");

        // 1b) Cycles on what the rounding left of each listing.
        best = Fill(lp, best, deadline.Fraction(0.5), ref incumbent, ref method);
        lpValues = Grown(lpValues, columns.Count);

        // 1c) Fix and re-solve (big components, 4-cycles, heavy min lots), then fill what it leaves.
        // With 4-cycles the LP leaves about a tenth of its value below the lots, and even the best choice
        // among its columns stays 0.5 % under the bound (measured): the plan needs new columns. So it does when
        // min lots hold a large share of the LP's value (2,000 listings with --heavy-min-lots, 23–29 %: 7.8 % →
        // 4.8 % in 5 s). With 2- and 3-cycles and light lots (5–7 %) the time is better spent on the
        // neighbourhood MIP (fix and re-solve made seed 1 worse there: 0.38 % → 0.55 %).
        // (Whole-lot columns, Min = Upper, are plain on/off choices — the kidney case — and the MIPs handle those.)
        var belowDivisibleLots = columns.Select((c, i) => !c.Continuous && c.Min < c.Upper && lpValues[i] < c.Min ? lpValues[i] * c.Profit : 0).Sum();
        var resolveFirst = firstOrder || m.K >= 4 || belowDivisibleLots > HeavyLotShare * lpObjective;
        var resolveTook = TimeSpan.Zero;
        if (resolveFirst && bound - incumbent > Tolerance(bound) && !deadline.Expired)
        {
            // PDLP: 12 % is left for what follows it: realize, fill, final fill and self-check take 3.6 s on 40,000 listings.
            var resolveStart = deadline.Elapsed;
            var resolved = FixAndResolve(lp, lpValues, deadline.Fraction(firstOrder ? 0.88 : 0.35), maxColumns,
                firstOrder ? ResolvePolicy.FirstOrder : ResolvePolicy.Simplex);
            if (resolved is not null)
            {
                var plan = Grown(resolved, columns.Count);
                Trace($"resolve: realized {Objective(columns, plan):F1}, t={deadline.Elapsed.TotalSeconds:F2}");
                var before = incumbent;
                var candidate = Objective(columns, plan);
                var resolvedMethod = method + "+resolve";
                plan = Fill(lp, plan, deadline, ref candidate, ref resolvedMethod);
                Trace($"resolve: filled {Objective(columns, plan):F1} vs {before:F1}, t={deadline.Elapsed.TotalSeconds:F2}");
                if (candidate > incumbent + Tolerance(incumbent)) { best = plan; incumbent = candidate; method += "+resolve"; }
            }
            lpValues = Grown(lpValues, columns.Count);
            best = Grown(best, columns.Count);
            resolveTook = deadline.Elapsed - resolveStart;
        }

        // 1d) 4-cycles on simplex under a time limit, where the MIP over every generated column is out of reach: a second
        // plan from perturbed profits, merged with this one (ComponentSolver.Merge); the region search then starts from
        // the merged plan. Smaller components leave it to the MIPs below (kidney, 64 pairs: the merge MIP took its whole
        // 4 s without a better plan, and the solve 4.5–4.9 s instead of 0.2–0.5 s; tests run it by its passes). It needs
        // about a second fix and re-solve and then CPU for its MIP: where fix and re-solve took over a quarter of what it
        // left, the machine is too busy for it to pay and the region search gets the time (2,000 listings, seed 1, 14
        // runs under load: three of the eight whose merge found only +11, ending at 0.93 %, 0.98 % and 1.00 %, would have
        // skipped it, none of the six that found +120 to +239). The RINS MIP runs on the second core meanwhile, and its plan
        // is merged in too (ComponentSolver.Beside).
        if (SearchesForPlans && !firstOrder && bound - incumbent > Tolerance(bound) && !deadline.Expired
            && (columns.Count(c => !c.Continuous) > MipColumnLimit || planSearchPasses is not null)
            && deadline.RemainingOr(TimeSpan.MaxValue) >= resolveTook * 4)
        {
            best = ImproveByMerging(lp, best, lpValues, deadline.Fraction(MergeShare), maxColumns, ref incumbent, ref method);
            lpValues = Grown(lpValues, columns.Count);
            best = Grown(best, columns.Count);
        }

        // 2) 4-cycles on simplex under a time limit: the on/off choices of a few towns at a time, with every amount in the
        // component free (ComponentSolver.Regions); it gains more per second there than the neighbourhood MIP below.
        if (SearchesForPlans && !firstOrder && bound - incumbent > Tolerance(bound) && !deadline.Expired)
        {
            best = ImproveRegions(lp, best, deadline.Fraction(RegionShare), ref incumbent, ref method);
            lpValues = Grown(lpValues, columns.Count);
            best = Grown(best, columns.Count);
        }

        // 2b) Neighbourhood MIP (RINS-like): only the LP's support; columns whose LP amount already meets
        // their min lot stay on, the others choose on/off. It finds most of what the integer phase gains, and
        // its tree search keeps finding better plans for seconds, so it gets most of the time left (before the
        // town neighbourhoods and the full MIP, which gain less per second: measured). With 2- and 3-cycles a
        // 40 % share made 2,000 listings drop from 0.38 % to 0.9–1.3 % when the limit was 20 % shorter.
        if (bound - incumbent > Tolerance(bound) && !deadline.Expired)
        {
            var share = firstOrder ? 0.4 : 0.8; // on PDLP fix and re-solve has had the time already
            var rins = Neighbourhood(lp, lpValues, best, deadline.RemainingOr(UnlimitedMipBudget) * share, keepLpFeasibleOn: true);
            if (rins is (var vals, var mip, var binaries))
            {
                Trace($"rins={Objective(columns, vals):F1} mip={mip.Objective:F1} mipBound={mip.BestBound:F1} optimal={mip.Optimal} binaries={binaries} t={deadline.Elapsed.TotalSeconds:F2}");
                if (Objective(columns, vals) > incumbent) { best = vals; incumbent = Objective(columns, vals); }
                method += "+rins";
            }
        }

        // 2c) Neighbourhoods (4-cycles, and PDLP when fix and re-solve leaves time): what the dive and the fill
        // leave, re-solved a few towns at a time while the time limit allows (without one, the MIPs below get it).
        if ((SearchesForPlans && !firstOrder || LeftOverAfterResolve(firstOrder)) && comp.TownCount > 2 * NeighbourhoodTowns && bound - incumbent > Tolerance(bound) && !deadline.Expired)
        {
            // PDLP: what follows (final fill, self-check) takes seconds there, and the gain per second is small.
            best = ImproveNeighbourhoods(lp, best, deadline.Fraction(firstOrder ? 0.6 : 0.85), ref incumbent, ref method);
            lpValues = Grown(lpValues, columns.Count);
            best = Grown(best, columns.Count);
        }

        // 3) The MIP over every generated column, when small enough.
        var integerCount = columns.Count(c => !c.Continuous);
        if (converged && bound - incumbent > Tolerance(bound) && integerCount <= MipColumnLimit && !deadline.Expired
            && deadline.RemainingOr(TimeSpan.MaxValue) >= MipTimePerColumn * integerCount)
        {
            var mip = MipSolver.Solve(m, columns, best, deadline.RemainingOr(UnlimitedMipBudget) * 0.7, ct);
            if (mip is not null)
            {
                var vals = Sanitize(columns, mip.Values);
                Trace($"mip={mip.Objective:F1} mipBound={mip.BestBound:F1} optimal={mip.Optimal} sanitized={Objective(columns, vals):F1} t={deadline.Elapsed.TotalSeconds:F1}");
                if (Objective(columns, vals) > incumbent) { best = vals; incumbent = Objective(columns, vals); }
                method += "+mip";
            }
        }

        // 3b) Too many columns for the full MIP: spend what is left of the budget on a wider neighbourhood —
        // the LP support with every on/off choice free (the first pass kept LP-feasible columns on).
        if (bound - incumbent > Tolerance(bound) && integerCount > MipColumnLimit && !deadline.Expired && deadline.RemainingOr(TimeSpan.Zero) > TimeSpan.FromSeconds(1))
        {
            var wide = Neighbourhood(lp, lpValues, best, deadline.RemainingOr(TimeSpan.Zero) * 0.8, keepLpFeasibleOn: false);
            if (wide is (var vals, var mip, _))
            {
                Trace($"wide rins={Objective(columns, vals):F1} mipBound={mip.BestBound:F1} t={deadline.Elapsed.TotalSeconds:F2}");
                if (Objective(columns, vals) > incumbent) { best = vals; incumbent = Objective(columns, vals); method += "+wide"; }
            }
        }

        // 4) Small component with a gap left: add every column that could still improve (reduced-profit
        // filtering against the LP duals) and solve the MIP on them; its optimum is then the true optimum.
        if (converged && !firstOrder && bound - incumbent > Tolerance(bound) && !deadline.Expired)
        {
            var proven = ProveByEnumeration(columns, best, bound - incumbent);
            if (proven is not null)
            {
                var (allColumns, values, mipBound, optimal) = proven.Value;
                var obj = Objective(allColumns, values);
                if (obj >= incumbent - Tolerance(incumbent))
                {
                    best = IntoLp(lp, allColumns, values);
                    incumbent = Objective(columns, best);
                }
                bound = Math.Min(bound, Math.Max(mipBound, incumbent));
                // Proven only where SCIP's bound meets the plan; within its gap the final fill may still add.
                method += optimal && bound - incumbent <= Tolerance(bound) ? "+enum-proof" : "+enum";
            }
        }
        if (!method.EndsWith("+enum-proof", StringComparison.Ordinal)) best = Fill(lp, best, deadline, ref incumbent, ref method);
        return new Solution(columns, best, incumbent, bound, lp.Columns.Count + lp.Pruned, method);
    }

    private double[] Fill(MasterLp lp, double[] plan, Deadline budget, ref double incumbent, ref string method)
    {
        // Amounts of columns the LP does not hold would be cut off, and the filled plan read against other cycles.
        if (plan.Length > lp.Columns.Count)
            throw new InvalidOperationException($"a plan of {plan.Length} amounts filled against {lp.Columns.Count} LP columns");
        if (budget.Expired) return Grown(plan, lp.Columns.Count);
        var filled = FillResidual(lp, plan, budget);
        var value = Objective(lp.Columns, filled);
        // A fill only adds cycles (each at least a millionth of what it could carry), so any gain is real: a relative
        // tolerance here threw away a few hundred credits of small towns' swaps next to 1e9 credits of big towns'.
        if (value <= incumbent) return Grown(plan, lp.Columns.Count);
        incumbent = value;
        if (!method.Contains("+fill", StringComparison.Ordinal)) method += "+fill";
        return filled;
    }

    /// <summary>A plan over other columns as amounts of the LP's own, those it lacks joining it: the final fill and the
    /// solution read one list (a proof that stopped short used to leave its plan over its own columns, and the fill then
    /// read those amounts against the LP's, other cycles: below their lots).</summary>
    private static double[] IntoLp(MasterLp lp, List<Column> columns, double[] values)
    {
        var plan = new double[lp.Columns.Count];
        for (var j = 0; j < columns.Count; j++)
        {
            if (values[j] <= 0) continue;
            var i = lp.IndexOf(columns[j]);
            plan = Grown(plan, lp.Columns.Count);
            plan[i] += values[j];
        }
        return plan;
    }

    private static double[] Grown(double[] values, int length)
    {
        if (values.Length < length) Array.Resize(ref values, length);
        return values;
    }

    private (List<Column>, double[], double, bool)? ProveByEnumeration(List<Column> columns, double[] incumbentValues, double gapAbs)
    {
        var all = comp.EnumerateAll(EnumerationLimit, ct);
        if (all is null) return null;
        var keep = new List<Column>(columns);
        var keys = new HashSet<string>(columns.Select(c => c.Key));
        foreach (var legs in all)
        {
            var c = Column.Create(m, legs);
            if (keys.Contains(c.Key)) continue;
            var r = c.ReducedProfit(m, dual);
            // A plan better than the incumbent has Σ r_c·V_c > −gap, so a min-lot column with r·Min ≤ −gap is never in it.
            if (c.Continuous || r * c.Min > -gapAbs - 1e-9) { keep.Add(c); keys.Add(c.Key); }
        }
        if (keep.Count > ProofColumnLimit) return null;
        var hint = new double[keep.Count];
        Array.Copy(incumbentValues, hint, incumbentValues.Length);
        var mip = MipSolver.Solve(m, keep, hint, proofMipLimit ?? deadline.RemainingOr(UnlimitedMipBudget) * 0.9, ct);
        if (mip is null) return null;
        return (keep, Sanitize(keep, mip.Values), mip.BestBound, mip.Optimal);
    }

    /// <summary>
    /// Farley's bound, also valid for any duals y ≥ 0: if every cycle's reduced profit is at most θ times its
    /// profit, then z* = Σ (profit − a·y)·V + Σ (a·y)·V ≤ θ·z* + Σ y·cap, so z* ≤ Σ y·cap / (1 − θ). A cycle of
    /// length k earns at least k × the smallest leg profit, and pricing knows the best reduced profit per length.
    /// Near the LP optimum θ is tiny, where the Lagrangian term still adds a whole source's offer capacity.
    /// </summary>
    private double FarleyBound(double dualObjective)
    {
        var minLegProfit = _minLegProfit ??= comp.ArcIds.Min(a =>
        {
            var min = double.PositiveInfinity;
            for (var e = m.ArcLegStart[a]; e < m.ArcLegStart[a + 1]; e++) min = Math.Min(min, m.LegProfit[e]);
            return min;
        });
        if (minLegProfit <= 0) return double.PositiveInfinity;
        var theta = 0.0;
        for (var len = 2; len < comp.MaxReducedByLength.Length; len++)
            theta = Math.Max(theta, comp.MaxReducedByLength[len] / (len * minLegProfit));
        return theta < 1 ? dualObjective / (1 - theta) : double.PositiveInfinity;
    }

    private double? _minLegProfit;

    /// <summary>PDLP under a time limit, when fix and re-solve has decided everything with a tenth or more of the time
    /// spent so far still left: then the neighbourhoods get it (10,000 listings with heavy min lots: 11 towns in 4.7 s,
    /// +5.5 k, 11.06 % → 10.69 %; with light lots fix and re-solve uses the time, and 8 neighbourhoods in 3.4 s gained 32).</summary>
    private bool LeftOverAfterResolve(bool firstOrder) =>
        firstOrder && !deadline.Unlimited && deadline.RemainingOr(TimeSpan.Zero) > deadline.Elapsed * 0.1;

    /// <summary>4-cycles under a time limit: the plan, not a proof, is what the time after the LP can still
    /// improve, so the neighbourhood MIP searches for plans and gets most of it, then town neighbourhoods run.
    /// Without a time limit the MIPs aim at proofs (and at the same plan every run), unless a test asks for the
    /// searches by their passes (<see cref="SolveOptions.PlanSearchPasses"/>).</summary>
    private bool SearchesForPlans => m.K >= 4 && (!deadline.Unlimited || planSearchPasses is not null);

    /// <summary>
    /// A MIP over the LP's support (and the incumbent's columns), warm-started from the incumbent; with
    /// <paramref name="keepLpFeasibleOn"/> the columns whose LP amount already meets their lot stay on and only
    /// the others choose. The answer, mapped back to every column, gets its amounts re-optimised by the LP.
    /// </summary>
    /// <param name="polish">False: the amounts are left as the MIP chose them and the LP is never touched (the caller
    /// re-optimises them; merging runs this on the second core while the LP serves the first).</param>
    /// <param name="snapshot">The columns to read instead of the LP's, which another thread may be adding to.</param>
    /// <returns>Null when there are too many on/off choices for the budget or the MIP finds nothing.</returns>
    private (double[] Values, MipSolver.Outcome Mip, int Binaries)? Neighbourhood(MasterLp lp, double[] lpValues, double[] best,
        TimeSpan limit, bool keepLpFeasibleOn, bool polish = true, List<Column>? snapshot = null)
    {
        var columns = snapshot ?? lp.Columns;
        var support = Enumerable.Range(0, columns.Count).Where(i => lpValues[i] > Tiny(columns[i]) || best[i] > 0).ToArray();
        var sub = support.Select(i => columns[i]).ToList();
        var forceOn = keepLpFeasibleOn
            ? support.Select(i => !columns[i].Continuous && lpValues[i] >= columns[i].Min * (1 - 1e-9) && best[i] > 0).ToArray()
            : null;
        var binaries = forceOn?.Count(f => !f) ?? sub.Count(c => !c.Continuous);
        if (binaries > MaxNeighbourhoodBinaries) return null;
        var mip = MipSolver.Solve(m, sub, support.Select(i => best[i]).ToArray(), limit, ct, forceOn, forPlans: SearchesForPlans);
        if (mip is null) return null;
        var vals = new double[columns.Count];
        for (var k = 0; k < support.Length; k++) vals[support[k]] = mip.Values[k];
        vals = Sanitize(columns, vals);
        if (!polish) return (vals, mip, binaries);
        var polished = ResolveWithFixedChoices(lp, columns, vals);
        if (polished is not null && Objective(columns, polished) > Objective(columns, vals)) vals = polished;
        return (vals, mip, binaries);
    }

    private double[]? ResolveWithFixedChoices(MasterLp lp, List<Column> columns, double[] chosen)
    {
        for (var c = 0; c < columns.Count; c++)
            if (!columns[c].Continuous)
                lp.SetBounds(c, chosen[c] > 0 ? columns[c].Min : 0, chosen[c] > 0 ? columns[c].Upper : 0);
        double[]? result = null;
        if (!deadline.Expired && lp.Solve(deadline.RemainingOr(TimeSpan.FromMinutes(1)), dualSimplex: true, ct)) result = Sanitize(columns, lp.Values());
        for (var c = 0; c < columns.Count; c++) if (!columns[c].Continuous) lp.SetBounds(c, 0, double.PositiveInfinity);
        return result;
    }

    /// <summary>Rounding: keep LP amounts that meet min lots, lift or drop the others, then fill leftover capacity greedily.</summary>
    private double[] Round(List<Column> columns, double[] lpValues)
    {
        var residual = new Dictionary<int, double>();
        foreach (var l in comp.Listings) residual[l] = m.Cap[l];
        var x = new double[columns.Count];
        double Avail(Column c) => c.Legs.Min(e => Math.Min(residual[m.LegOffer[e]], residual[m.LegNeed[e]]));
        void Take(int i, double v)
        {
            x[i] += v;
            foreach (var e in columns[i].Legs) { residual[m.LegOffer[e]] -= v; residual[m.LegNeed[e]] -= v; }
        }
        for (var i = 0; i < columns.Count; i++)
            if (lpValues[i] > Tiny(columns[i]) && (columns[i].Continuous || lpValues[i] >= columns[i].Min * (1 - 1e-9)))
                Take(i, Math.Min(lpValues[i], Math.Max(0, Avail(columns[i]))));
        var order = Enumerable.Range(0, columns.Count)
            .Where(i => lpValues[i] > Tiny(columns[i]) && x[i] == 0)
            .OrderByDescending(i => lpValues[i] / columns[i].Min).ThenByDescending(i => columns[i].Profit).ThenBy(i => i);
        foreach (var i in order)
            if (Avail(columns[i]) >= columns[i].Min) Take(i, columns[i].Min);
        foreach (var i in Enumerable.Range(0, columns.Count).OrderByDescending(i => columns[i].Profit).ThenBy(i => i))
        {
            if (columns[i].Profit <= 0) break;
            var a = Avail(columns[i]);
            if (a <= Tiny(columns[i])) continue;
            if (x[i] > 0 || a >= columns[i].Min) Take(i, a);
        }
        return x;
    }

    /// <summary>Removes LP noise: drops dust, snaps near-min amounts, and shrinks amounts that exceed a capacity by a rounding error.</summary>
    private double[] Sanitize(List<Column> columns, double[] values)
    {
        var x = (double[])values.Clone();
        for (var i = 0; i < x.Length; i++)
        {
            var c = columns[i];
            if (x[i] <= Tiny(c)) x[i] = 0;
            else if (!c.Continuous && x[i] < c.Min) x[i] = x[i] >= c.Min * (1 - 1e-6) ? c.Min : 0;
            x[i] = Math.Min(x[i], c.Upper);
        }
        for (var pass = 0; pass < 5; pass++)
        {
            var usage = new Dictionary<int, double>();
            for (var i = 0; i < x.Length; i++)
                if (x[i] > 0)
                    foreach (var e in columns[i].Legs)
                    {
                        usage[m.LegOffer[e]] = usage.GetValueOrDefault(m.LegOffer[e]) + x[i];
                        usage[m.LegNeed[e]] = usage.GetValueOrDefault(m.LegNeed[e]) + x[i];
                    }
            var over = usage.Where(kv => kv.Value > m.Cap[kv.Key] * (1 + 1e-12)).ToDictionary(kv => kv.Key, kv => m.Cap[kv.Key] / kv.Value);
            if (over.Count == 0) break;
            for (var i = 0; i < x.Length; i++)
            {
                if (x[i] == 0) continue;
                var f = 1.0;
                foreach (var e in columns[i].Legs)
                {
                    if (over.TryGetValue(m.LegOffer[e], out var a)) f = Math.Min(f, a);
                    if (over.TryGetValue(m.LegNeed[e], out var b)) f = Math.Min(f, b);
                }
                if (f < 1)
                {
                    x[i] *= f * (1 - 1e-12);
                    if (!columns[i].Continuous && x[i] < columns[i].Min * (1 - 1e-6)) x[i] = 0;
                }
            }
        }
        // Whole pieces: every plan the phases compare is whole, so none wins on a fraction it could never deliver.
        // Flooring only lowers amounts (they still fit), and the lots are multiples of the step, so what was at its lot stays.
        if (m.PieceGrid is not null)
            for (var i = 0; i < x.Length; i++)
                if (x[i] > 0 && columns[i].Step > 0)
                {
                    x[i] = columns[i].Whole(x[i]);
                    if (x[i] < columns[i].Min * (1 - 1e-9)) x[i] = 0;
                }
        return x;
    }

    /// <summary>Whether the amount is whole in the column's pieces (always, without whole pieces or piece legs).</summary>
    private static bool OnStep(Column c, double value) => c.Step <= 0 || Math.Abs(c.Whole(value) - value) <= 1e-9 * Math.Max(1, value);

    /// <summary>The caller's progress sink for this solve (<see cref="SolveOptions.Progress"/>); the library itself writes nothing.</summary>
    internal static readonly AsyncLocal<Action<string>?> Progress = new();

    internal static void Trace(string message) => Progress.Value?.Invoke(message);

    /// <summary>A pricing pass over <paramref name="view"/>, or null when <paramref name="stop"/> (a budget, not the
    /// caller's token) ended it first. Parallel pricing reports that as an AggregateException of cancellations.</summary>
    private (List<(int[] Legs, double Reduced)> Columns, double LagrangianTerm)? PriceUnlessStopped(Component view, double[] duals,
        int maxColumns, CancellationTokenSource stop)
    {
        try { return view.Price(duals, PricingEps, maxColumns, stop.Token); }
        catch (Exception e) when (e is OperationCanceledException or AggregateException && stop.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return null;
        }
    }

    private static double Tiny(Column c) => 1e-9 * Math.Max(1, c.Upper);
    internal static double Tolerance(double v) => 1e-6 * Math.Max(1, Math.Abs(v));

    public static double Objective(List<Column> columns, double[] values)
    {
        double z = 0;
        for (var i = 0; i < values.Length; i++) z += values[i] * columns[i].Profit;
        return z;
    }
}

/// <summary>A wall-clock budget; null limit means unlimited.</summary>
internal sealed class Deadline(TimeSpan? limit)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    public TimeSpan Elapsed => _clock.Elapsed;
    public bool Unlimited => limit is null;
    public bool Expired => limit is { } l && _clock.Elapsed >= l;
    public TimeSpan RemainingOr(TimeSpan fallback) => limit is { } l ? (l - _clock.Elapsed < TimeSpan.Zero ? TimeSpan.Zero : l - _clock.Elapsed) : fallback;

    /// <summary>A deadline at a share of the remaining time (for giving phases a budget).</summary>
    public Deadline Fraction(double share) => new(limit is { } l ? (l - _clock.Elapsed) * share : null);

    /// <summary>A deadline after <paramref name="budget"/> or this one, whichever comes first.</summary>
    public Deadline Within(TimeSpan budget) => new(limit is { } l ? TimeSpan.FromTicks(Math.Min(budget.Ticks, Math.Max(0, (l - _clock.Elapsed).Ticks))) : budget);
}
