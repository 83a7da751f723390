using TradeNet.Logistics.Planner;
using static TradeNet.Logistics.Planner.Tests.Fixtures;

namespace TradeNet.Logistics.Planner.Tests;

/// <summary>The numbers hunt at the vehicle: a leg's weight is its value over a price, so it carries float noise, and the
/// solver counts loads in whole grams. The check before solving, the solver and the validator must agree.</summary>
public class LoadNumbersTests
{
    [Fact]
    public void A_leg_that_fills_a_vehicle_but_for_float_noise_is_carried_by_it()
    {
        // 1000 kg of wheat (0.35 credits a kg) in a trade of 350 credits: 1000.0000000000001 kg.
        var full = 1000 * 0.35 / 0.35;
        Assert.True(full > 1000);

        var plan = PlanValid(Request([Leg("wheat", 1, 2, kg: full)], [Van("v1", 0, kg: 1000)]));

        Assert.Empty(plan.Unserved);
        Assert.Equal("v1", RouteCarrying(plan, "wheat").VehicleId);
    }

    [Fact]
    public void Loads_rounded_to_grams_never_put_a_vehicle_over_its_capacity()
    {
        // Each rounded to 500,000 g, so the solver loaded both at once: 1000.0008 kg on a 1000 kg van, which the validator
        // (PlanValid) refused. The van may still carry both, one after the other.
        var plan = PlanValid(Request([Leg("a", 1, 2, kg: 500.0004), Leg("b", 1, 2, kg: 500.0004)], [Van("v1", 0, kg: 1000)]));

        Assert.All(plan.Routes.SelectMany(r => r.Stops), s => Assert.True(s.PickedUp.Count <= 1));
    }

    [Fact]
    public void Loads_each_a_hair_over_a_gram_that_fill_a_vehicle_make_a_plan_the_validator_accepts()
    {
        // Each leg is within the noise (1e-6 kg) of 250,000 g, so the solver counts 250,000 g each and loads the four at
        // once: 3.6 mg over the van's 1000 kg, which the validator compared with one millionth of a kilo for the whole load
        // and refused, failing the whole planning run, every run, for as long as the four legs waited.
        var legs = Enumerable.Range(1, 4).Select(i => Leg($"l{i}", 1, 2, kg: 250.0000009)).ToList();

        var plan = PlanValid(Request(legs, [Van("v1", 0, kg: 1000)]));

        Assert.Empty(plan.Unserved);
    }
}
