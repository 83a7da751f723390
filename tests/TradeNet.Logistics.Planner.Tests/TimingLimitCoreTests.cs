using TradeNet.Logistics.Planner.Core;

namespace TradeNet.Logistics.Planner.Tests;

/// <summary>Ride and route-duration limits in the integer model, solved by each search on its own.</summary>
public class TimingLimitCoreTests
{
    /// <summary>The end of every open window (finite: OR-Tools' horizon is the latest window end).</summary>
    private const long Open = 10_000, NoLimit = long.MaxValue;

    /// <summary>Points on a line (10 time and distance units per step, no service time), depot at x = 0. Every visit is
    /// optional at a penalty above any route, as the planner makes them: OR-Tools' first-solution heuristics do not see
    /// a ride limit (a constraint of its solver, not of its routing filters) and find nothing when every visit is mandatory.</summary>
    private static RoutingProblem Line(int[] x, long[] windowStart, long[] windowEnd, int[] deliveryOfPickup, VehicleSpec[] fleet,
        long[]? maxRide = null)
    {
        int n = x.Length;
        var dist = Enumerable.Range(0, n).Select(i => Enumerable.Range(0, n).Select(j => (long)Math.Abs(x[i] - x[j]) * 10).ToArray()).ToArray();
        var demand = deliveryOfPickup.Select((d, i) => d >= 0 ? 1L : deliveryOfPickup.Contains(i) ? -1L : 0L).ToArray();
        return new RoutingProblem(dist, dist, new long[n], windowStart, windowEnd, [demand], fleet,
            Enumerable.Range(1, n - 1).ToArray(), deliveryOfPickup, Enumerable.Repeat(1_000_000L, n).ToArray(), maxRide: maxRide);
    }

    /// <summary>
    /// Bread is loaded at x = 2 between times 20 and 30 for x = 1; other goods wait at x = 9 for x = 1. The cheapest tour
    /// (180) loads the bread, drives out to 9 and back, unloading both at 1: the bread rides 150. Delivering it first costs 200.
    /// </summary>
    private static RoutingProblem Bread(long? breadRide) =>
        Line([0, 2, 1, 9, 1], [0, 20, 0, 20, 0], [Open, 30, Open, Open, Open], [-1, 2, -1, 4, -1],
            [new VehicleSpec(0, 0, [10], 1, 0, 0, Open)],
            breadRide is { } ride ? [NoLimit, ride, NoLimit, NoLimit, NoLimit] : null);

    /// <summary>Two loads from x = 1 to x = 2, one ready at time 10, the other at 500; two vehicles at 1000 each.
    /// One vehicle doing both (1060) is out from time 0 to 530; two cost 2080.</summary>
    private static RoutingProblem TwoShifts(long? maxDuration) =>
        Line([0, 1, 2, 1, 2], [0, 10, 0, 500, 0], [Open, 20, Open, 510, Open], [-1, 2, -1, 4, -1],
            [.. Enumerable.Repeat(new VehicleSpec(0, 0, [10], 1, 1000, 0, Open, MaxDuration: maxDuration ?? NoLimit), 2)]);

    private static RoutingSolution OwnSearch(RoutingProblem p) =>
        RoutingEngine.Solve(p, new SolverOptions(TimeSpan.FromSeconds(30), SearchStrategy.RuinRecreate, Iterations: 200));

    private static RoutingSolution OrTools(RoutingProblem p) =>
        OrToolsSearch.Solve(p, TimeSpan.FromSeconds(2), solutionLimit: 200) ?? throw new InvalidOperationException("OR-Tools found no solution");

    public static TheoryData<string> Searches => ["own", "or-tools"];

    private static RoutingSolution Solve(string search, RoutingProblem p) => search == "own" ? OwnSearch(p) : OrTools(p);

    [Theory]
    [MemberData(nameof(Searches))]
    public void Without_a_ride_limit_the_cheapest_tour_keeps_the_bread_on_board_for_the_detour(string search)
    {
        var p = Bread(null);
        var s = Solve(search, p);
        Assert.Empty(RouteEvaluator.Violations(p, s));
        Assert.Equal(180, RouteEvaluator.Cost(p, s));
    }

