using System.Diagnostics;
using TradeNet.Contracts;
using TradeNet.Shared.Hosting;
using TradeNet.Testing;

namespace TradeNet.Matching.Tests.Component;

public sealed class ExpiryTraceTests : IDisposable
{
    private readonly SpanRecorder _spans = new(TradeNetTelemetry.Name);

    [Fact]
    public async Task An_expiry_is_a_span_tagged_with_the_trade_and_linked_to_the_round_that_proposed_it()
    {
        await using var host = new MatchingHost(new()
        {
            ["Matching:ProposalTtl"] = "00:00:01",
            ["Matching:SweepInterval"] = "00:00:00.200",
        });
        var trade = await Swap.ProposeAsync(host);

        await host.Published<TradeCancelled>(c => c.TradeId == trade.Id);
        // The event leaves through the outbox once the expiry's write commits, which can be before its span ends.
        await Eventually.True(() => Task.FromResult(_spans.Stopped.Any(a => a.OperationName == "expire trade"
            && (string?)a.GetTagItem(TradeNetTelemetry.State) == "cancelled"
            && (string?)a.GetTagItem(TradeNetTelemetry.TradeId) == trade.Id.ToString())), what: "the expiry's span");

        var round = Assert.Single(_spans.Stopped, a => a.OperationName == "clearing round"
            && (string?)a.GetTagItem(TradeNetTelemetry.RoundId) == trade.RoundId.ToString());
        // A sweep whose write lost a race (a loaded machine) leaves a span of its own, still proposed; one span ends it.
        var expiries = _spans.Stopped.Where(a => a.OperationName == "expire trade" && (string?)a.GetTagItem(TradeNetTelemetry.TradeId) == trade.Id.ToString()).ToList();
        Assert.Single(expiries, a => (string?)a.GetTagItem(TradeNetTelemetry.State) == "cancelled");
        Assert.All(expiries, e => Assert.Equal(round.TraceId, Assert.Single(e.Links).Context.TraceId));
    }

    public void Dispose() => _spans.Dispose();
}
