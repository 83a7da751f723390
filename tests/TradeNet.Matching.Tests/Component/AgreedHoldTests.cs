using TradeNet.Contracts;
using TradeNet.Contracts.Grpc;
using TradeNet.Testing;

namespace TradeNet.Matching.Tests.Component;

/// <summary>An agreed trade whose reservation has not reached the book yet (catalog's ListingChanged is still in its
/// outbox) holds its quantities by the versions catalog reserved them at.</summary>
public class AgreedHoldTests
{
    // Town A offers 20 kg of cheese and needs 150 firewood; B offers 200 firewood and needs 20 kg of cheese. The round
    // trades 10 kg for 150 firewood (A's need bounds it), leaving 10 kg each way and 50 firewood on offer.
    private static ListingSnapshot[] Listings(long version, double cheese = 20, double woodNeed = 150, double wood = 200, double cheeseNeed = 20) =>
    [
        Swap.Listing("a-cheese", Swap.A, "offer", "cheese", 20, cheese, 12, version),
        Swap.Listing("a-wood", Swap.A, "need", "firewood", 300, woodNeed, 0.8, version),
        Swap.Listing("b-wood", Swap.B, "offer", "firewood", 200, wood, 0.8, version),
        Swap.Listing("b-cheese", Swap.B, "need", "cheese", 20, cheeseNeed, 12, version),
    ];

    private static async Task ChangeAsync(MatchingHost host, params ListingSnapshot[] listings)
    {
        foreach (var listing in listings) await host.Publish(new ListingChanged(listing));
        await Eventually.True(async () =>
        {
            var book = await host.BookAsync();
            return listings.All(l => book.Any(b => b.Id == l.Id && b.Version >= l.Version));
        }, TimeSpan.FromSeconds(20), "changes in the book");
    }

    [Fact]
    public async Task A_round_before_the_reservation_reaches_the_book_does_not_propose_the_agreed_quantities_again()
    {
        await using var host = new MatchingHost();
        await host.PublishListingsAsync(Listings(1));
        var trade = await host.TradeAsync(Assert.Single((await host.RunRoundAsync()).TradeIds));
        // Another change (a town's move, same terms) moved the copy on after the proposal: the agreement can no longer
        // lower the copy by version, and catalog's reservation is at version 3, not yet delivered.
        await ChangeAsync(host, Listings(2));
        await AgreeAsync(host, trade.Id, reservedAt: 3);
        Assert.Equal(Domain.TradeStatus.Agreed, (await host.TradeAsync(trade.Id)).Status);

        var book = (await host.BookAsync()).ToDictionary(b => b.Id);
        Assert.Equal((150.0, 150.0, 0.0), (book["a-wood"].Remaining, book["a-wood"].Held, book["a-wood"].Available));
        Assert.Equal((200.0, 150.0, 50.0), (book["b-wood"].Remaining, book["b-wood"].Held, book["b-wood"].Available));
        Assert.Equal(0, (await host.RunRoundAsync()).Trades);
    }

    [Fact]
    public async Task A_trade_completed_before_its_reservation_reaches_the_book_still_holds_what_it_moved()
    {
        await using var host = new MatchingHost();
        await host.PublishListingsAsync(Listings(1));
        var trade = await host.TradeAsync(Assert.Single((await host.RunRoundAsync()).TradeIds));
        await AgreeAsync(host, trade.Id, reservedAt: 2);

        // Catalog's ListingChanged carrying the reservation is stuck in its outbox (its broker returns it, say) while
        // logistics' reports flow: the goods arrive before the copy has the reservation.
        foreach (var leg in trade.Legs) await host.Publish(new ShipmentDelivered(Guid.NewGuid(), trade.Id, leg.Index, DateTimeOffset.UtcNow));
        await Eventually.True(async () => (await host.TradeAsync(trade.Id)).Status == Domain.TradeStatus.Completed, what: "trade completed");

        var book = (await host.BookAsync()).ToDictionary(b => b.Id);
        Assert.Equal((200.0, 150.0, 50.0), (book["b-wood"].Remaining, book["b-wood"].Held, book["b-wood"].Available));
        Assert.Equal(0, (await host.RunRoundAsync()).Trades);
    }

