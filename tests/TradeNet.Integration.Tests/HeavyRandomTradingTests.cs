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

    public static IReadOnlyList<int> Seeds() =>
        Environment.GetEnvironmentVariable(SeedsVariable)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .SelectMany(part => part.Split('-') is [var from, var to]
                ? Enumerable.Range(Parse(from), Parse(to) - Parse(from) + 1)
                : [Parse(part)])
            .ToList();

    private static int Parse(string s) => int.Parse(s, CultureInfo.InvariantCulture);
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
        var failures = new List<string>();
        foreach (var seed in HeavyRandomTradingFactAttribute.Seeds())
        {
            // Six actors and the audit share one operator's allowance: more than the gateway's default gives a caller.
            var tradeNet = new StandaloneTradeNet { Settings = new Dictionary<string, string> { ["Gateway__RateLimit__PermitsPerMinute"] = "100000" } };
            await tradeNet.InitializeAsync();
            try
            {
                var trading = await RandomTradingScenario.RunAsync(tradeNet, seed, Heavy);
                output.WriteLine($"seed {seed} ({Heavy.Vehicles} vehicles): {RandomTradingScenario.Summary(trading)}");
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                var failure = tradeNet.WithLogs(ex).Message;
                output.WriteLine($"seed {seed} FAILED: {failure}");
                failures.Add($"seed {seed}: {failure[..Math.Min(failure.Length, 4000)]}");
            }
            finally
            {
                await tradeNet.DisposeAsync();
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }
}
