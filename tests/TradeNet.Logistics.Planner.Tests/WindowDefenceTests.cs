using TradeNet.Logistics.Planner.Core;
using static TradeNet.Logistics.Planner.Tests.Fixtures;

namespace TradeNet.Logistics.Planner.Tests;

/// <summary>Reversed windows used to reach OR-Tools' SetRange, which aborts the process instead of throwing.</summary>
public class WindowDefenceTests
{
    private static RoutingProblem Line(long[] start, long[] end, long earliest = 0, long latest = 1000, long[]? service = null)
    {
        int n = 3;
        var dist = Enumerable.Range(0, n).Select(i => Enumerable.Range(0, n).Select(j => (long)Math.Abs(i - j) * 10).ToArray()).ToArray();
        return new RoutingProblem(dist, dist, service ?? new long[n], start, end, [[0, 1, 1]],
            [new VehicleSpec(0, 0, [10], 1, 0, earliest, latest)], [1, 2]);
    }

    [Fact]
    public void A_routing_problem_with_a_visit_whose_window_closes_before_it_opens_is_refused_naming_the_node()
    {
        var ex = Assert.Throws<ArgumentException>(() => Line([0, 500, 0], [1000, 100, 1000]));
        Assert.Contains("node 1", ex.Message);
    }

    [Fact]
    public void A_routing_problem_with_a_window_closing_before_time_zero_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Line([0, -10, 0], [1000, -5, 1000]));
    }

    [Fact]
    public void A_routing_problem_with_a_vehicle_due_home_before_it_may_leave_is_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => Line([0, 0, 0], [1000, 1000, 1000], earliest: 500, latest: 100));
        Assert.Contains("vehicle 0", ex.Message);
    }

    [Fact]
    public void A_routing_problem_with_a_negative_service_time_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Line([0, 0, 0], [1000, 1000, 1000], service: [0, -5, 0]));
    }

    [Fact]
    public void A_plan_request_with_a_vehicle_available_until_before_it_is_available_from_is_refused_naming_it()
    {
        var request = Request([Leg("a", 1, 2)], [Van("good", 0), Van("bad", 0, available: Hours(20, 6))], seconds: 2.5);
        var ex = Assert.Throws<ArgumentException>(() => RoutePlanner.Plan(request));
        Assert.Contains("bad", ex.Message);
    }

    [Fact]
    public void A_transfer_window_shorter_than_a_second_between_whole_seconds_is_planned_without_crashing()
    {
        // Rounded inward to whole seconds, 08:00:00.2–08:00:00.7 would open after it closes.
        var odd = new TimeWindow(Day.AddHours(8).AddMilliseconds(200), Day.AddHours(8).AddMilliseconds(700));
        var request = Request([Leg("a", 1, 2, pickup: odd), Leg("b", 1, 2)], [Van("v", 0, available: Hours(0, 20))], seconds: 2.5);
        var plan = RoutePlanner.Plan(request);
        Assert.Contains(plan.Unserved, u => u.TransferId == "a" && u.Reason == UnservedReason.WindowInfeasible);
        Assert.Empty(PlanValidator.Validate(request, plan));
    }
}
