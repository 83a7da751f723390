using System.Globalization;
using TradeNet.Integration.Tests.Infrastructure;
using TradeNet.Integration.Tests.Scenarios;
using Xunit.Abstractions;

namespace TradeNet.Integration.Tests;

/// <summary>Runs only when <c>TRADENET_RANDOM_TRADING_SEEDS</c> is set ("1-20" or "3,7,11"): minutes per seed, for
/// hunting defects rather than for CI.</summary>
public sealed class HeavyRandomTradingFactAttribute : FactAttribute
{
    public const string SeedsVariable = "TRADENET_RANDOM_TRADING_SEEDS";

    public HeavyRandomTradingFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(SeedsVariable)))
            Skip = $"On demand: set {SeedsVariable} (e.g. 1-20) to trade at random with a fleet, twelve towns and six actors per seed.";
    }
}

/// <summary>Random trading at its heaviest, each seed in a standalone host of its own (a fleet changes how every leg
/// ships, which the shared networks' other scenarios do not expect): vehicles, so legs wait for planning runs and go on
/// consolidated routes; more towns, actors and steps. Every seed runs; the failures are reported together.</summary>
public sealed class HeavyRandomTradingTests(ITestOutputHelper output)
{
    /// <summary><c>TRADENET_RANDOM_TRADING_VEHICLES</c> (default 3) sets the fleet: 0 ships every leg as a direct trip at
    /// once, which gives the actors far more pickups, deliveries and failures to report.</summary>
    public static RandomTradingOptions Heavy => new()
    {
        Towns = 12, Actors = 6, Steps = 250,
        Vehicles = int.TryParse(Environment.GetEnvironmentVariable("TRADENET_RANDOM_TRADING_VEHICLES"), CultureInfo.InvariantCulture, out var n) ? n : 3,
    };

    [HeavyRandomTradingFact]
    public async Task Towns_trading_at_random_with_a_fleet_leave_every_seeds_services_agreeing()
    {
        // Six actors and the audit share one operator's allowance: more than the gateway's default gives a caller.
        var settings = new Dictionary<string, string> { ["Gateway__RateLimit__PermitsPerMinute"] = "100000" };
        await HeavySeeds.RunEachAsync(HeavySeeds.From(HeavyRandomTradingFactAttribute.SeedsVariable), settings, async (tradeNet, seed) =>
            $"{Heavy.Vehicles} vehicles: {RandomTradingScenario.Summary(await RandomTradingScenario.RunAsync(tradeNet, seed, Heavy))}",
            output.WriteLine);
    }
}
