using TradeNet.Logistics.Planner;
using static TradeNet.Logistics.Planner.Tests.Fixtures;

namespace TradeNet.Logistics.Planner.Tests;

/// <summary>
/// Leaving a feasible transfer out must cost the solver more than serving it: a fixed penalty of 10⁷ currency units lost
/// to a vehicle costing more per use or per trip (the input check allows up to 10⁹). Costs too large for the solver's
/// integers to tell serving from leaving out are refused, like other input it cannot plan.
/// </summary>
public class DropPenaltyTests
{
    [Theory]
    [InlineData(0.5, 2e7)] // a fixed cost per use above 10⁷ (in a currency of small units)
    [InlineData(0.5, 5e8)]
    [InlineData(2e6, 20)]  // a cost per km that makes the 40 km round trip cost 8·10⁷
    public void A_transfer_a_costly_vehicle_can_carry_is_served_not_reported_without_room(double costPerKm, double fixedCost)
    {
        var options = new PlannerOptions(TimeSpan.FromSeconds(5), Iterations: 200);
        var request = Request([Leg("a", 1, 2)], [Van("v1", 0, costPerKm: costPerKm, fixedCost: fixedCost)]) with { Options = options };
        var plan = PlanValid(request);
        Assert.Empty(plan.Unserved);
        var route = Assert.Single(plan.Routes);
        Assert.Equal(route.DistanceMeters / 1000.0 * costPerKm + fixedCost, plan.TotalCost, 3);
    }

    [Fact]
    public void Costs_too_large_for_the_solver_to_tell_serving_from_leaving_out_are_refused()
    {
        var request = Request([Leg("a", 1, 2)], [Van("v1", 0, fixedCost: 1e9)]);
        var error = Assert.Throws<ArgumentException>(() => RoutePlanner.Plan(request));
        Assert.Contains("too large", error.Message);
    }
}
