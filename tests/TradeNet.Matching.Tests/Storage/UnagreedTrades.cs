using TradeNet.Contracts;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Storage;
using TradeNet.Matching.Trades;

namespace TradeNet.Matching.Tests.Storage;

/// <summary>Trades in each state the unagreed-trade retention must tell apart, written through the store the way the service
/// writes them (inserted as proposals, then each change an update of its own).</summary>
internal static class UnagreedTrades
{
    public static Trade Proposal(DateTimeOffset createdAt, string a = "roanne", string b = "riorges")
    {
        TradeLegState Leg(int index, string from, string to) => new(new TradeLeg(index, from, to, $"{from}-offer", $"{to}-need", "cheese",
            4.5, 54, 4.95, new TradePoint(46.03, 4.06), new TradePoint(46.04, 4.04), null, null));
        return new Trade(Guid.NewGuid(), Guid.NewGuid(), TradeStatus.Proposed, [Leg(0, a, b), Leg(1, b, a)], createdAt.AddDays(1), createdAt);
    }

    public static Trade Declined(Trade t, DateTimeOffset at) =>
        t.WithLeg(0, l => l with { Response = LegResponse.Rejected, AnsweredAt = at }).Cancel($"rejected by town {t.Legs[0].Leg.FromTown}", at);

    public static Trade Accepted(Trade t, DateTimeOffset at) =>
        t.Legs.Aggregate(t, (x, l) => x.WithLeg(l.Leg.Index, s => s with { Response = LegResponse.Accepted, AnsweredAt = at }));

    public static Trade Agreed(Trade t, DateTimeOffset at) => TradeWrites.Agreed(Accepted(t, at), at);

    public static Trade Delivered(Trade t, DateTimeOffset at) =>
        t.Legs.Aggregate(t, (x, l) => x.WithLeg(l.Leg.Index, s => s with { PickedUp = true, PickedUpAt = at, Delivered = true, DeliveredAt = at }))
            with { Status = TradeStatus.Completed };

    /// <summary>Inserts the proposal, then writes each step as an update of its own; returns the trade as stored.</summary>
    public static async Task<Trade> WriteAsync(IMatchingStore store, Trade proposal, params Func<Trade, Trade>[] steps)
    {
        await using (var session = await store.BeginAsync())
        {
            await session.InsertTradeAsync(proposal);
            await session.CommitAsync();
        }
        var trade = proposal;
        foreach (var step in steps)
        {
            await using var session = await store.BeginAsync();
            var next = step(trade);
            Assert.True(await session.UpdateTradeAsync(next));
            await session.CommitAsync();
            trade = next with { Version = next.Version + 1 };
        }
        return trade;
    }
}