    [Fact]
    public async Task A_trade_cancelled_after_part_of_it_arrived_before_its_reservation_reaches_the_book_still_holds_what_arrived()
    {
        await using var host = new MatchingHost();
        await host.PublishListingsAsync(Listings(1));
        var trade = await host.TradeAsync(Assert.Single((await host.RunRoundAsync()).TradeIds));
        await AgreeAsync(host, trade.Id, reservedAt: 2);

        // The firewood arrived, the cheese never left: logistics stopped the trade. Catalog books the firewood as given and
        // releases the cheese, but none of its ListingChanged has reached the copy yet.
        var wood = Assert.Single(trade.Legs, l => l.OfferId == "b-wood");
        var at = DateTimeOffset.UtcNow;
        await host.Publish(new TradeStopped(trade.Id, "cancelled by operator ops: road closed", [new ArrivedLeg(wood.Index, at)], at));
        await Eventually.True(async () => (await host.TradeAsync(trade.Id)).Status == Domain.TradeStatus.Cancelled, what: "trade cancelled");

        var book = (await host.BookAsync()).ToDictionary(b => b.Id);
        Assert.Equal((200.0, 150.0, 50.0), (book["b-wood"].Remaining, book["b-wood"].Held, book["b-wood"].Available));
        Assert.Equal((150.0, 150.0, 0.0), (book["a-wood"].Remaining, book["a-wood"].Held, book["a-wood"].Available));
        Assert.Equal((0.0, 0.0), (book["a-cheese"].Held, book["b-cheese"].Held));
    }

    [Fact]
    public async Task Once_the_reservation_reaches_the_book_the_agreed_trade_holds_nothing_and_what_is_left_trades_again()
    {
        await using var host = new MatchingHost();
        await host.PublishListingsAsync(Listings(1));
        var trade = await host.TradeAsync(Assert.Single((await host.RunRoundAsync()).TradeIds));
        await AgreeAsync(host, trade.Id, reservedAt: 2);
        Assert.Equal(0, (await host.RunRoundAsync()).Trades);

        // Catalog's snapshots at the reserved versions, then A needing more firewood.
        await ChangeAsync(host, Listings(2, cheese: 10, woodNeed: 0, wood: 50, cheeseNeed: 10));
        Assert.All(await host.BookAsync(), b => Assert.Equal(0, b.Held));
        Assert.Equal(50.0, (await host.BookAsync()).Single(b => b.Id == "b-wood").Available);
        await ChangeAsync(host, Listings(3, cheese: 10, woodNeed: 150, wood: 50, cheeseNeed: 10)[1]);

        var next = await host.RunRoundAsync();
        var again = await host.TradeAsync(Assert.Single(next.TradeIds));
        var woodLeg = Assert.Single(again.Legs, l => l.OfferId == "b-wood");
        Assert.InRange(woodLeg.Quantity, 1, 50 + 1e-6);
    }

    /// <summary>Both towns accept the trade, catalog's reservation answering every listing at version <paramref name="reservedAt"/>.</summary>
    private static async Task AgreeAsync(MatchingHost host, Guid tradeId, long reservedAt)
    {
        host.Catalog.Answer = r => new ReserveListingsReply
        {
            Reserved = true,
            Versions = { r.Items.Select(i => i.ListingId).Distinct().Select(id => new ListingVersion { ListingId = id, Version = reservedAt }) },
        };
        (await Swap.AcceptAsync(host, Swap.A, tradeId)).EnsureSuccessStatusCode();
        (await Swap.AcceptAsync(host, Swap.B, tradeId)).EnsureSuccessStatusCode();
    }
}
