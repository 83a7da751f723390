using System.Diagnostics;

namespace TradeNet.Logistics.Planner.Core;

/// <summary>Runs the chosen strategy within the budget and returns the best solution found.</summary>
public static class RoutingEngine
{
    /// <summary>Budgets below this skip the OR-Tools phase of the hybrid strategy.</summary>
    public static readonly TimeSpan ShortBudget = TimeSpan.FromSeconds(2);

    public static RoutingSolution Solve(RoutingProblem p, SolverOptions options, CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        TimeSpan Left() => options.TimeLimit - clock.Elapsed;
        if (p.Visits.Length == 0)
            return new RoutingSolution(p.Vehicles.Select(_ => Array.Empty<int>()).ToArray(), []);

        var lns = new RuinRecreateSearch(p, options.Seed);
        long iterations = options.Iterations ?? long.MaxValue;
        // The first solution may take half the budget (on the clock only: an iteration budget keeps runs deterministic).
        TimeSpan? constructing = options.Iterations is null ? options.TimeLimit / 2 : null;
        // In deterministic mode OR-Tools stops after a fixed number of solutions instead of the clock (GLS never stops on its own).
        long solutions = options.Iterations is null ? long.MaxValue : 50;
        switch (options.Strategy)
        {
            case SearchStrategy.OrTools:
                return OrToolsSearch.Solve(p, options.TimeLimit, options.FirstSolution, solutionLimit: solutions) ?? lns.Construct(constructing);
            case SearchStrategy.RuinRecreate:
                return lns.Improve(lns.Construct(constructing), Left(), iterations, cancel);
            case SearchStrategy.Hybrid when options.TimeLimit < ShortBudget:
                // Measured on the 100-stop case: at 1 s, OR-Tools' model building and first solution
                // take time the own search uses better (all transfers served more often, lower cost).
                return lns.Improve(lns.Construct(constructing), Left(), iterations, cancel);
            default:
                // Own search first: it serves more transfers and finds the better basins; then OR-Tools'
                // guided local search polishes its best with its own move set. Starting GLS from a
                // complete solution also means it can never leave a transfer out that was served.
                var lnsTime = options.TimeLimit * (1 - options.OrToolsShare) - clock.Elapsed;
                var best = lns.Improve(lns.Construct(constructing), lnsTime, iterations, cancel);
                if (cancel.IsCancellationRequested || Left() <= TimeSpan.FromMilliseconds(50)) return best;
                // OR-Tools overshoots its limit by model building and under CPU contention: keep a margin.
                var margin = TimeSpan.FromMilliseconds(Math.Min(200, options.TimeLimit.TotalMilliseconds * 0.05));
                var polished = OrToolsSearch.Solve(p, Left() - margin, options.FirstSolution, start: best,
                    solutionLimit: solutions);
                return Better(p, polished, best);
        }
    }

    private static RoutingSolution Better(RoutingProblem p, RoutingSolution? a, RoutingSolution b) =>
        a is null || RouteEvaluator.Cost(p, b) < RouteEvaluator.Cost(p, a) ? b : a;
}
