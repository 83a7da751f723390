using System.Diagnostics;

namespace TradeNet.Matching.Engine;

/// <summary>
/// Multi-town barter clearing (issue 3). Maximises Σ legs × V (minus linear transport cost) over simple
/// cycles of 2..K towns, with listing capacities and min lots. Per strongly connected component of the
/// town graph: LP column generation (GLOP, or PDLP on big components; exact K-step DP pricing) gives the
/// bound; rounding, an LP re-solve and a MIP over the generated columns give the plan; small components
/// are proven optimal by reduced-profit filtered enumeration. Deterministic for the same input when no
/// time limit cuts it.
/// </summary>
public static class ClearingEngine
{
    public static ClearingResult Solve(Book book, SolveOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= SolveOptions.Default;
        var clock = Stopwatch.StartNew();
        ComponentSolver.Progress.Value = options.Progress;
        var effective = Effective(book, options);
        BookValidator.ThrowIfInvalid(effective);
        var settings = effective.Settings!;
        // The self-check and assembling the result come after the solver's deadline; keep them inside the limit.
        var deadline = new Deadline(settings.TimeLimitSeconds is { } s ? TimeSpan.FromSeconds(s - Math.Min(2, 0.02 * s)) : null);

        var market = Market.Build(effective, settings.MaxCycleLength, options.TransportCost, cancellationToken, options.MaxLegsPerTownPair);
        var components = market.CycleComponents();
        ComponentSolver.Trace($"market: {market.LegCount} legs, {market.ArcCount} town arcs, {components.Count} components, {clock.Elapsed.TotalSeconds:F1} s");
        // The bilateral baseline is the floor of the answer; it is cheap, so it is computed first.
        var (greedy, swaps) = GreedyBilateral.SolveWithLegs(market);
        var swapsByComponent = SeedsByComponent(market, components, swaps);
        ComponentSolver.Trace($"greedy: {greedy.Objective:F1}, {clock.Elapsed.TotalSeconds:F1} s");
        var localOfTown = new int[market.TownCount];
        var dual = new double[market.Book.Listings.Count];
        var trades = new List<(Column Column, double Value)>();
        double objective = 0, bound = 0;
        var generated = 0;
        var methods = new SortedSet<string>(StringComparer.Ordinal);
        for (var ci = 0; ci < components.Count; ci++)
        {
            var arcs = components[ci];
            cancellationToken.ThrowIfCancellationRequested();
            var comp = new Component(market, arcs, localOfTown);
            // On big components the LP may stop short of its optimum; the circulation bound is then the
            // fallback. It takes seconds there, so it runs on the other core while the LP starts.
            var early = comp.Listings.Length > options.FirstOrderAboveListings
                ? Task.Run(() => CirculationBound.Compute(market, arcs), cancellationToken) : null;
            var sol = new ComponentSolver(market, comp, deadline, dual, cancellationToken, swapsByComponent[ci], seedsArePlan: true,
                options.FirstOrderAboveListings, options.PlanSearchPasses, options.ProofMipLimit, options.MergeRounds).Solve();
            for (var i = 0; i < sol.Values.Length; i++)
                if (sol.Values[i] > 0) trades.Add((sol.Columns[i], sol.Values[i]));
            objective += sol.Objective;
            double? circulation = null;
            if (early is not null)
            {
                // Not waited for past the deadline (it cannot be interrupted, and a huge component's takes tens of
                // seconds): the capacities then bound the plan instead.
                if (early.Wait(deadline.RemainingOr(Timeout.InfiniteTimeSpan), cancellationToken)) circulation = early.Result;
                else circulation = CirculationBound.ByCapacity(market, comp.Listings);
                ComponentSolver.Trace($"circulation bound {circulation:F1}{(early.IsCompleted ? "" : " (by capacity: the flow bound was not ready)")}, {clock.Elapsed.TotalSeconds:F1} s");
            }
            var componentBound = sol.Bound;
            if (!double.IsFinite(componentBound) || componentBound - sol.Objective > ComponentSolver.Tolerance(componentBound))
            {
                circulation ??= CirculationBound.Compute(market, arcs);
                ComponentSolver.Trace($"component bound {componentBound:F1}, circulation bound {circulation:F1}, objective {sol.Objective:F1}");
                // A bound below a plan that passed its checks is a numerical failure, not news about the optimum.
                if (circulation.Value >= sol.Objective - ComponentSolver.Tolerance(sol.Objective))
                    componentBound = Math.Min(componentBound, Math.Max(sol.Objective, circulation.Value));
                else ComponentSolver.Trace($"circulation bound {circulation:F1} is below the plan's {sol.Objective:F1}: not used");
            }
            // No bound at all (pricing never finished a pass, and the flow bound failed): the capacities still bound it.
            if (!double.IsFinite(componentBound)) componentBound = Math.Max(sol.Objective, CirculationBound.ByCapacity(market, comp.Listings));
            bound += componentBound;
            generated += sol.GeneratedColumns;
            methods.Add(sol.Method);
        }

        // Crowded town arcs were thinned: what was proven bounds the thinned book only, so the bound takes on what the dropped
        // legs could have carried (a plan claimed optimal over the thinned legs is not known to be the book's optimum).
        if (market.ThinnedValue > 0)
        {
            bound += market.K * market.ThinnedValue;
            ComponentSolver.Trace($"thinned arcs: bound + {market.K} x {market.ThinnedValue:F1}");
        }

        // The objective is recomputed from the chosen amounts so it matches the returned trades exactly.
        objective = trades.Sum(t => t.Value * t.Column.Profit);
        var result = Build(market, trades.Select(t => ToTrade(market, t.Column, t.Value)).ToList(), objective, bound,
            clock, components.Count, generated, string.Join(";", methods));
        // Under a tight time limit the LP plan can trail the bilateral baseline: never return less than it.
        ClearingResult Baseline() => Build(market, greedy.Trades.ToList(), greedy.Objective, bound, clock, components.Count, generated, "greedy-fallback");
        if (greedy.Objective > result.Objective + ComponentSolver.Tolerance(result.Objective)) result = Baseline();

        if (options.DefectForTests is { } defect) result = result with { Trades = defect(result.Trades) };

        if (!options.SkipSelfCheck)
        {
            var errors = ResultValidator.Validate(effective, result, options.TransportCost);
            if (errors.Count > 0 && options.FallBackOnInvalidPlan)
            {
                // The baseline's swaps are checked by the same rules; its plan stands under the same bound.
                ComponentSolver.Trace($"self-check failed: {errors[0]}; the bilateral baseline's plan stands in");
                result = Baseline();
                result = result with { Stats = result.Stats with { InvalidPlan = errors[0] } };
                errors = ResultValidator.Validate(effective, result, options.TransportCost);
            }
            if (errors.Count > 0) throw new InvalidOperationException("engine produced an invalid plan: " + errors[0]);
            ComponentSolver.Trace($"self-check passed, {clock.Elapsed.TotalSeconds:F1} s");
        }
        return result;
    }

