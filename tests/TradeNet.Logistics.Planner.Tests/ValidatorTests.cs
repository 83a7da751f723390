using TradeNet.Logistics.Planner;
using static TradeNet.Logistics.Planner.Tests.Fixtures;

namespace TradeNet.Logistics.Planner.Tests;

public class ValidatorTests
{
    private static readonly PlanRequest Request2 = Request([Leg("a", 1, 3, kg: 600), Leg("b", 2, 3, kg: 300, chilled: true)],
        [Van("v1", 0, kg: 1000, chilled: true), Van("v2", 0, kg: 500)]);

    private static RoutePlan GoodPlan() => PlanValid(Request2);

    private static RoutePlan Edit(RoutePlan plan, Func<List<RouteStop>, List<RouteStop>> edit, string? vehicle = null) =>
        plan with { Routes = plan.Routes.Select(r => r with { VehicleId = vehicle ?? r.VehicleId, Stops = edit(r.Stops.ToList()) }).ToList() };

    [Fact]
    public void A_correct_plan_has_no_violations()
    {
        Assert.Empty(PlanValidator.Validate(Request2, GoodPlan()));
    }

    [Fact]
    public void The_validator_catches_a_delivery_before_its_pickup()
    {
        var broken = Edit(GoodPlan(), stops =>
        {
            var i = stops.FindIndex(s => s.PickedUp.Contains("a"));
            var j = stops.FindIndex(s => s.Dropped.Contains("a"));
            stops[i] = stops[i] with { PickedUp = [.. stops[i].PickedUp.Where(x => x != "a")], Dropped = [.. stops[i].Dropped, "a"] };
            stops[j] = stops[j] with { Dropped = [.. stops[j].Dropped.Where(x => x != "a")], PickedUp = [.. stops[j].PickedUp, "a"] };
            return stops;
        });
        Assert.Contains(PlanValidator.Validate(Request2, broken), e => e.Contains("before it is picked up"));
    }

    [Fact]
    public void The_validator_catches_an_overloaded_vehicle()
    {
        var heavier = Request2 with { Vehicles = [Request2.Vehicles[0] with { CapacityKg = 700 }, Request2.Vehicles[1]] };
        Assert.Contains(PlanValidator.Validate(heavier, GoodPlan()), e => e.Contains("over its 700 kg"));
    }

    [Fact]
    public void The_validator_catches_chilled_goods_on_a_plain_vehicle()
    {
        var plain = Request2 with { Vehicles = [Request2.Vehicles[0] with { Chilled = false }, Request2.Vehicles[1]] };
        Assert.Contains(PlanValidator.Validate(plain, GoodPlan()), e => e.Contains("not chilled"));
    }

    [Fact]
    public void The_validator_catches_a_load_whose_window_closes_while_the_load_before_it_at_the_stop_is_still_going_on()
    {
        // Two loads at one stop, 5 minutes each, one after the other: the second starts 5 minutes after the arrival. Its
        // window closing a minute after the arrival is missed, though each load alone could start on arriving.
        var request = Request([Leg("a", 1, 3), Leg("b", 1, 3)], [Van("v", 0)]);
        var plan = PlanValid(request);
        var stop = plan.Routes.Single().Stops.Single(s => s.PickedUp.Count == 2);
        var second = stop.PickedUp[1];
        var tight = request with
        {
            Transfers = [.. request.Transfers.Select(t => t.Id == second ? t with { PickupWindow = new(stop.Arrival.AddHours(-1), stop.Arrival.AddMinutes(1)) } : t)],
        };

        Assert.Contains(PlanValidator.Validate(tight, plan), e => e.Contains($"transfer {second}: pickup") && e.Contains("misses its window"));
    }

    [Fact]
    public void The_validator_catches_a_route_that_does_not_end_at_home()
    {
        var broken = Edit(GoodPlan(), stops => stops.Take(stops.Count - 1).ToList());
        Assert.Contains(PlanValidator.Validate(Request2, broken), e => e.Contains("home town"));
    }

    [Fact]
    public void The_validator_catches_a_transfer_that_is_neither_served_nor_reported()
    {
        var missing = GoodPlan() with { Routes = [] };
        Assert.Contains(PlanValidator.Validate(Request2, missing), e => e.Contains("neither served nor reported"));
    }

    [Fact]
    public void The_validator_catches_a_missed_window()
    {
        var tight = Request2 with { Transfers = [Request2.Transfers[0] with { PickupWindow = Hours(5, 6) }, Request2.Transfers[1]] };
        Assert.Contains(PlanValidator.Validate(tight, GoodPlan()), e => e.Contains("misses its window"));
    }

    [Fact]
    public void The_validator_catches_an_impossibly_fast_drive()
    {
        var broken = Edit(GoodPlan(), stops =>
        {
            stops[1] = stops[1] with { Arrival = stops[0].Departure };
            return stops;
        });
        Assert.Contains(PlanValidator.Validate(Request2, broken), e => e.Contains("sooner than the drive"));
    }
}
