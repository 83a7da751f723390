using TradeNet.Contracts;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Rounds;
using TradeNet.Matching.Tests.Component;
using TradeNet.Testing;

namespace TradeNet.Matching.Tests.EventOrder;

/// <summary>
/// A round's write and a listing consumer's write overlapping on a store whose writes overlap (MongoDB), staged over SQLite
/// (<see cref="ConcurrentWrites"/>): the round has solved on B's need as it stood (within 20 km of A's cheese, 2.3 km away)
/// and its write begins; B narrows the need to 1 km and the consumer commits before the round does. The consumer's check
/// cannot see the round's proposal (not committed yet), and the round's write reads the need as its snapshot holds it, so
/// before the fix both committed a proposal the narrowed need rules out (catalog, which compares each listing's terms with
/// matching's copy, not their fit, would reserve it). The round now guards the listings it proposes on, so its write loses
/// to the consumer's, is tried again, reads the narrowed need and cancels the proposal.
/// </summary>
public class RoundListingOverlapTests
{
    [Fact]
    public async Task A_proposal_whose_need_is_narrowed_while_the_round_writes_it_is_cancelled_when_it_no_longer_fits()
    {
        var writes = new ConcurrentWrites();
        var hooked = new HookedStore { WrapSession = writes.Wrap };
        await using var host = new MatchingHost { WrapStore = hooked.Wrap, RetryLikeTheBus = true };
        using var delivery = new EventDelivery(host.Harness);
        const string tag = "round-overlap";
        var listings = CrossedListingOrderTests.SwapListings(tag);
        foreach (var listing in listings) await delivery.DeliverAsync(new ListingPublished(listing));
        var need = listings[3];

        // The round has solved; its write begins, reading the need as it stands, and B's narrowing commits meanwhile.
        hooked.BeforeNextWrite(async () =>
        {
            var began = writes.Commits;
            await delivery.DeliverAsync(new ListingChanged(need with { MaxDistanceKm = 1, Version = 2 }));
            writes.Stage(ClearingRounds.LeaseName, began, BookListing.Open(need));
        });
        var round = await host.RunRoundAsync();

        var trade = Assert.Single(await Task.WhenAll(round.TradeIds.Select(host.TradeAsync)),
            t => t.Legs.All(l => l.Category.EndsWith(tag, StringComparison.Ordinal)));
        Assert.Equal(TradeStatus.Cancelled, trade.Status);
        var cancelled = await host.Published<TradeCancelled>(c => c.TradeId == trade.Id);
        Assert.Contains("no longer fits", cancelled.Reason);
        Assert.Equal(1, host.PublishedCount<TradeCancelled>(c => c.TradeId == trade.Id));
        Assert.Equal(2, (await hooked.GetListingAsync(need.Id))!.Version);
        Assert.Empty(delivery.GivenUp());
    }
}