    /// <summary>Groups the baseline's swaps by the component holding their towns (a swap never spans two).</summary>
    private static List<(int[] Legs, double Value)>[] SeedsByComponent(Market m, List<int[]> components, List<(int[] Legs, double Value)> swaps)
    {
        var componentOfTown = new int[m.TownCount];
        Array.Fill(componentOfTown, -1);
        for (var c = 0; c < components.Count; c++)
            foreach (var a in components[c]) componentOfTown[m.ArcFrom[a]] = c;
        var result = components.Select(_ => new List<(int[] Legs, double Value)>()).ToArray();
        foreach (var swap in swaps)
        {
            var c = componentOfTown[m.ListingTown[m.LegOffer[swap.Legs[0]]]];
            if (c >= 0) result[c].Add(swap);
        }
        return result;
    }

    /// <summary>The book with the caller's overrides applied to its settings.</summary>
    public static Book Effective(Book book, SolveOptions options)
    {
        var s = book.Settings ?? new Settings();
        s = s with
        {
            MaxCycleLength = options.MaxCycleLength ?? s.MaxCycleLength,
            MaxChainLength = options.MaxChainLength ?? s.MaxChainLength,
            TimeLimitSeconds = options.TimeLimit is { } t ? t.TotalSeconds : s.TimeLimitSeconds,
            WholePieces = options.WholePieces ?? s.WholePieces,
        };
        return book with { Settings = s };
    }

    private static ClearingResult Build(Market m, List<Trade> trades, double objective, double bound,
        Stopwatch clock, int components, int columns, string method)
    {
        bound = Math.Max(bound, objective);
        var gap = bound > 0 ? Math.Max(0, (bound - objective) / bound) : 0;
        var histogram = new SortedDictionary<int, int>();
        foreach (var t in trades.Where(t => !t.Chain)) histogram[t.Legs.Count] = histogram.GetValueOrDefault(t.Legs.Count) + 1;
        var stats = new SolveStats(m.RealListings, m.TownCount, m.LegCount - m.ChainEndLegs, trades.Count, histogram,
            clock.Elapsed.TotalSeconds, components, columns, method, trades.Count(t => t.Chain));
        return new ClearingResult(trades, objective, bound, gap, gap <= 1e-6 ? SolveStatus.Optimal : SolveStatus.Feasible, stats);
    }

    /// <summary>The column as a trade; a chain drops its virtual leg back to the donor and starts at the donor.</summary>
    private static Trade ToTrade(Market m, Column c, double value)
    {
        var legs = new List<Leg>(c.Legs.Length);
        var end = Array.FindIndex(c.Legs, m.IsChainEnd);
        for (var i = 0; i < c.Legs.Length; i++)
        {
            var e = c.Legs[(end + 1 + i) % c.Legs.Length]; // end is −1 for a cycle: legs in their order
            if (m.IsChainEnd(e)) continue;
            var offer = m.Book.Listings[m.LegOffer[e]];
            var need = m.Book.Listings[m.LegNeed[e]];
            legs.Add(new Leg(offer.Town, need.Town, offer.Id, need.Id, offer.Category, m.Quantity(m.LegOffer[e], value), value));
        }
        return new Trade(legs, Chain: end >= 0);
    }
}
