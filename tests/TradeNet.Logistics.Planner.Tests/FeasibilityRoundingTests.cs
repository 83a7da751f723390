using TradeNet.Logistics.Planner;
using static TradeNet.Logistics.Planner.Tests.Fixtures;

namespace TradeNet.Logistics.Planner.Tests;

/// <summary>
/// The check before solving counts whole seconds as the solver does (availability and window openings rounded up, their
/// closings down): counted in ticks, it passed a transfer that only a fraction of a second made possible, the solver could
/// not serve it, and it was reported "feasible alone, but the fleet's capacity and hours are taken by the other transfers".
/// </summary>
public class FeasibilityRoundingTests
{
    private static readonly PlannerOptions Repeatable = new(TimeSpan.FromSeconds(1), Iterations: 50);

    [Fact]
    public void A_pickup_window_closing_a_fraction_of_a_second_after_the_vehicle_is_available_is_reported_not_reachable()
    {
        // The van, at home in the pickup town, is there from 8:00:00.3; the window holds 7:59:59 and 8:00:00, and closes
        // at 8:00:00.7. In whole seconds the van is free from 8:00:01, after the last second the window holds.
        var eight = Day.AddHours(8);
        var leg = Leg("a", 0, 1, pickup: new TimeWindow(eight.AddSeconds(-1), eight.AddMilliseconds(700)));
        var van = Van("v1", 0, available: new TimeWindow(eight.AddMilliseconds(300), Day.AddHours(20)));
        var request = Request([leg], [van]) with { Options = Repeatable };

        var plan = PlanValid(request);

        Assert.Equal(UnservedReason.NotReachableInTime, Assert.Single(plan.Unserved).Reason);
    }

    [Fact]
    public void A_vehicle_due_home_a_fraction_of_a_second_after_the_earliest_return_is_reported_not_reachable()
    {
        // Leaving at 8:00:00.4 the van is back the drives and five-minute services later, 0.1 s before it is due; in whole
        // seconds it leaves at 8:00:01 and is due at the second before, so it is back too late.
        var eight = Day.AddHours(8);
        var d = new DistanceModel();
        long out_ = d.Seconds(Town(0), Town(1)), back = d.Seconds(Town(2), Town(0)), across = d.Seconds(Town(1), Town(2));
        var leg = Leg("a", 1, 2, pickup: new TimeWindow(eight, Day.AddHours(18)), delivery: new TimeWindow(eight, Day.AddHours(18)));
        var earliestBack = eight.AddSeconds(1 + out_ + 300 + across + 300 + back);
        var van = Van("v1", 0, available: new TimeWindow(eight.AddMilliseconds(400), earliestBack.AddMilliseconds(-500)));
        var request = Request([leg], [van]) with { Options = Repeatable };

        var plan = PlanValid(request);

        Assert.Equal(UnservedReason.NotReachableInTime, Assert.Single(plan.Unserved).Reason);
    }
}
