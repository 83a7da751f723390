using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using TradeNet.Shared.Hosting;

namespace TradeNet.Matching.Tests.Component;

public sealed class RoundTraceTests : IDisposable
{
    private readonly ConcurrentBag<Activity> _rounds = [];
    private readonly ActivityListener _listener;

    public RoundTraceTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == TradeNetTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { if (a.OperationName == "clearing round") _rounds.Add(a); },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    [Fact]
    public async Task The_round_that_re_matches_a_cancelled_trades_quantities_links_to_that_trades_trace()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.ProposeAsync(host);
        var first = RoundSpan(trade.RoundId);
        Assert.Equal(HttpStatusCode.OK, (await host.Town(Swap.B).PostAsync($"/api/matching/trades/{trade.Id}/reject", null)).StatusCode);

        var next = await host.RunRoundAsync();

        var linked = RoundSpan(next.Id).Links.Select(l => l.Context.TraceId);
        Assert.Contains(first.TraceId, linked);
    }

    private Activity RoundSpan(Guid roundId) =>
        _rounds.Single(a => (string?)a.GetTagItem(TradeNetTelemetry.RoundId) == roundId.ToString());

    public void Dispose() => _listener.Dispose();
}
