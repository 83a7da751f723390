using TradeNet.Integration.Tests.Infrastructure;
using TradeNet.Integration.Tests.Scenarios;
using Xunit.Abstractions;

namespace TradeNet.Integration.Tests;

/// <summary>Runs only when <c>TRADENET_RANDOM_FLEET_SEEDS</c> is set ("1-20" or "3,7,11").</summary>
public sealed class HeavyRandomFleetFactAttribute : FactAttribute
{
    public const string SeedsVariable = "TRADENET_RANDOM_FLEET_SEEDS";

    public HeavyRandomFleetFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(SeedsVariable)))
            Skip = $"On demand: set {SeedsVariable} (e.g. 1-10) to keep a fleet busy at random with more towns, actors and steps per seed.";
    }
}

/// <summary>A fleet kept busy at random in a standalone host of its own per seed (<see cref="RandomFleetScenario"/>).</summary>
public sealed class RandomFleetTests(ITestOutputHelper output)
{
    [Fact]
    public Task A_fleet_planning_carrying_and_losing_trades_at_random_keeps_its_routes_legs_and_trades_consistent() =>
        RunSeedsAsync([3], new RandomFleetOptions(), TimeSpan.FromSeconds(1));

    [HeavyRandomFleetFact]
    public Task A_busier_fleet_at_random_keeps_every_seeds_routes_legs_and_trades_consistent() =>
        RunSeedsAsync(HeavySeeds.From(HeavyRandomFleetFactAttribute.SeedsVariable), new RandomFleetOptions { Towns = 9, Actors = 6, Steps = 150, DrainRounds = 8 }, TimeSpan.FromSeconds(2));

    /// <summary>Also appended to <c>TRADENET_RANDOM_FLEET_LOG</c> when set: a test's output shows only once every seed ran.</summary>
    private void Report(string line)
    {
        output.WriteLine(line);
        if (Environment.GetEnvironmentVariable("TRADENET_RANDOM_FLEET_LOG") is { Length: > 0 } log)
            File.AppendAllText(log, line + Environment.NewLine + Environment.NewLine);
    }

    private Task RunSeedsAsync(IReadOnlyList<int> seeds, RandomFleetOptions options, TimeSpan planningTimeLimit) =>
        HeavySeeds.RunEachAsync(seeds, RandomFleetScenario.HostSettings(planningTimeLimit), async (tradeNet, seed) =>
        {
            var fleet = await RandomFleetScenario.RunAsync(tradeNet, seed, options);
            RandomFleetScenario.AssertBusy(fleet);
            return fleet.Summary();
        }, Report);
}
