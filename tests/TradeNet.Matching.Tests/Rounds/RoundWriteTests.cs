using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TradeNet.Contracts;
using TradeNet.Matching.Clearing;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Rounds;
using TradeNet.Matching.Storage;
using TradeNet.Matching.Tests.Storage;
using TradeNet.Testing;

namespace TradeNet.Matching.Tests.Rounds;

/// <summary>A round's write re-checks, at once, the listings that changed while it solved: it cancels exactly the new
/// proposals on a withdrawn listing, and for a lowered one the newest proposals that no longer fit, each trade once.</summary>
public sealed class RoundWriteTests : IDisposable
{
    private readonly TestSettings _settings = new();

    public void Dispose() => _settings.Dispose();

    [Theory, MemberData(nameof(StoreAdapters.Available), MemberType = typeof(StoreAdapters))]
    public async Task Listings_withdrawn_or_lowered_while_a_round_solved_cancel_exactly_the_proposals_they_no_longer_carry(string adapter)
    {
        var storage = StoreAdapters.Create(adapter, _settings);
        var store = storage.Store;
        var now = DateTimeOffset.UtcNow;
        await using (var session = await store.BeginAsync())
        {
            foreach (var town in Enumerable.Range(1, 6).Select(i => $"t{i}"))
            {
                await session.SaveListingAsync(BookListing.Open(Listing($"{town}-offer", town, "offer", 1, 10)));
                await session.SaveListingAsync(BookListing.Open(Listing($"{town}-need", town, "need", 1, 10)));
            }
            // An older proposal on t5-offer: when t5-offer is lowered it keeps its place and the round's gives way.
            await session.InsertTradeAsync(new Trade(Guid.NewGuid(), Guid.NewGuid(), TradeStatus.Proposed,
                [new TradeLegState(Leg(0, "t5", "t6"), OfferVersion: 1, NeedVersion: 1), new TradeLegState(Leg(1, "t6", "t5"), OfferVersion: 1, NeedVersion: 1)],
                now.AddDays(1), now.AddMinutes(-1)));
            await session.CommitAsync();
        }
        var strategy = new FixedStrategy([Swap("t1", "t2"), Swap("t3", "t4"), Swap("t5", "t6"), Swap("t1", "t3"), Swap("t6", "t2")], async () =>
        {
            await using var session = await store.BeginAsync();
            await session.SaveListingAsync(BookListing.Open(Listing("t1-offer", "t1", "offer", 2, 10)).Withdraw(2)); // swaps 1 and 4
            await session.SaveListingAsync(BookListing.Open(Listing("t4-offer", "t4", "offer", 2, 1))); // swap 2
            await session.SaveListingAsync(BookListing.Open(Listing("t3-need", "t3", "need", 2, 1))); // swap 2 again, and 4 (gone)
            await session.SaveListingAsync(BookListing.Open(Listing("t5-offer", "t5", "offer", 2, 3))); // swap 3, not the older one
            await session.SaveListingAsync(BookListing.Open(Listing("t2-need", "t2", "need", 2, 10))); // changed, still room for 1 and 5
            await session.CommitAsync();
        });
        var rounds = new ClearingRounds(store, strategy, Options.Create(new MatchingOptions()), TimeProvider.System, NullLogger<ClearingRounds>.Instance);

        var round = await rounds.RunAsync("test", CancellationToken.None);

        var ids = round.TradeIds.ToList();
        Assert.Equal(5, ids.Count);
        var trades = new List<Trade>();
        foreach (var id in ids) trades.Add((await store.GetTradeAsync(id))!);
        Assert.Equal(
        [
            (TradeStatus.Cancelled, "listing t1-offer withdrawn"),
            (TradeStatus.Cancelled, "listing t4-offer lowered to 1, below what its proposals hold"),
            (TradeStatus.Cancelled, "listing t5-offer lowered to 3, below what its proposals hold"),
            (TradeStatus.Cancelled, "listing t1-offer withdrawn"),
            (TradeStatus.Proposed, null),
        ], trades.Select(t => (t.Status, t.Reason)));
        Assert.Single(await store.TradesAsync(new TradeQuery(Status: TradeStatus.Proposed, ListingId: "t5-offer")));
        // Each proposal announced in the round's write, and each cancelled one cancelled once, in the order it happened.
        var events = (await storage.Outbox.PendingAsync(100, CancellationToken.None)).Select(m => m.Deserialize()).Select(e => e switch
        {
            TradeProposed p => ("proposed", ids.IndexOf(p.TradeId)),
            TradeCancelled c => ("cancelled", ids.IndexOf(c.TradeId)),
            _ => (e.GetType().Name, -1),
        });
        Assert.Equal(
        [
            ("proposed", 0), ("cancelled", 0), ("proposed", 1), ("proposed", 2), ("proposed", 3), ("cancelled", 3), ("proposed", 4),
            ("cancelled", 1), ("cancelled", 2),
        ], events);
    }

    private static ListingSnapshot Listing(string id, string town, string kind, long version, double remaining) =>
        new(id, town, kind, "cheese", "kg", 12, 1, 10, remaining, 0, [], [], null, null, null, 46.0, 4.0, version);

    private static TradeLeg Leg(int index, string from, string to) =>
        new(index, from, to, $"{from}-offer", $"{to}-need", "cheese", 2, 24, 2, new TradePoint(46.0, 4.0), new TradePoint(46.0, 4.0), null, null);

    private static ClearedTrade Swap(string a, string b) =>
        new([new ClearedLeg(a, b, $"{a}-offer", $"{b}-need", "cheese", 2, 24, 2), new ClearedLeg(b, a, $"{b}-offer", $"{a}-need", "cheese", 2, 24, 2)]);

    /// <summary>Proposes the given trades, after running <paramref name="whileSolving"/> as changes that arrive mid-round.</summary>
    private sealed class FixedStrategy(IReadOnlyList<ClearedTrade> trades, Func<Task> whileSolving) : IClearingStrategy
    {
        public async Task<ClearingOutcome> ClearAsync(OrderBook book, ClearingSettings settings, CancellationToken ct)
        {
            await whileSolving();
            return new ClearingOutcome(trades, trades.Sum(t => t.Value * t.Legs.Count), new ClearingStats("fixed", book.Entries.Count, 0, 0, 0, 0));
        }
    }
}
