using System.Net;
using TradeNet.Contracts;
using TradeNet.Matching.Domain;
using TradeNet.Testing;

namespace TradeNet.Matching.Tests.Component;

/// <summary>A listing lowered in catalog below what pending proposals hold: the proposals that no longer fit are
/// cancelled at once, so they stop holding the other towns' quantities until they expire.</summary>
public class LoweredListingTests
{
    [Fact]
    public async Task A_listing_lowered_below_what_its_proposal_holds_cancels_that_proposal_and_frees_the_other_listings()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.ProposeAsync(host);

        await host.Publish(new ListingChanged(Swap.CheeseOffer(version: 2, remaining: 5)));

        var cancelled = await host.Published<TradeCancelled>(c => c.TradeId == trade.Id);
        Assert.Equal("listing a-cheese lowered to 5, below what its proposals hold", cancelled.Reason);
        Assert.False(cancelled.WasAgreed);
        Assert.Equal(TradeStatus.Cancelled, (await host.TradeAsync(trade.Id)).Status);
        Assert.All(await host.BookAsync(), b => Assert.Equal(0, b.Held));
    }

    [Fact]
    public async Task A_listing_lowered_but_still_covering_its_proposals_cancels_nothing()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.ProposeAsync(host);

        await host.Publish(new ListingChanged(Swap.Listing("b-wood", Swap.B, "offer", "firewood", 200, 160, 0.8, version: 2)));
        await Eventually.Until(async () => (await host.BookAsync()).Single(b => b.Id == "b-wood"), b => b.Version == 2, what: "v2 in the book");

        Assert.Equal(TradeStatus.Proposed, (await host.TradeAsync(trade.Id)).Status);
        Assert.Equal(0, host.PublishedCount<TradeCancelled>());
    }

    [Fact]
    public async Task A_fully_accepted_proposal_is_not_cancelled_by_the_snapshot_its_own_reservation_may_have_caused()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.ProposeAsync(host);
        host.Catalog.Answer = _ => throw FakeCatalog.Outage(); // accepted by both, waiting for the reservation
        await Swap.AcceptAsync(host, Swap.A, trade.Id);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Swap.AcceptAsync(host, Swap.B, trade.Id)).StatusCode);

        // Catalog lowers the listing when it reserves: that snapshot can arrive before matching records the agreement.
        await host.Publish(new ListingChanged(Swap.CheeseOffer(version: 2, remaining: 0)));
        await Eventually.Until(async () => (await host.BookAsync()).Single(b => b.Id == "a-cheese"), b => b.Version == 2, what: "v2 in the book");

        Assert.Equal(TradeStatus.Proposed, (await host.TradeAsync(trade.Id)).Status);
        Assert.Equal(0, host.PublishedCount<TradeCancelled>());
    }

    [Fact]
    public async Task A_listing_lowered_while_a_round_is_solving_cancels_that_rounds_proposal_on_it()
    {
        var strategy = new GatedStrategy();
        await using var host = new MatchingHost { Strategy = strategy };
        await host.PublishListingsAsync(Swap.All);
        var running = host.RunRoundAsync();
        await strategy.Started;

        await host.Publish(new ListingChanged(Swap.CheeseOffer(version: 2, remaining: 5)));
        await Eventually.Until(async () => (await host.BookAsync()).Single(b => b.Id == "a-cheese"), b => b.Version == 2, what: "v2 in the book");
        strategy.Release();
        var round = await running;

        var trade = await host.TradeAsync(Assert.Single(round.TradeIds));
        Assert.Equal((TradeStatus.Cancelled, "listing a-cheese lowered to 5, below what its proposals hold"), (trade.Status, trade.Reason));
        Assert.All(await host.BookAsync(), b => Assert.Equal(0, b.Held));
    }
}
