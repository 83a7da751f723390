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

    // Time on board: none, or 10 min to 2 h (some shorter than their drive, some binding only after a detour).
    private static readonly Gen<Transfer> GenLimitedTransfer =
        Gen.Select(GenTransfer, Gen.Int[0, 12])
            .Select((t, ride) => t with { MaxRideTime = ride == 0 ? null : TimeSpan.FromMinutes(10 * ride) });

    // A shift of none, or 1 to 12 h: short ones leave legs unserved, long ones only bind with waiting.
    private static readonly Gen<Vehicle> GenLimitedVehicle =
        Gen.Select(GenVehicle, Gen.Int[0, 12])
            .Select((v, hours) => v with { MaxRouteDuration = hours == 0 ? null : TimeSpan.FromHours(hours) });

    [Fact]
    public void Every_plan_with_ride_and_shift_limits_passes_the_validator_and_accounts_for_every_transfer() =>
        Gen.Select(GenLimitedTransfer.Array[1, 10], GenLimitedVehicle.Array[1, 3]).Sample(PlanIsValidAndComplete, iter: 25, threads: 1);

    [Fact]
    public void Every_plan_passes_the_validator_and_accounts_for_every_transfer() =>
        Gen.Select(GenTransfer.Array[1, 10], GenVehicle.Array[1, 3]).Sample(PlanIsValidAndComplete, iter: 25, threads: 1);

    // A 5 s budget with an iteration limit: both the own search and the OR-Tools polish run, each to a fixed amount of work.
    private static void PlanIsValidAndComplete(Transfer[] transfers, Vehicle[] vehicles)
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
    }
}
