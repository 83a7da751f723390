using TradeNet.Contracts;
using TradeNet.Matching.Clearing;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Rounds;

namespace TradeNet.Matching.Tests.Clearing;

public class OrderBookTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_rounds_book_is_the_open_listings_minus_what_pending_proposals_hold()
    {
        var book = OrderBook.From([Listing("a", remaining: 10), Listing("b", remaining: 4), Listing("c", remaining: 7)],
            new Dictionary<string, double> { ["a"] = 3, ["b"] = 4 }, Now);

        Assert.Equal([("a", 7.0), ("c", 7.0)], book.Entries.Select(e => (e.Id, e.Available)));
    }

    [Fact]
    public void A_listing_whose_window_has_ended_is_left_out()
    {
        var book = OrderBook.From([Listing("old", until: Now.AddMinutes(-1)), Listing("open"), Listing("later", until: Now.AddDays(1))],
            new Dictionary<string, double>(), Now);

        Assert.Equal(["later", "open"], book.Entries.Select(e => e.Id));
    }

    [Fact]
    public void Holds_add_up_over_every_pending_trade_and_both_sides_of_each_leg()
    {
        TradeLegState Leg(int i, string offer, string need, double q) =>
            new(new TradeLeg(i, "x", "y", offer, need, "cheese", q, q * 10, q, new TradePoint(0, 0), new TradePoint(0, 0), null, null));
        var trades = new[]
        {
            new Trade(Guid.NewGuid(), Guid.NewGuid(), TradeStatus.Proposed, [Leg(0, "o1", "n1", 2), Leg(1, "o2", "n2", 5)], Now, Now),
            new Trade(Guid.NewGuid(), Guid.NewGuid(), TradeStatus.Proposed, [Leg(0, "o1", "n3", 1.5)], Now, Now),
        };

        var held = ClearingRounds.Held(trades);

        Assert.Equal(3.5, held["o1"]);
        Assert.Equal(2, held["n1"]);
        Assert.Equal(5, held["o2"]);
        Assert.Equal(1.5, held["n3"]);
    }

    private static ListingSnapshot Listing(string id, double remaining = 10, DateTimeOffset? until = null) =>
        new(id, "roanne", "offer", "cheese", "kg", 12, 1, 10, remaining, 0, [], [], null, null, until, 46, 4, 1);
}
