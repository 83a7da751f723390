using TradeNet.Logistics.Planner.Core;
using static TradeNet.Logistics.Planner.Tests.Fixtures;

namespace TradeNet.Logistics.Planner.Tests;

/// <summary>A driver calling at a town unloads what is for it and loads what leaves it in one stop: the solver sees no
/// cost in either order at one place, so the stops are read in the order the goods can move.</summary>
public class StopOrderTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Swaps_between_towns_never_give_a_driver_two_stops_in_a_row_at_one_town(int seed)
    {
        // Barter swaps: every town sends to and receives from the others, as trades' legs do.
        var legs = new List<Transfer>();
        for (int a = 1; a <= 3; a++)
            for (int b = 1; b <= 3; b++)
                if (a != b) legs.Add(Leg($"{a}-{b}", a, b, kg: 50));
        var request = new PlanRequest(legs, [Van("v1", 0)], null,
            new PlannerOptions(TimeSpan.FromSeconds(20), Seed: seed, Iterations: 200));
        var plan = PlanValid(request);

        foreach (var route in plan.Routes)
            for (int i = 2; i < route.Stops.Count - 1; i++)
                Assert.False(route.Stops[i].TownId == route.Stops[i - 1].TownId,
                    $"stops {i - 1} and {i} are both at {route.Stops[i].TownId}: " +
                    $"[{string.Join(", ", route.Stops.Select(s => $"{s.TownId} -{string.Join('/', s.Dropped)} +{string.Join('/', s.PickedUp)}"))}]");
    }

    [Fact]
    public void A_load_the_solver_made_before_an_unload_at_one_town_is_read_after_it()
    {
        int[] route = [1, 2, 3, 4];
        Assert.Equal([1, 3, 2, 4], StopOrder.UnloadFirst(Problem(loadWindowEnd: null), 0, route, TownOf));
    }

    [Fact]
    public void The_solver_order_stays_when_unloading_first_would_miss_the_load_window()
    {
        // b's load starts at 30 as planned; unloading a first (20 of service) would start it at 50, after its window.
        int[] route = [1, 2, 3, 4];
        Assert.Equal(route, StopOrder.UnloadFirst(Problem(loadWindowEnd: 40), 0, route, TownOf));
    }

    private static string TownOf(int node) => node switch { 0 => "H", 1 => "A", 2 or 3 => "X", _ => "B" };

    /// <summary>Nodes on a line: 0 the depot (H), 1 loads a (A), 2 loads b at X, 3 unloads a at X, 4 unloads b (B).</summary>
    private static RoutingProblem Problem(long? loadWindowEnd)
    {
        long[] position = [0, 5, 10, 10, 20];
        int n = position.Length;
        var dist = position.Select(i => position.Select(j => Math.Abs(i - j)).ToArray()).ToArray();
        var end = Enumerable.Repeat(long.MaxValue / 8, n).ToArray();
        if (loadWindowEnd is { } e) end[2] = e;
        long[] demand = [0, 5, 5, -5, -5];
        int[] delivery = [-1, 3, 4, -1, -1];
        long[] service = [0, 20, 20, 20, 20];
        return new RoutingProblem(dist, dist, service, new long[n], end, [demand],
            [new VehicleSpec(0, 0, [100], 1, 0, 0, long.MaxValue / 8)], [1, 2, 3, 4], delivery);
    }
}
