using TradeNet.Contracts;
using TradeNet.Matching.Domain;
using TradeNet.Testing;

namespace TradeNet.Matching.Tests.Component;

public class BookTests
{
    [Fact]
    public async Task An_older_listing_snapshot_never_replaces_a_newer_one()
    {
        await using var host = new MatchingHost();
        await host.PublishListingsAsync(Swap.CheeseOffer(version: 3, remaining: 6));

        await host.Publish(new ListingChanged(Swap.CheeseOffer(version: 2, remaining: 9)));
        await host.Publish(new ListingChanged(Swap.CheeseOffer(version: 4, remaining: 5)));

        var cheese = await Eventually.Until(async () => (await host.BookAsync()).Single(), b => b.Version == 4, what: "v4 in the book");
        Assert.Equal(5, cheese.Remaining);
        await Eventually.True(() => Task.FromResult(host.Harness.ConsumedSoFar<ListingChanged>().Count >= 2), what: "both changes consumed");
        Assert.Equal(4, (await host.BookAsync()).Single().Version);
    }

    [Fact]
    public async Task A_withdrawn_listing_leaves_the_book_and_cancels_the_proposals_that_use_it()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.ProposeAsync(host);

        await host.Publish(new ListingWithdrawn("b-wood", Swap.B, 2));

        var cancelled = await host.Published<TradeCancelled>(c => c.TradeId == trade.Id);
        Assert.Equal("listing b-wood withdrawn", cancelled.Reason);
        Assert.Equal(TradeStatus.Cancelled, (await host.TradeAsync(trade.Id)).Status);
        Assert.DoesNotContain(await host.BookAsync(), b => b.Id == "b-wood");

        // A late snapshot cannot bring it back.
        await host.Publish(new ListingChanged(Swap.WoodOffer(version: 5)));
        await Eventually.True(() => Task.FromResult(host.Harness.ConsumedSoFar<ListingChanged>().Count > 0), what: "late change consumed");
        Assert.DoesNotContain(await host.BookAsync(), b => b.Id == "b-wood");
        Assert.Equal(0, (await host.RunRoundAsync()).Trades);
    }
}
