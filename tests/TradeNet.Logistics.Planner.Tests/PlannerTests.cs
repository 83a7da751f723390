using TradeNet.Logistics.Planner;
using static TradeNet.Logistics.Planner.Tests.Fixtures;

namespace TradeNet.Logistics.Planner.Tests;

public class PlannerTests
{
    [Fact]
    public void Two_transfers_on_the_way_share_one_vehicle()
    {
        // T1 and T2 lie on the way from the depot T0 to T3: one trip serves both.
        var request = Request([Leg("a", 1, 3), Leg("b", 2, 3)], [Van("v1", 0), Van("v2", 0)]);
        var plan = PlanValid(request);
        var route = Assert.Single(plan.Routes);
        Assert.Equal(["T0", "T1", "T2", "T3", "T0"], route.Stops.Select(s => s.TownId));
        Assert.Equal(["a", "b"], route.Stops[3].Dropped.Order());
        Assert.Empty(plan.Unserved);
    }

    [Fact]
    public void A_line_of_towns_is_served_at_its_known_optimum_cost()
    {
        // Every tour must reach T4 and come back; going out along the line and back is optimal.
        var request = Request([Leg("a", 1, 4), Leg("b", 3, 2), Leg("c", 4, 1)], [Van("v1", 0, costPerKm: 1, fixedCost: 0)]);
        var plan = PlanValid(request);
        var d = new DistanceModel();
        long chain = Enumerable.Range(0, 4).Sum(i => d.Meters(Town(i), Town(i + 1)) + d.Meters(Town(i + 1), Town(i)));
        long lowerBound = 2 * d.Meters(Town(0), Town(4));
        Assert.InRange(plan.TotalDistanceMeters, lowerBound - 8, chain); // a few metres of per-arc rounding
        Assert.Equal(plan.TotalDistanceMeters / 1000.0, plan.TotalCost, 6);
    }

    [Fact]
    public void Fixed_costs_make_one_vehicle_do_the_work_of_two()
    {
        var request = Request([Leg("a", 1, 2), Leg("b", 2, 3)], [Van("v1", 0, fixedCost: 100), Van("v2", 0, fixedCost: 100)]);
        var plan = PlanValid(request);
        Assert.Single(plan.Routes);
    }

    [Fact]
    public void A_transfer_whose_delivery_window_closes_before_it_can_arrive_is_reported_window_infeasible()
    {
        var late = Leg("late", 0, 20, pickup: Hours(10, 11), delivery: Hours(8, 10.2));
        var plan = PlanValid(Request([late, Leg("ok", 1, 2)], [Van("v1", 0)]));
        var u = Assert.Single(plan.Unserved);
        Assert.Equal(("late", UnservedReason.WindowInfeasible), (u.TransferId, u.Reason));
    }

    [Fact]
    public void A_transfer_heavier_than_every_vehicle_is_reported_without_capacity()
    {
        var plan = PlanValid(Request([Leg("heavy", 1, 2, kg: 5000), Leg("ok", 1, 2)], [Van("v1", 0, kg: 1000)]));
        Assert.Equal(UnservedReason.NoVehicleWithCapacity, Assert.Single(plan.Unserved).Reason);
        Assert.Single(plan.Routes);
    }

    [Fact]
    public void Chilled_goods_travel_only_on_chilled_vehicles()
    {
        // The plain van is cheaper and nearer, so only the rule sends the chilled legs to the fridge van.
        var request = Request(
            [Leg("milk", 1, 2, chilled: true), Leg("cheese", 2, 3, chilled: true), Leg("wood", 1, 3)],
            [Van("plain", 1, costPerKm: 0.1, fixedCost: 0), Van("fridge", 5, chilled: true, costPerKm: 2, fixedCost: 50)]);
        var plan = PlanValid(request);
        Assert.Equal("fridge", RouteCarrying(plan, "milk").VehicleId);
        Assert.Equal("fridge", RouteCarrying(plan, "cheese").VehicleId);
    }

    [Fact]
    public void Chilled_goods_without_a_chilled_vehicle_are_reported()
    {
        var plan = PlanValid(Request([Leg("milk", 1, 2, chilled: true)], [Van("plain", 0)]));
        Assert.Equal(UnservedReason.NoChilledVehicle, Assert.Single(plan.Unserved).Reason);
        Assert.Empty(plan.Routes);
    }

    [Fact]
    public void Capacity_limits_are_respected_at_every_stop()
    {
        // Three 400 kg legs all ready at T1 for T3; a 1000 kg van cannot hold all three at once.
        var legs = new[] { Leg("a", 1, 3, kg: 400), Leg("b", 1, 3, kg: 400), Leg("c", 1, 3, kg: 400) };
        var fleet = new[] { Van("v1", 0, kg: 1000, fixedCost: 0), Van("v2", 0, kg: 1000, fixedCost: 0) };
        var plan = PlanValid(Request(legs, fleet));
        Assert.Empty(plan.Unserved);
        Assert.All(plan.Routes.SelectMany(r => r.Stops), s => Assert.True(s.LoadKg <= 1000));
        // 1200 kg cannot leave T1 in one load: it takes two loadings there (two trips or two vans).
        Assert.True(plan.Routes.SelectMany(r => r.Stops).Count(s => s.TownId == "T1" && s.PickedUp.Count > 0) >= 2);
    }

