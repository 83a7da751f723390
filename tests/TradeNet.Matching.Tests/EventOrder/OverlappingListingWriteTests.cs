using TradeNet.Contracts;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Tests.Component;
using TradeNet.Testing;

namespace TradeNet.Matching.Tests.EventOrder;

/// <summary>
/// ListingChanged of two listings of one proposal consumed AT ONCE (a queue is consumed several at a time), on a store
/// whose writes overlap (MongoDB: each transaction reads its own snapshot, and only writes to one document conflict): town
/// A moves 13 km away (within B's 20 km limit as B's need stood) while B narrows its need's limit to 10 km (A as it stood
/// is 2.3 km away). Each change alone keeps the proposal; together they do not admit it. Before the fix each write kept
/// the proposal on the other's old copy, wrote nothing of it, and both committed: the proposal stayed, catalog (which
/// compares each listing's terms, not their fit) reserved it, and B received goods from beyond its limit. Each write now
/// guards the proposals it keeps, so the second fails, is retried and reads the first's listing.
/// </summary>
public class OverlappingListingWriteTests
{
    [Fact]
    public async Task Two_listings_of_a_proposal_changed_by_overlapping_writes_cancel_it_when_together_they_no_longer_admit_it()
    {
        var writes = new ConcurrentWrites();
        var hooked = new HookedStore { WrapSession = writes.Wrap };
        await using var host = new MatchingHost { WrapStore = hooked.Wrap, RetryLikeTheBus = true };
        using var delivery = new EventDelivery(host.Harness);
        var (trade, listings) = await CrossedListingOrderTests.ProposeAsync(host, delivery, "overlap");
        var (offer, need) = (listings[0], listings[3]);

        // A's move begins, reading B's need as it stands; B's narrowing commits meanwhile.
        var began = writes.Commits;
        await delivery.DeliverAsync(new ListingChanged(need with { MaxDistanceKm = 10, Version = 2 }));
        Assert.Equal(TradeStatus.Proposed, (await host.TradeAsync(trade)).Status);
        writes.Stage("matching.listing-changed", began, BookListing.Open(need));
        await delivery.DeliverAsync(new ListingChanged(offer with { TownLat = 46.163, TownLon = 4.04, Version = 2 }));

        Assert.Equal(TradeStatus.Cancelled, (await host.TradeAsync(trade)).Status);
        var cancelled = await host.Published<TradeCancelled>(c => c.TradeId == trade);
        Assert.Contains("no longer fits", cancelled.Reason);
        Assert.Equal(1, host.PublishedCount<TradeCancelled>(c => c.TradeId == trade));
        Assert.Empty(delivery.GivenUp());
    }
}
