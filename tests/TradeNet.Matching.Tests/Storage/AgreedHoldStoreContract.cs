using TradeNet.Contracts;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Storage;
using TradeNet.Testing;

namespace TradeNet.Matching.Tests.Storage;

/// <summary>What an agreed trade's holds need from every store: the reserved versions on its legs, and agreed trades read
/// by when they were agreed.</summary>
public sealed class AgreedHoldStoreContract : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    private readonly TestSettings _settings = new();

    public void Dispose() => _settings.Dispose();

    [Theory, MemberData(nameof(StoreAdapters.Available), MemberType = typeof(StoreAdapters))]
    public async Task The_versions_a_leg_was_reserved_at_read_back_and_a_leg_without_them_reads_null(string adapter)
    {
        var store = StoreAdapters.Create(adapter, _settings).Store;
        var trade = Trade(Now).WithLeg(0, l => l with { OfferReservedVersion = 12, NeedReservedVersion = 40 });
        await using (var session = await store.BeginAsync())
        {
            await session.InsertTradeAsync(trade);
            await session.CommitAsync();
        }

        var read = (await store.GetTradeAsync(trade.Id))!;

        Assert.Equal(((long?)12, (long?)40), (read.Legs[0].OfferReservedVersion, read.Legs[0].NeedReservedVersion));
        Assert.Equal(((long?)null, (long?)null), (read.Legs[1].OfferReservedVersion, read.Legs[1].NeedReservedVersion));
        Assert.Equal(trade.Legs, Assert.Single(await store.TradesAsync(new TradeQuery(Status: TradeStatus.Agreed))).Legs);
    }

    [Theory, MemberData(nameof(StoreAdapters.Available), MemberType = typeof(StoreAdapters))]
    public async Task Agreed_trades_are_found_by_when_they_were_agreed_and_one_never_agreed_or_unrecorded_is_left_out(string adapter)
    {
        var store = StoreAdapters.Create(adapter, _settings).Store;
        var recent = Trade(Now.AddMinutes(-5));
        var exactly = Trade(Now.AddHours(-1));
        var old = Trade(Now.AddDays(-2));
        var unrecorded = Trade(null);
        var proposal = Trade(null) with { Status = TradeStatus.Proposed };
        await using (var session = await store.BeginAsync())
        {
            foreach (var t in new[] { recent, exactly, old, unrecorded, proposal }) await session.InsertTradeAsync(t);
            await session.CommitAsync();
        }

        var found = await store.TradesAsync(new TradeQuery(Status: TradeStatus.Agreed, AgreedSince: Now.AddHours(-1)));

        Assert.Equal(new[] { recent.Id, exactly.Id }.Order(), found.Select(t => t.Id).Order());
        Assert.Equal(2, (await store.TradesAsync(new TradeQuery(AgreedSince: Now.AddHours(-1)))).Count);
    }

    private static Trade Trade(DateTimeOffset? agreedAt)
    {
        TradeLegState Leg(int index, string from, string to) => new(
            new TradeLeg(index, from, to, $"{from}-offer", $"{to}-need", "cheese", 4.5, 54, 4.95,
                new TradePoint(46.03, 4.06), new TradePoint(46.04, 4.04), Now, Now.AddDays(2)),
            LegResponse.Accepted, Now, OfferVersion: 3, NeedVersion: 7);
        return new Trade(Guid.NewGuid(), Guid.NewGuid(), TradeStatus.Agreed, [Leg(0, "roanne", "riorges"), Leg(1, "riorges", "roanne")],
            Now.AddDays(1), Now.AddHours(-3), AgreedAt: agreedAt);
    }
}