    [Fact]
    public void Volume_limits_are_respected_too()
    {
        var legs = new[] { Leg("a", 1, 2, kg: 10, m3: 2), Leg("b", 1, 2, kg: 10, m3: 2) };
        var plan = PlanValid(Request(legs, [Van("v1", 0, m3: 3, fixedCost: 0), Van("v2", 0, m3: 3, fixedCost: 0)]));
        Assert.Empty(plan.Unserved);
        Assert.All(plan.Routes.SelectMany(r => r.Stops), s => Assert.True(s.LoadM3 <= 3));
    }

    [Fact]
    public void Transfers_that_fit_alone_but_not_together_leave_one_reported_without_room()
    {
        // Each 600 kg leg fills the van; one round trip T0 -> T5 -> T0 takes about 1 h 50, the van is free for 2 h 15.
        var legs = new[] { Leg("a", 0, 5, kg: 600), Leg("b", 0, 5, kg: 600) };
        var plan = PlanValid(Request(legs, [Van("v1", 0, available: Hours(8, 10.25))]));
        Assert.Single(plan.Routes);
        Assert.Equal(UnservedReason.NoRoomInPlan, Assert.Single(plan.Unserved).Reason);
    }

    [Fact]
    public void A_transfer_no_vehicle_can_reach_within_its_hours_is_reported_not_reachable()
    {
        var plan = PlanValid(Request([Leg("far", 30, 31)], [Van("v1", 0, available: Hours(8, 10))]));
        Assert.Equal(UnservedReason.NotReachableInTime, Assert.Single(plan.Unserved).Reason);
    }

    [Fact]
    public void Pickup_and_delivery_times_fall_inside_their_windows()
    {
        var leg = Leg("a", 1, 2, pickup: Hours(12, 13), delivery: Hours(15, 16));
        var plan = PlanValid(Request([leg], [Van("v1", 0)]));
        var stops = Assert.Single(plan.Routes).Stops;
        Assert.InRange(stops[1].Departure - leg.ServiceTime, leg.PickupWindow.From, leg.PickupWindow.To);
        Assert.InRange(stops[2].Departure - leg.ServiceTime, leg.DeliveryWindow.From, leg.DeliveryWindow.To);
    }

    [Fact]
    public void Vehicles_start_and_end_at_their_own_depots()
    {
        var request = Request([Leg("west", 1, 2), Leg("east", 11, 12)], [Van("w", 0, fixedCost: 0), Van("e", 13, fixedCost: 0)]);
        var plan = PlanValid(request);
        Assert.Equal("w", RouteCarrying(plan, "west").VehicleId);
        Assert.Equal("e", RouteCarrying(plan, "east").VehicleId);
        Assert.All(plan.Routes, r => Assert.Equal(r.Stops[0].TownId, r.Stops[^1].TownId));
    }

    [Fact]
    public void The_same_input_and_iteration_budget_give_the_same_plan()
    {
        var legs = Enumerable.Range(0, 8).Select(i => Leg($"l{i}", i % 5, (i * 3 + 1) % 7 == i % 5 ? 6 : (i * 3 + 1) % 7)).ToArray();
        var request = new PlanRequest(legs, [Van("v1", 0), Van("v2", 3)], null, new PlannerOptions(TimeSpan.FromSeconds(20), Iterations: 300));
        var a = RoutePlanner.Plan(request);
        var b = RoutePlanner.Plan(request);
        Assert.Equal(Describe(a), Describe(b));
        Assert.Empty(PlanValidator.Validate(request, a));
    }

    [Fact]
    public void OR_Tools_alone_with_an_iteration_budget_stops_after_its_solutions_not_at_the_clock()
    {
        // Guided local search never stops on its own: without the solution limit the OR-Tools strategy ran to its time
        // limit whatever the iteration budget said, so its plans depended on the CPU it got.
        var legs = Enumerable.Range(0, 8).Select(i => Leg($"l{i}", i % 5, (i * 3 + 1) % 7 == i % 5 ? 6 : (i * 3 + 1) % 7)).ToArray();
        var request = new PlanRequest(legs, [Van("v1", 0), Van("v2", 3)], null,
            new PlannerOptions(TimeSpan.FromSeconds(30), Iterations: 100, Strategy: Core.SearchStrategy.OrTools));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var plan = RoutePlanner.Plan(request);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
        Assert.Empty(PlanValidator.Validate(request, plan));
    }

    [Fact]
    public void Bad_input_is_rejected_with_a_reason()
    {
        var ex = Assert.Throws<ArgumentException>(() => RoutePlanner.Plan(Request([Leg("a", 1, 2), Leg("a", 2, 3)], [Van("v", 0)])));
        Assert.Contains("appears twice", ex.Message);
    }

    [Fact]
    public void A_vehicle_too_large_for_the_solvers_integer_scaling_is_rejected_with_a_reason()
    {
        var ex = Assert.Throws<ArgumentException>(() => RoutePlanner.Plan(Request([Leg("a", 1, 2)], [Van("v", 0, costPerKm: 1e308)])));
        Assert.Contains("at most", ex.Message);
    }

    private static string Describe(RoutePlan p) =>
        string.Join(";", p.Routes.Select(r => r.VehicleId + ":" + string.Join(",", r.Stops.Select(s => s.TownId + "+" + string.Join("/", s.PickedUp) + "-" + string.Join("/", s.Dropped)))));
}
