using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TradeNet.Contracts;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Storage;
using TradeNet.Shared.Hosting;
using TradeNet.Testing;

namespace TradeNet.Matching.Tests.Component;

public sealed class TradesByStateGaugeTests
{
    [Fact]
    public async Task The_trades_gauge_reports_how_many_trades_are_in_each_state_once_the_poller_has_read_the_store()
    {
        await using var host = new MatchingHost();
        var store = host.Services.GetRequiredService<IMatchingStore>();
        await using (var session = await store.BeginAsync())
        {
            foreach (var status in new[] { TradeStatus.Proposed, TradeStatus.Proposed, TradeStatus.Agreed, TradeStatus.Completed })
                await session.InsertTradeAsync(Trade(status));
            await session.CommitAsync();
        }
        var poller = host.Services.GetServices<IHostedService>().OfType<StateGaugePoller<TradeStatus>>().Single();
        var expected = new Dictionary<string, long> { ["proposed"] = 2, ["agreed"] = 1, ["cancelled"] = 0, ["completed"] = 1 };

        var reported = await StateGaugeReader.PollUntil(poller, expected);

        Assert.Equal(expected, reported);
        Assert.Equal(StateGauges.Trades, poller.Gauge);
    }

    private static Trade Trade(TradeStatus status)
    {
        var now = DateTimeOffset.UtcNow;
        TradeLegState Leg(int index, string from, string to) => new(new TradeLeg(index, from, to, $"{from}-offer", $"{to}-need",
            "cheese", 4.5, 54, 4.95, new TradePoint(46.03, 4.06), new TradePoint(46.04, 4.04), now, now.AddDays(2)));
        return new Trade(Guid.NewGuid(), Guid.NewGuid(), status, [Leg(0, "roanne", "riorges"), Leg(1, "riorges", "roanne")],
            now.AddDays(1), now);
    }
}
