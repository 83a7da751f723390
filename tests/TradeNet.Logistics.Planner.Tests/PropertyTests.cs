using CsCheck;
using TradeNet.Logistics.Planner;
using static TradeNet.Logistics.Planner.Tests.Fixtures;

namespace TradeNet.Logistics.Planner.Tests;

public class PropertyTests
{
    private static readonly Gen<Transfer> GenTransfer =
        Gen.Select(Gen.Int[0, 9], Gen.Int[0, 9], Gen.Int[10, 900], Gen.Bool, Gen.Int[6, 14], Gen.Int[1, 6])
            .Select((from, to, kg, chilled, ready, span) => Leg("x", from, to, kg, chilled && kg < 200, Hours(ready, ready + span), Hours(ready, ready + span + 4)));

    private static readonly Gen<Vehicle> GenVehicle =
        Gen.Select(Gen.Int[0, 9], Gen.Int[300, 1500], Gen.Bool, Gen.Int[0, 50])
            .Select((home, kg, chilled, fixedCost) => Van("v", home, kg, chilled, fixedCost: fixedCost));

    [Fact]
    public void Every_plan_passes_the_validator_and_accounts_for_every_transfer()
    {
        var gen = Gen.Select(GenTransfer.Array[1, 10], GenVehicle.Array[1, 3]);
        gen.Sample((transfers, vehicles) =>
        {
            var request = new PlanRequest(
                transfers.Select((t, i) => t with { Id = $"t{i}" }).ToArray(),
                vehicles.Select((v, i) => v with { Id = $"v{i}" }).ToArray(),
                null,
                new PlannerOptions(TimeSpan.FromSeconds(5), Iterations: 100));
            var plan = RoutePlanner.Plan(request);
            var errors = PlanValidator.Validate(request, plan);
            Assert.True(errors.Count == 0, string.Join("\n", errors));
            int served = plan.Routes.Sum(r => r.Stops.Sum(s => s.PickedUp.Count));
            Assert.Equal(request.Transfers.Count, served + plan.Unserved.Count);
        }, iter: 25, threads: 1);
    }
}
