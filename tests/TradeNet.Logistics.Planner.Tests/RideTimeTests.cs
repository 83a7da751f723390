using TradeNet.Logistics.Planner;
using TradeNet.Logistics.Planner.Core;
using static TradeNet.Logistics.Planner.Tests.Fixtures;

namespace TradeNet.Logistics.Planner.Tests;

/// <summary>A transfer's maximum time on board (the trade officer's bread, 5 km from home and 5.5 h on the road).</summary>
public class RideTimeTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    /// <summary>
    /// Bread from T2 to T1, loaded 8–9; goods from T9 to T1. One van at T0. Cheapest without a limit: load the bread, drive
    /// out to T9 and back to T1 with both (18 legs of ~10 min, the bread on board over two hours). With an hour's limit
    /// the bread must be unloaded at T1 first (20 legs): loading the T9 goods first reaches T2 after 9.
    /// </summary>
    private static PlanRequest Bread(TimeSpan? limit, SearchStrategy strategy = SearchStrategy.Hybrid) => new(
        [Leg("bread", 2, 1, pickup: Hours(8, 9)) with { MaxRideTime = limit }, Leg("far", 9, 1)],
        [Van("v1", 0)], null, new PlannerOptions(TimeSpan.FromSeconds(5), Iterations: 200, Strategy: strategy));

    /// <summary>Bounds on time on board read from the stops alone: at least from leaving the loading stop to reaching the
    /// unloading one, at most until leaving it.</summary>
    private static (TimeSpan AtLeast, TimeSpan AtMost) OnBoard(RoutePlan plan, string id)
    {
        var stops = RouteCarrying(plan, id).Stops;
        var loading = stops.First(s => s.PickedUp.Contains(id));
        var unloading = stops.First(s => s.Dropped.Contains(id));
        return (unloading.Arrival - loading.Departure, unloading.Departure - loading.Departure);
    }

    [Fact]
    public void Without_a_limit_the_cheapest_plan_keeps_the_bread_on_board_for_the_detour()
    {
        var plan = PlanValid(Bread(null));
        Assert.True(OnBoard(plan, "bread").AtLeast > 2 * Hour);
    }

    [Theory]
    [InlineData(SearchStrategy.RuinRecreate)]
    [InlineData(SearchStrategy.OrTools)]
    [InlineData(SearchStrategy.Hybrid)]
    public void With_a_limit_every_strategy_delivers_the_bread_within_it(SearchStrategy strategy)
    {
        var plan = PlanValid(Bread(Hour, strategy));
        Assert.Empty(plan.Unserved);
        Assert.True(OnBoard(plan, "bread").AtMost <= Hour);
        Assert.Equal(["T0", "T2", "T1", "T9", "T1", "T0"], Assert.Single(plan.Routes).Stops.Select(s => s.TownId));
    }

    [Fact]
    public void The_validator_catches_goods_on_board_longer_than_their_limit()
    {
        var unlimited = PlanValid(Bread(null));
        Assert.Contains(PlanValidator.Validate(Bread(Hour), unlimited), e => e.Contains("bread") && e.Contains("maximum time on board"));
    }

    [Fact]
    public void The_validator_times_each_service_at_a_stop_from_the_arrival_in_the_order_listed()
    {
        // Both legs are unloaded at T1, back to back from the arrival (windows open): the bread's unloading starts after
        // those listed before it, so a limit just above that holds and one just below does not.
        var plan = PlanValid(Bread(null));
        var stops = RouteCarrying(plan, "bread").Stops;
        var unloading = stops.First(s => s.Dropped.Contains("bread"));
        var onBoard = unloading.Arrival + TimeSpan.FromMinutes(5) * unloading.Dropped.ToList().IndexOf("bread")
                      - stops.First(s => s.PickedUp.Contains("bread")).Departure;
        Assert.Empty(PlanValidator.Validate(Bread(onBoard + TimeSpan.FromSeconds(2)), plan));
        Assert.NotEmpty(PlanValidator.Validate(Bread(onBoard - TimeSpan.FromSeconds(2)), plan));
    }

    [Fact]
    public void A_pickup_waits_rather_than_keep_goods_on_board_until_the_delivery_window_opens()
    {
        // Ready at 8, but T2 takes deliveries only from 11: at most 30 minutes on board means loading after 10:25.
        var leg = Leg("eggs", 1, 2, pickup: Hours(8, 12), delivery: Hours(11, 12)) with { MaxRideTime = TimeSpan.FromMinutes(30) };
        var plan = PlanValid(Request([leg], [Van("v1", 0)]));
        var stops = Assert.Single(plan.Routes).Stops;
        Assert.True(stops[1].Arrival >= Day.AddHours(10.4), $"loaded from {stops[1].Arrival:t}");
        Assert.True(stops[2].Arrival - stops[1].Departure <= TimeSpan.FromMinutes(30));
    }

    [Fact]
    public void A_load_held_back_after_an_unload_in_the_same_town_is_a_stop_of_its_own_from_when_loading_starts()
    {
        // Flour must reach T2 by 9; the eggs there may be loaded from 8 but T3 takes them only from 11, 30 minutes on board
        // at most: the van unloads, waits, and loads the eggs from 10:25 — a second stop at T2, timed from then.
        var flour = Leg("flour", 1, 2, pickup: Hours(8, 9), delivery: Hours(8, 9));
        var eggs = Leg("eggs", 2, 3, pickup: Hours(8, 12), delivery: Hours(11, 12)) with { MaxRideTime = TimeSpan.FromMinutes(30) };
        var plan = PlanValid(Request([flour, eggs], [Van("v1", 0)]));
        var stops = Assert.Single(plan.Routes).Stops;
        Assert.Equal(["T0", "T1", "T2", "T2", "T3", "T0"], stops.Select(s => s.TownId));
        Assert.Equal(["flour"], stops[2].Dropped);
        Assert.Equal(["eggs"], stops[3].PickedUp);
        Assert.True(stops[3].Arrival >= Day.AddHours(10.4) && stops[3].Arrival > stops[2].Departure, $"loaded from {stops[3].Arrival:t}");
    }

    [Fact]
    public void A_leg_whose_drive_is_longer_than_its_limit_is_reported_ride_time_infeasible()
    {
        // T1 to T4 is about half an hour's drive.
        var plan = PlanValid(Request([Leg("slow", 1, 4) with { MaxRideTime = TimeSpan.FromMinutes(20) }, Leg("ok", 1, 2)], [Van("v1", 0)]));
        var u = Assert.Single(plan.Unserved);
        Assert.Equal(("slow", UnservedReason.RideTimeInfeasible), (u.TransferId, u.Reason));
        Assert.Contains("maximum time on board", u.Detail);
    }

    [Fact]
    public void A_leg_whose_windows_keep_it_on_board_longer_than_its_limit_is_reported_ride_time_infeasible()
    {
        var leg = Leg("stale", 1, 2, pickup: Hours(8, 9), delivery: Hours(12, 13)) with { MaxRideTime = Hour };
        Assert.Equal(UnservedReason.RideTimeInfeasible, Assert.Single(PlanValid(Request([leg], [Van("v1", 0)])).Unserved).Reason);
    }

    [Fact]
    public void Limits_as_long_as_time_itself_are_no_limits()
    {
        var leg = Leg("a", 1, 2) with { MaxRideTime = TimeSpan.MaxValue };
        var plan = PlanValid(Request([leg], [Van("v", 0) with { MaxRouteDuration = TimeSpan.MaxValue }]));
        Assert.Empty(plan.Unserved);
        // Windows and availability open to the end of the calendar: nothing can be added to their end, nor need be, and
        // the validator's slack is taken from the plan's times instead.
        var endless = leg with
        {
            PickupWindow = new TimeWindow(Day.AddHours(8), DateTimeOffset.MaxValue),
            DeliveryWindow = new TimeWindow(Day.AddHours(8), DateTimeOffset.MaxValue),
        };
        var van = Van("v", 0);
        var always = van with { Availability = new TimeWindow(van.Availability.From, DateTimeOffset.MaxValue) };
        Assert.Empty(PlanValid(Request([endless], [always])).Unserved);
    }

    [Fact]
    public void A_negative_limit_is_refused_naming_the_transfer()
    {
        var ex = Assert.Throws<ArgumentException>(() => RoutePlanner.Plan(Request([Leg("a", 1, 2) with { MaxRideTime = -Hour }], [Van("v", 0)])));
        Assert.Contains("transfer a", ex.Message);
    }
}
