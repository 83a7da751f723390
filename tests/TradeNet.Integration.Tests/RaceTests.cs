using System.Diagnostics;
using System.Globalization;
using TradeNet.Integration.Tests.Infrastructure;
using TradeNet.Integration.Tests.Scenarios;
using Xunit.Abstractions;

namespace TradeNet.Integration.Tests;

/// <summary>The standalone host with short proposal deadlines and a fast sweep, as <see cref="RaceHunt"/> needs.</summary>
public sealed class RaceHuntHost() : IAsyncLifetime
{
    public StandaloneTradeNet TradeNet { get; } = new() { Settings = new RaceHuntOptions().HostSettings };

    public Task InitializeAsync() => TradeNet.InitializeAsync();

    public Task DisposeAsync() => TradeNet.DisposeAsync();
}

/// <summary>Conflicting requests about one trade fired at the same instant (<see cref="RaceHunt"/>): two waves of
/// fresh towns, every proposal and agreed trade in one of the races, against the standalone host.</summary>
public sealed class RaceTests(RaceHuntHost host, ITestOutputHelper output) : IClassFixture<RaceHuntHost>
{
    [Fact]
    public Task Conflicting_requests_fired_at_the_same_instant_never_lose_double_book_or_strand_a_trade() =>
        RaceHuntRun.RunAsync(host.TradeNet, seed: 1, new RaceHuntOptions(), output);
}

/// <summary>Runs only when <c>TRADENET_RACE_WAVES</c> is set (waves per seed; <c>TRADENET_RACE_SEEDS</c>, "1-5" or
/// "3,7", picks the seeds, 1 by default): a longer hunt for defects, not for CI.</summary>
public sealed class HeavyRaceFactAttribute : FactAttribute
{
    public const string WavesVariable = "TRADENET_RACE_WAVES";
    public const string SeedsVariable = "TRADENET_RACE_SEEDS";

    public HeavyRaceFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(WavesVariable)))
            Skip = $"On demand: set {WavesVariable} (e.g. 20) and optionally {SeedsVariable} (e.g. 1-5) to race many waves of proposals.";
    }

    public static int Waves => int.Parse(Environment.GetEnvironmentVariable(WavesVariable)!, CultureInfo.InvariantCulture);

}

/// <summary>The heavy hunt: each seed in a standalone host of its own, many waves each; every seed runs and the failures
/// are reported together.</summary>
public sealed class HeavyRaceTests(ITestOutputHelper output)
{
    [HeavyRaceFact]
    public async Task Many_waves_of_conflicting_requests_never_lose_double_book_or_strand_a_trade()
    {
        var options = new RaceHuntOptions { Waves = HeavyRaceFactAttribute.Waves, TownsPerWave = 14 };
        await HeavySeeds.RunEachAsync(HeavySeeds.From(HeavyRaceFactAttribute.SeedsVariable), options.HostSettings, async (tradeNet, seed) =>
        {
            await RaceHuntRun.RunAsync(tradeNet, seed, options, output);
            return null;
        }, output.WriteLine, runAttachesLogs: true);
    }
}

internal static class RaceHuntRun
{
    public static async Task RunAsync(ITradeNetUnderTest tradeNet, int seed, RaceHuntOptions options, ITestOutputHelper output)
    {
        var hunt = new RaceHunt(tradeNet, seed, options);
        var clock = Stopwatch.StartNew();
        try
        {
            await hunt.RunAsync();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw tradeNet.WithLogs(new Xunit.Sdk.XunitException($"{ex.GetType().Name}: {ex.Message}\n{hunt.Summary()}"));
        }
        output.WriteLine($"seed {seed}, {options.Waves} waves in {clock.Elapsed.TotalSeconds:F0} s\n{hunt.Summary()}");
        // Errors the host logged while every answer looked fine (a consumer's retries, a relay's failure) are worth reading.
        var errors = tradeNet.Logs().Split('\n').Where(l => l.StartsWith("fail:", StringComparison.Ordinal) || l.StartsWith("crit:", StringComparison.Ordinal)).ToList();
        output.WriteLine($"host log: {errors.Count} error lines{(errors.Count > 0 ? ":\n" + string.Join("\n", errors.Take(10)) : "")}");
        Assert.True(hunt.Problems.Count == 0, $"seed {seed}:\n" + string.Join("\n", hunt.Problems) + "\n" + hunt.Summary());
        // The hunt did what it is for: trades were raced to agreement and through their shipments.
        Assert.Contains(hunt.Bursts.Keys, k => k.StartsWith("Accepts", StringComparison.Ordinal));
        Assert.Contains(hunt.Bursts.Keys, k => Enum.GetNames<ShipmentRace>().Contains(k));
    }
}
