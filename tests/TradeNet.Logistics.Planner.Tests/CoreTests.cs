using TradeNet.Logistics.Planner.Core;

namespace TradeNet.Logistics.Planner.Tests;

public class CoreTests
{
    /// <summary>Five points on a line, depot at 0; pickups at 1 and 2 deliver to 4 and 3.</summary>
    private static RoutingProblem LinePairs(long[]? windowEnd = null)
    {
        int n = 5;
        var dist = Enumerable.Range(0, n).Select(i => Enumerable.Range(0, n).Select(j => (long)Math.Abs(i - j) * 10).ToArray()).ToArray();
        var demand = new long[] { 0, 3, 4, -4, -3 };
        var delivery = new[] { -1, 4, 3, -1, -1 };
        return new RoutingProblem(dist, dist, new long[n], new long[n], windowEnd ?? Enumerable.Repeat(long.MaxValue, n).ToArray(),
            [demand], [new VehicleSpec(0, 0, [10], 1, 0, 0, long.MaxValue)], [1, 2, 3, 4], delivery);
    }

    [Theory]
    [InlineData(SearchStrategy.OrTools)]
    [InlineData(SearchStrategy.RuinRecreate)]
    [InlineData(SearchStrategy.Hybrid)]
    public void Pairs_without_time_windows_are_solved_at_their_optimum_by_every_strategy(SearchStrategy strategy)
    {
        var p = LinePairs();
        var s = RoutingEngine.Solve(p, new SolverOptions(TimeSpan.FromSeconds(1), strategy));
        Assert.Empty(RouteEvaluator.Violations(p, s));
        Assert.Equal(80, RouteEvaluator.Cost(p, s)); // out to 4 and back
    }

    [Fact]
    public void A_window_that_cannot_be_met_leaves_a_mandatory_pair_unassigned_and_flagged()
    {
        // Delivery 4 must start by time 5, but it is 30 away from its pickup.
        var p = LinePairs([long.MaxValue, long.MaxValue, long.MaxValue, long.MaxValue, 5]);
        var s = RoutingEngine.Solve(p, new SolverOptions(TimeSpan.FromMilliseconds(500), SearchStrategy.RuinRecreate));
        Assert.Contains(4, s.Unassigned);
        Assert.Contains(RouteEvaluator.Violations(p, s), e => e.Contains("mandatory"));
    }

    [Fact]
    public void With_no_time_left_for_the_regret_construction_the_first_solution_is_built_greedily_and_still_serves_every_pair()
    {
        // Generous windows: the regret construction would run, but its budget is already spent.
        var p = LinePairs([long.MaxValue, 1_000, 1_000, 1_000, 1_000]);

        var hurried = new RuinRecreateSearch(p, 1).Construct(TimeSpan.Zero);
        var unhurried = new RuinRecreateSearch(p, 1).Construct();

        Assert.Empty(hurried.Unassigned);
        Assert.Empty(RouteEvaluator.Violations(p, hurried));
        Assert.Equal([1, 2, 3, 4], hurried.Routes.SelectMany(r => r).Order());
        Assert.Empty(unhurried.Unassigned);
    }

    [Fact]
    public void The_core_checker_catches_a_delivery_before_its_pickup()
    {
        var p = LinePairs();
        var bad = new RoutingSolution([[4, 1, 2, 3]], []);
        Assert.Contains(RouteEvaluator.Violations(p, bad), e => e.Contains("before pickup"));
    }

    [Fact]
    public void The_core_checker_catches_an_overload()
    {
        var p = LinePairs();
        var ok = new RoutingSolution([[1, 2, 3, 4]], []);
        Assert.Empty(RouteEvaluator.Violations(p, ok));
        var tight = new RoutingProblem(p.Distance, p.TravelTime, p.ServiceTime, p.WindowStart, p.WindowEnd, p.Demand,
            [new VehicleSpec(0, 0, [6], 1, 0, 0, long.MaxValue)], p.Visits, [-1, 4, 3, -1, -1]);
        Assert.Contains(RouteEvaluator.Violations(tight, ok), e => e.Contains("capacity"));
    }
}
