using System.Globalization;
using TradeNet.Integration.Tests.Infrastructure;
using TradeNet.Integration.Tests.Scenarios;
using Xunit.Abstractions;

namespace TradeNet.Integration.Tests;

/// <summary>Runs only when <c>TRADENET_CHAOS_SEEDS</c> is set ("1-6" or "3,7,11"): 1½–4 minutes per seed here, each seed a
/// test of its own (the run's hang guard allows one test 6 minutes).</summary>
public sealed class HeavyChaosTradingTheoryAttribute : TheoryAttribute
{
    public const string SeedsVariable = "TRADENET_CHAOS_SEEDS";

    public HeavyChaosTradingTheoryAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(SeedsVariable)))
            Skip = $"On demand: set {SeedsVariable} (e.g. 1-6) to trade at random through a dozen outages per seed.";
    }

    public static TheoryData<int> Seeds() => new(HeavySeeds.From(SeedsVariable, unset: "0"));
}

/// <summary>Chaos trading at length, each seed in a distributed network of its own (fresh files and broker): more
/// outages (<c>TRADENET_CHAOS_OUTAGES</c>, default 12) and as many steps as they take.</summary>
public sealed class HeavyChaosTradingTests(ITestOutputHelper output)
{
    public static ChaosOptions Heavy => new()
    {
        Outages = int.TryParse(Environment.GetEnvironmentVariable("TRADENET_CHAOS_OUTAGES"), CultureInfo.InvariantCulture, out var n) ? n : 12,
        MaxPause = TimeSpan.FromSeconds(3),
    };

    [HeavyChaosTradingTheory]
    [MemberData(nameof(HeavyChaosTradingTheoryAttribute.Seeds), MemberType = typeof(HeavyChaosTradingTheoryAttribute))]
    public async Task Towns_trading_through_a_dozen_outages_leave_the_services_agreeing(int seed)
    {
        var tradeNet = new DistributedTradeNet();
        await tradeNet.InitializeAsync();
        try
        {
            await tradeNet.ExplainFailureAsync(async () =>
            {
                var trading = await RandomTradingScenario.RunAsync(tradeNet, seed,
                    new RandomTradingOptions { Steps = 100, StepPause = TimeSpan.FromMilliseconds(100), AcceptTenths = 9 }, new Chaos(tradeNet, seed, Heavy));
                output.WriteLine($"seed {seed}: {RandomTradingScenario.Summary(trading)}");
            });
        }
        finally
        {
            await tradeNet.DisposeAsync();
        }
    }
}
