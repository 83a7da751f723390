using TradeNet.Contracts;
using TradeNet.Matching.Domain;
using TradeNet.Testing;

namespace TradeNet.Matching.Tests.Storage;

/// <summary>The reads a round's write makes at once answer what the same reads one by one do, on every adapter.</summary>
public sealed class BatchReadContract : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    private readonly TestSettings _settings = new();

    public void Dispose() => _settings.Dispose();

    [Theory, MemberData(nameof(StoreAdapters.Available), MemberType = typeof(StoreAdapters))]
    public async Task Listings_read_at_once_are_those_read_one_by_one(string adapter)
    {
        var store = StoreAdapters.Create(adapter, _settings).Store;
        await using (var session = await store.BeginAsync())
        {
            await session.SaveListingAsync(BookListing.Open(Listing("roanne-offer", "roanne")));
            await session.SaveListingAsync(BookListing.Open(Listing("lyon-offer", "lyon")).Withdraw(9));
            await session.SaveListingAsync(new BookListing("vichy-offer", "vichy", 4, true, null));
            await session.CommitAsync();
        }

        await using var read = await store.BeginAsync();
        var asked = new[] { "lyon-offer", "nowhere", "roanne-offer", "vichy-offer", "roanne-offer" };
        var found = await read.GetListingsAsync(asked);

        Assert.Equal(["lyon-offer", "roanne-offer", "vichy-offer"], found.Keys.Order(StringComparer.Ordinal));
        foreach (var id in found.Keys)
        {
            var one = (await read.GetListingAsync(id))!;
            Assert.Equal((one.Id, one.TownId, one.Version, one.Withdrawn), (found[id].Id, found[id].TownId, found[id].Version, found[id].Withdrawn));
            Assert.Equal(one.Listing is null ? null : ListingTermsFingerprint.Of(one.Listing),
                found[id].Listing is null ? null : ListingTermsFingerprint.Of(found[id].Listing!));
            Assert.Equal(one.Listing?.Remaining, found[id].Listing?.Remaining);
        }
        Assert.Empty(await read.GetListingsAsync([]));
    }

    [Theory, MemberData(nameof(StoreAdapters.Available), MemberType = typeof(StoreAdapters))]
    public async Task Trades_using_listings_read_at_once_are_those_read_one_by_one_in_the_same_order(string adapter)
    {
        var store = StoreAdapters.Create(adapter, _settings).Store;
        var trades = new[]
        {
            Trade("roanne", "riorges", Now.AddMinutes(2)), Trade("roanne", "lyon", Now), Trade("lyon", "roanne", Now.AddMinutes(1)),
            Trade("roanne", "riorges", Now) with { Status = TradeStatus.Completed }, Trade("vichy", "lyon", Now.AddMinutes(3)),
        };
        await using (var session = await store.BeginAsync())
        {
            foreach (var t in trades) await session.InsertTradeAsync(t);
            await session.CommitAsync();
        }

        await using var read = await store.BeginAsync();
        var asked = new[] { "roanne-offer", "lyon-need", "riorges-offer", "nowhere-offer", "roanne-offer" };
        foreach (var status in new[] { TradeStatus.Proposed, TradeStatus.Completed })
        {
            var found = await read.TradesUsingListingsAsync(asked, status);
            foreach (var id in asked.Distinct())
            {
                var one = (await read.TradesUsingListingAsync(id, status)).Select(t => (t.Id, t.Version, t.Status)).ToList();
                if (one.Count == 0) Assert.False(found.ContainsKey(id), id);
                else Assert.Equal(one, found[id].Select(t => (t.Id, t.Version, t.Status)));
            }
            Assert.DoesNotContain("nowhere-offer", found.Keys);
        }
        Assert.Equal([trades[1].Id, trades[2].Id, trades[0].Id],
            (await read.TradesUsingListingsAsync(["roanne-offer"], TradeStatus.Proposed))["roanne-offer"].Select(t => t.Id));
        Assert.Empty(await read.TradesUsingListingsAsync([], TradeStatus.Proposed));

        // Outside a write (a page of GET /book) the store answers what the write's read does.
        foreach (var status in new[] { TradeStatus.Proposed, TradeStatus.Completed })
        {
            var inWrite = await read.TradesUsingListingsAsync(asked, status);
            var outside = await store.TradesUsingListingsAsync(asked, status);
            Assert.Equal(inWrite.Keys.Order(StringComparer.Ordinal), outside.Keys.Order(StringComparer.Ordinal));
            foreach (var id in inWrite.Keys)
                Assert.Equal(inWrite[id].Select(t => (t.Id, t.Version, t.Status)), outside[id].Select(t => (t.Id, t.Version, t.Status)));
        }
        Assert.Empty(await store.TradesUsingListingsAsync([], TradeStatus.Proposed));
    }

    private static ListingSnapshot Listing(string id, string town) => new(id, town, "offer", "cheese", "kg", 12, 1, 30, 25, 2,
        ["organic"], [], null, Now, Now.AddDays(3), 46.03, 4.06, 3);

    private static Trade Trade(string a, string b, DateTimeOffset createdAt)
    {
        TradeLegState Leg(int index, string from, string to) => new(
            new TradeLeg(index, from, to, $"{from}-offer", $"{to}-need", "cheese", 4.5, 54, 4.95,
                new TradePoint(46.03, 4.06), new TradePoint(46.04, 4.04), Now, Now.AddDays(2)),
            OfferVersion: 3, NeedVersion: 7);
        return new Trade(Guid.NewGuid(), Guid.NewGuid(), TradeStatus.Proposed, [Leg(0, a, b), Leg(1, b, a)], Now.AddDays(1), createdAt);
    }
}
