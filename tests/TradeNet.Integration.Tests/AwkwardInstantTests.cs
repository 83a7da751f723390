using System.Diagnostics;
using TradeNet.Integration.Tests.Infrastructure;
using TradeNet.Integration.Tests.Scenarios;
using Xunit.Abstractions;

namespace TradeNet.Integration.Tests;

/// <summary>Runs only when <c>TRADENET_AWKWARD_INSTANTS</c> is set (<c>all</c>): the instants beyond the two Paris clock
/// changes CI runs, each on a host of its own (about 30 s each).</summary>
public sealed class AwkwardInstantsOnDemandFactAttribute : FactAttribute
{
    public const string Variable = "TRADENET_AWKWARD_INSTANTS";

    public AwkwardInstantsOnDemandFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable)))
            Skip = $"On demand: set {Variable}=all to live through New Year UTC, the leap day and New York's clock change too.";
    }
}

/// <summary>The standalone host, its clock started by libfaketime just before an awkward instant, lives through it with
/// the real clock running (<see cref="AwkwardInstantScenario"/>); the test process keeps the real clock.</summary>
public sealed class AwkwardInstantTests(ITestOutputHelper output)
{
    [Fact]
    public Task A_trade_a_van_and_two_proposals_live_through_the_night_Paris_springs_forward() =>
        LiveThrough(AwkwardInstant.ParisSpringForward);

    [Fact]
    public Task A_trade_a_van_and_two_proposals_live_through_the_night_Paris_falls_back() =>
        LiveThrough(AwkwardInstant.ParisFallBack);

    [AwkwardInstantsOnDemandFact]
    public Task A_trade_a_van_and_two_proposals_live_through_New_Year_in_UTC() => LiveThrough(AwkwardInstant.NewYearUtc);

    [AwkwardInstantsOnDemandFact]
    public Task A_trade_a_van_and_two_proposals_live_through_the_start_of_29_February_2028() => LiveThrough(AwkwardInstant.LeapDay);

    [AwkwardInstantsOnDemandFact]
    public Task A_trade_a_van_and_two_proposals_live_through_the_night_New_York_springs_forward() =>
        LiveThrough(AwkwardInstant.NewYorkSpringForward);

    private async Task LiveThrough(AwkwardInstant instant)
    {
        var tradeNet = new StandaloneTradeNet { Settings = AwkwardInstantScenario.Settings, ClockStartsAt = instant.At - AwkwardInstantScenario.Lead };
        await tradeNet.InitializeAsync();
        var started = Stopwatch.GetTimestamp();
        try
        {
            output.WriteLine($"host started at host time {tradeNet.HostNow():O}, {(instant.At - tradeNet.HostNow()).TotalSeconds:F1} s before {instant}");
            await tradeNet.ExplainFailureAsync(() => new AwkwardInstantScenario(tradeNet, instant, output.WriteLine).RunAsync());
        }
        finally
        {
            output.WriteLine($"{Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s after the host was up");
            await tradeNet.DisposeAsync();
        }
    }
}
