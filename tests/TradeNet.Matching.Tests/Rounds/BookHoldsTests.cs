using TradeNet.Contracts;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Rounds;

namespace TradeNet.Matching.Tests.Rounds;

/// <summary>What trades hold on the book when one trade changed status between the reads of its statuses (the reads go
/// in lifecycle order, so it is then in two lists): it holds once, as its later status says.</summary>
public class BookHoldsTests
{
    private static ListingSnapshot Listing(string id, string town, string kind, long version) =>
        new(id, town, kind, "cheese", "kg", 12, 1, 10, 10, 0, [], [], null, null, null, 46.0, 4.0, version);

    private static readonly ListingSnapshot[] Book =
        [Listing("a-offer", "a", "offer", 1), Listing("b-need", "b", "need", 1), Listing("b-offer", "b", "offer", 1), Listing("a-need", "a", "need", 1)];

    // A swap of 2 each way, reserved by catalog at version 2 of each listing: the book (version 1) lacks the reservation.
    private static Trade Swap(TradeStatus status, bool firstDelivered = false)
    {
        var now = DateTimeOffset.UtcNow;
        TradeLegState Leg(int index, string from, string to, bool delivered) => new(
            new TradeLeg(index, from, to, $"{from}-offer", $"{to}-need", "cheese", 2, 24, 2, new TradePoint(46.0, 4.0), new TradePoint(46.0, 4.0), null, null),
            LegResponse.Accepted, Delivered: delivered, OfferVersion: 1, NeedVersion: 1, OfferReservedVersion: 2, NeedReservedVersion: 2);
        return new Trade(Id, Guid.Empty, status, [Leg(0, "a", "b", firstDelivered), Leg(1, "b", "a", false)], now.AddDays(1), now.AddMinutes(-5),
            AgreedAt: now.AddMinutes(-1));
    }

    private static readonly Guid Id = Guid.NewGuid();

    [Fact]
    public void A_trade_read_agreed_and_then_read_again_completed_holds_its_quantities_once()
    {
        var held = BookHolds.Held([], [Swap(TradeStatus.Agreed), Swap(TradeStatus.Completed)], Book);

        Assert.Equal([("a-need", 2.0), ("a-offer", 2.0), ("b-need", 2.0), ("b-offer", 2.0)],
            held.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => (h.Key, h.Value)));
    }

    [Fact]
    public void A_trade_read_agreed_and_then_read_again_cancelled_with_one_leg_arrived_holds_that_leg_only()
    {
        var held = BookHolds.Held([], [Swap(TradeStatus.Agreed), Swap(TradeStatus.Cancelled, firstDelivered: true)], Book);

        Assert.Equal([("a-offer", 2.0), ("b-need", 2.0)], held.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => (h.Key, h.Value)));
    }
}
