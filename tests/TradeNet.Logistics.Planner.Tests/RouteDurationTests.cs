using TradeNet.Logistics.Planner;
using TradeNet.Logistics.Planner.Core;
using static TradeNet.Logistics.Planner.Tests.Fixtures;

namespace TradeNet.Logistics.Planner.Tests;

/// <summary>A vehicle's maximum route duration (the plan that ran all night for an egg pickup at midnight).</summary>
public class RouteDurationTests
{
    private static readonly TimeSpan Shift = TimeSpan.FromHours(10);

    /// <summary>Flour at T1 from 8 to 9, eggs at T1 from midnight to 1, both for T2; two vans at T0, free from 6 to 6
    /// the next morning. One van doing both is cheaper (one fixed cost), and out from before 8 until after midnight.</summary>
    private static PlanRequest FlourAndEggs(TimeSpan? shift, SearchStrategy strategy = SearchStrategy.Hybrid) => new(
        [Leg("flour", 1, 2, pickup: Hours(8, 9), delivery: Hours(8, 30)), Leg("eggs", 1, 2, pickup: Hours(24, 25), delivery: Hours(8, 30))],
        [Van("v1", 0, available: Hours(6, 30)) with { MaxRouteDuration = shift }, Van("v2", 0, available: Hours(6, 30)) with { MaxRouteDuration = shift }],
        null, new PlannerOptions(TimeSpan.FromSeconds(5), Iterations: 200, Strategy: strategy));

    private static TimeSpan Out(VehicleRoute r) => r.Stops[^1].Arrival - r.Stops[0].Departure;

    [Fact]
    public void Without_a_limit_one_van_waits_half_the_night_for_the_eggs()
    {
        var route = Assert.Single(PlanValid(FlourAndEggs(null)).Routes);
        Assert.True(Out(route) > TimeSpan.FromHours(15));
    }

    [Theory]
    [InlineData(SearchStrategy.RuinRecreate)]
    [InlineData(SearchStrategy.OrTools)]
    [InlineData(SearchStrategy.Hybrid)]
    public void With_a_limit_every_strategy_sends_a_second_van_for_the_eggs(SearchStrategy strategy)
    {
        var plan = PlanValid(FlourAndEggs(Shift, strategy));
        Assert.Empty(plan.Unserved);
        Assert.Equal(2, plan.Routes.Count);
        Assert.All(plan.Routes, r => Assert.True(Out(r) <= Shift, $"{r.VehicleId} out {Out(r)}"));
    }

    [Fact]
    public void With_one_van_and_a_limit_the_eggs_are_left_without_room_rather_than_waited_for()
    {
        var request = FlourAndEggs(Shift) with { Vehicles = [FlourAndEggs(Shift).Vehicles[0]] };
        var plan = PlanValid(request);
        Assert.Equal(UnservedReason.NoRoomInPlan, Assert.Single(plan.Unserved).Reason);
        Assert.True(Out(Assert.Single(plan.Routes)) <= Shift);
    }

    [Fact]
    public void The_vehicle_leaves_home_as_late_as_its_first_load_allows_so_the_shift_counts_from_there()
    {
        // One leg at 16:00 for a van free from 6: the route starts just before 16, not at 6.
        var request = Request([Leg("late", 1, 2, pickup: Hours(16, 17))], [Van("v1", 0) with { MaxRouteDuration = TimeSpan.FromHours(1) }]);
        var route = Assert.Single(PlanValid(request).Routes);
        Assert.True(Out(route) <= TimeSpan.FromHours(1));
    }

    [Fact]
    public void A_leg_no_van_can_serve_within_its_shift_is_reported_route_too_long()
    {
        // T0 to T30 is about five hours each way: within the van's day (6 to 20), not within eight hours.
        var far = Leg("far", 0, 30, pickup: Hours(8, 18), delivery: Hours(8, 18));
        var plan = PlanValid(Request([far, Leg("near", 0, 1)], [Van("v1", 0) with { MaxRouteDuration = TimeSpan.FromHours(8) }]));
        var u = Assert.Single(plan.Unserved);
        Assert.Equal(("far", UnservedReason.RouteTooLong), (u.TransferId, u.Reason));
        Assert.Contains("maximum route duration", u.Detail);
        Assert.Empty(PlanValid(Request([far], [Van("v1", 0)])).Unserved);
    }

    [Fact]
    public void The_validator_catches_a_route_longer_than_its_vehicle_may_be_out()
    {
        var unlimited = PlanValid(FlourAndEggs(null));
        Assert.Contains(PlanValidator.Validate(FlourAndEggs(Shift), unlimited), e => e.Contains("maximum route duration"));
    }

    [Fact]
    public void A_negative_limit_is_refused_naming_the_vehicle()
    {
        var ex = Assert.Throws<ArgumentException>(() => RoutePlanner.Plan(Request([Leg("a", 1, 2)], [Van("v", 0) with { MaxRouteDuration = -Shift }])));
        Assert.Contains("vehicle v", ex.Message);
    }
}
