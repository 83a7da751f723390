using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using TradeNet.Shared.Hosting;
using TradeNet.Testing;

namespace TradeNet.Matching.Tests.Component;

public sealed class CancelTraceTests : IDisposable
{
    private readonly SpanRecorder _spans = new(TradeNetTelemetry.Name);

    [Fact]
    public async Task An_operators_cancellation_is_a_span_tagged_with_the_trade_id()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.AgreeAsync(host);

        var response = await host.Operator().PostAsJsonAsync($"/api/matching/trades/{trade.Id}/cancel", new { reason = "stuck" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(_spans.Named("cancel trade"), a => (string?)a.GetTagItem(TradeNetTelemetry.TradeId) == trade.Id.ToString());
    }

    public void Dispose() => _spans.Dispose();
}