    [Theory]
    [MemberData(nameof(Searches))]
    public void With_a_ride_limit_each_search_delivers_the_bread_before_the_detour(string search)
    {
        var p = Bread(40);
        var s = Solve(search, p);
        Assert.Empty(RouteEvaluator.Violations(p, s));
        Assert.Empty(s.Unassigned);
        Assert.Equal(200, RouteEvaluator.Cost(p, s));
        var route = s.Routes.Single(r => r.Length > 0);
        Assert.Equal(Array.IndexOf(route, 1) + 1, Array.IndexOf(route, 2)); // unloaded right after loading
    }

    [Theory]
    [MemberData(nameof(Searches))]
    public void Without_a_route_duration_limit_one_vehicle_waits_for_the_late_load(string search)
    {
        var p = TwoShifts(null);
        var s = Solve(search, p);
        Assert.Empty(RouteEvaluator.Violations(p, s));
        Assert.Equal(1, s.UsedVehicles);
    }

    [Theory]
    [MemberData(nameof(Searches))]
    public void With_a_route_duration_limit_each_search_uses_a_second_vehicle_instead_of_a_long_wait(string search)
    {
        var p = TwoShifts(200);
        var s = Solve(search, p);
        Assert.Empty(RouteEvaluator.Violations(p, s));
        Assert.Empty(s.Unassigned);
        Assert.Equal(2, s.UsedVehicles);
        for (int v = 0; v < s.Routes.Length; v++)
        {
            var schedule = RouteEvaluator.Schedule(p, v, s.Routes[v])!;
            Assert.InRange(schedule.End - schedule.Start, 0, 200);
        }
    }

    [Fact]
    public void A_load_too_late_for_any_vehicle_within_its_duration_limit_is_left_out_by_each_search()
    {
        // One vehicle only: the second load cannot be served within 200 of leaving home and the first one.
        var one = TwoShifts(200);
        var p = new RoutingProblem(one.Distance, one.TravelTime, one.ServiceTime, one.WindowStart, one.WindowEnd, one.Demand,
            [one.Vehicles[0]], one.Visits, [-1, 2, -1, 4, -1], one.DropPenalty);
        foreach (var s in new[] { OwnSearch(p), OrTools(p) })
        {
            Assert.Empty(RouteEvaluator.Violations(p, s));
            Assert.Equal(2, s.Unassigned.Length);
        }
    }

    [Fact]
    public void A_pickup_starts_later_rather_than_keep_goods_on_board_until_the_delivery_window_opens()
    {
        // Loaded at x = 1 any time up to 1000, unloaded at x = 2 from 300; at most 50 on board.
        var p = Line([0, 1, 2], [0, 0, 300], [Open, 1000, 1000], [-1, 2, -1], [new VehicleSpec(0, 0, [10], 1, 0, 0, Open)],
            [NoLimit, 50, NoLimit]);
        var schedule = RouteEvaluator.Schedule(p, 0, [1, 2])!;
        Assert.Equal([250, 300], schedule.ServiceStart);
        Assert.Equal(10, schedule.Arrival[0]); // it could be there at 10: the wait is the difference
    }

    [Fact]
    public void A_route_duration_limit_makes_the_vehicle_leave_home_later()
    {
        var p = TwoShifts(200);
        var schedule = RouteEvaluator.Schedule(p, 0, [3, 4])!;
        Assert.Equal((330, 530), (schedule.Start, schedule.End));
    }

    [Fact]
    public void Limits_that_no_waiting_can_meet_make_a_route_infeasible()
    {
        // The drive from pickup to delivery is 10, the limit 9; and a route of 40 against a duration limit of 39.
        var tooShortRide = Line([0, 1, 2], [0, 0, 0], [Open, Open, Open], [-1, 2, -1], [new VehicleSpec(0, 0, [10], 1, 0, 0, Open)],
            [NoLimit, 9, NoLimit]);
        var tooShortShift = Line([0, 1, 2], [0, 0, 0], [Open, Open, Open], [-1, 2, -1],
            [new VehicleSpec(0, 0, [10], 1, 0, 0, Open, MaxDuration: 39)]);
        Assert.Null(RouteEvaluator.Schedule(tooShortRide, 0, [1, 2]));
        Assert.Null(RouteEvaluator.Schedule(tooShortShift, 0, [1, 2]));
        Assert.Contains(RouteEvaluator.Violations(tooShortRide, new RoutingSolution([[1, 2]], [])), e => e.Contains("ride"));
    }

    [Fact]
    public void A_negative_ride_limit_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Bread(-1));
    }
}
