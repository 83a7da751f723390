using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using TradeNet.Shared.Hosting;

namespace TradeNet.Matching.Tests.Component;

public sealed class CancelTraceTests : IDisposable
{
    private readonly ConcurrentBag<Activity> _cancels = [];
    private readonly ActivityListener _listener;

    public CancelTraceTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == TradeNetTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { if (a.OperationName == "cancel trade") _cancels.Add(a); },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    [Fact]
    public async Task An_operators_cancellation_is_a_span_tagged_with_the_trade_id()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.AgreeAsync(host);

        var response = await host.Operator().PostAsJsonAsync($"/api/matching/trades/{trade.Id}/cancel", new { reason = "stuck" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(_cancels, a => (string?)a.GetTagItem(TradeNetTelemetry.TradeId) == trade.Id.ToString());
    }

    public void Dispose() => _listener.Dispose();
}
