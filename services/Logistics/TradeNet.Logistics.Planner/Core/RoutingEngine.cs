using System.Diagnostics;

namespace TradeNet.Logistics.Planner.Core;

/// <summary>Runs the chosen strategy within the budget and returns the best solution found.</summary>
public static class RoutingEngine
{
    public static RoutingSolution Solve(RoutingProblem p, SolverOptions options, CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        TimeSpan Left() => options.TimeLimit - clock.Elapsed;
        if (p.Visits.Length == 0)
            return new RoutingSolution(p.Vehicles.Select(_ => Array.Empty<int>()).ToArray(), []);

        var lns = new RuinRecreateSearch(p, options.Seed);
        long iterations = options.Iterations ?? long.MaxValue;
        switch (options.Strategy)
        {
            case SearchStrategy.OrTools:
                return OrToolsSearch.Solve(p, options.TimeLimit, options.FirstSolution) ?? lns.Construct();
            case SearchStrategy.RuinRecreate:
                return lns.Improve(lns.Construct(), Left(), iterations, cancel);
            default:
                var orTime = options.TimeLimit * options.OrToolsShare;
                var constructed = lns.Construct();
                // In deterministic mode OR-Tools stops after a fixed number of improving solutions instead of the clock.
                var fromOrTools = OrToolsSearch.Solve(p, orTime, options.FirstSolution,
                    solutionLimit: options.Iterations is null ? long.MaxValue : 50);
                var start = Better(p, fromOrTools, constructed);
                return lns.Improve(start, Left(), iterations, cancel);
        }
    }

    private static RoutingSolution Better(RoutingProblem p, RoutingSolution? a, RoutingSolution b) =>
        a is null || RouteEvaluator.Cost(p, b) < RouteEvaluator.Cost(p, a) ? b : a;
}
