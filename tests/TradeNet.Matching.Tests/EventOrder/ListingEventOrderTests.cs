using System.Net;
using System.Net.Http.Json;
using TradeNet.Contracts;
using TradeNet.Matching.Api;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Tests.Component;
using TradeNet.Testing;

namespace TradeNet.Matching.Tests.EventOrder;

/// <summary>
/// The event-order hunt over one listing's events as catalog emits them (ListingBoard: published at v1, each change and each
/// reservation a ListingChanged at the next version, a withdrawal a ListingWithdrawn at the next): delivered in order, in
/// every other order, each twice (the outbox relay hands a kept event over again with its message id; a new id stands for
/// a publisher repeating itself), and against a town's accept. Whatever the order, the book ends as the in-order delivery
/// leaves it, and no consumer gives a message up.
/// </summary>
public class ListingEventOrderTests
{
    private static ListingSnapshot Offer(string id, long version, double remaining) =>
        Swap.Listing(id, Swap.A, "offer", "cheese", 10, remaining, 12, version);

    /// <summary>Published v1 (10 left), changed v2 (8 left: a reservation), changed v3 (6 left), and optionally withdrawn v4.</summary>
    private static object[] Sequence(string id, bool withdrawn) =>
    [
        new ListingPublished(Offer(id, 1, 10)),
        new ListingChanged(Offer(id, 2, 8)),
        new ListingChanged(Offer(id, 3, 6)),
        .. withdrawn ? new object[] { new ListingWithdrawn(id, Swap.A, 4) } : [],
    ];

    private static Task DeliverAsync(EventDelivery delivery, object message, Guid? id = null) => message switch
    {
        ListingPublished p => delivery.DeliverAsync(p, id),
        ListingChanged c => delivery.DeliverAsync(c, id),
        ListingWithdrawn w => delivery.DeliverAsync(w, id),
        _ => throw new ArgumentOutOfRangeException(nameof(message)),
    };

    private static string Describe(object message) => message switch
    {
        ListingPublished p => $"published v{p.Listing.Version}",
        ListingChanged c => $"changed v{c.Listing.Version}",
        ListingWithdrawn w => $"withdrawn v{w.Version}",
        _ => message.GetType().Name,
    };

    /// <summary>The book's entry for a listing as the hunt compares it: absent, or its version and remaining quantity.</summary>
    private static string State(BookListingView[] book, string id) =>
        book.FirstOrDefault(b => b.Id == id) is { } b ? $"v{b.Version} remaining {b.Remaining}" : "not in the book";

    [Fact]
    public async Task A_listings_snapshots_in_any_order_leave_the_book_at_the_newest_one()
    {
        await using var host = new MatchingHost();
        using var delivery = new EventDelivery(host.Harness);
        var failures = new List<string>();
        var orders = EventOrders.Permutations(Enumerable.Range(0, 3).ToArray());
        for (var o = 0; o < orders.Count; o++)
        {
            var id = $"order-{o}";
            var events = Sequence(id, withdrawn: false);
            foreach (var i in orders[o]) await DeliverAsync(delivery, events[i]);
            var state = State(await host.BookAsync(), id);
            if (state != "v3 remaining 6") failures.Add($"{string.Join(" → ", orders[o].Select(i => Describe(events[i])))}: {state}");
        }
        Assert.Empty(failures);
        Assert.Empty(delivery.GivenUp());
    }

    [Fact]
    public async Task A_withdrawn_listing_stays_out_of_the_book_whatever_order_its_events_arrive_in()
    {
        await using var host = new MatchingHost();
        using var delivery = new EventDelivery(host.Harness);
        var failures = new List<string>();
        var orders = EventOrders.Permutations(Enumerable.Range(0, 4).ToArray());
        for (var o = 0; o < orders.Count; o++)
        {
            var id = $"order-{o}";
            var events = Sequence(id, withdrawn: true);
            foreach (var i in orders[o]) await DeliverAsync(delivery, events[i]);
            var state = State(await host.BookAsync(), id);
            if (state != "not in the book") failures.Add($"{string.Join(" → ", orders[o].Select(i => Describe(events[i])))}: {state}");
        }
        Assert.Empty(failures);
        Assert.Empty(delivery.GivenUp());
    }

    [Fact]
    public async Task Each_listing_event_delivered_twice_with_its_own_or_a_new_message_id_leaves_the_book_as_once()
    {
        await using var host = new MatchingHost();
        using var delivery = new EventDelivery(host.Harness);
        var failures = new List<string>();
        foreach (var sameId in new[] { true, false })
        foreach (var withdrawn in new[] { false, true })
        {
            var id = $"twice-{sameId}-{withdrawn}";
            var expected = withdrawn ? "not in the book" : "v3 remaining 6";
            // Each event right after itself, then the whole sequence again: a relay that lost its confirms replays all.
            var events = Sequence(id, withdrawn);
            var ids = events.Select(_ => Guid.NewGuid()).ToArray();
            for (var i = 0; i < events.Length; i++)
            {
                await DeliverAsync(delivery, events[i], ids[i]);
                await DeliverAsync(delivery, events[i], sameId ? ids[i] : null);
            }
            for (var i = 0; i < events.Length; i++) await DeliverAsync(delivery, events[i], sameId ? ids[i] : null);
            var state = State(await host.BookAsync(), id);
            if (state != expected) failures.Add($"{(sameId ? "same" : "new")} ids, withdrawn {withdrawn}: {state}");
        }
        Assert.Empty(failures);
        Assert.Empty(delivery.GivenUp());
    }

    /// <summary>The order carries meaning here: a withdrawal before the accept cancels the proposal (the accept is refused),
    /// after it the trade is agreed and keeps its reservation. Either is right; a trade both, or neither, is not.</summary>
    [Fact]
    public async Task A_withdrawal_racing_a_towns_accept_leaves_the_trade_either_agreed_or_cancelled_never_between()
    {
        await using var host = new MatchingHost { RetryLikeTheBus = true };
        using var delivery = new EventDelivery(host.Harness);
        for (var round = 0; round < 8; round++)
        {
            var (trade, listings) = await FreshTrades.ProposeAsync(host, delivery, $"r{round}");
            (await Swap.AcceptAsync(host, Swap.A, trade.Id)).EnsureSuccessStatusCode();

            // The last accept and the withdrawal of one of the trade's listings at the same instant.
            var accept = Swap.AcceptAsync(host, Swap.B, trade.Id);
            var withdrawal = delivery.DeliverAsync(new ListingWithdrawn(listings[0].Id, Swap.A, 2));
            var answer = await accept;
            await withdrawal;

            var view = await host.TradeAsync(trade.Id);
            Assert.True(view.Status is TradeStatus.Agreed or TradeStatus.Cancelled, $"trade {view.Status}");
            // The accept answers what it came to: agreed, or cancelled meanwhile (200 with the cancelled trade, or 409).
            if (answer.StatusCode == HttpStatusCode.OK)
                Assert.Equal(view.Status, (await answer.Content.ReadFromJsonAsync<TradeView>(MatchingHost.Json))!.Status);
            else Assert.Equal((HttpStatusCode.Conflict, TradeStatus.Cancelled), (answer.StatusCode, view.Status));
            // Nothing half-done: a reservation catalog made for a trade that ended cancelled is given back by its TradeCancelled.
            if (view.Status == TradeStatus.Cancelled && host.Catalog.Reservations.Any(r => r.TradeId == trade.Id.ToString()))
                await host.Published<TradeCancelled>(c => c.TradeId == trade.Id);
            Assert.DoesNotContain(await host.BookAsync(), b => b.Id == listings[0].Id);
            // The other listings leave the book, so the next round proposes only its own.
            foreach (var other in listings.Skip(1)) await delivery.DeliverAsync(new ListingWithdrawn(other.Id, other.TownId, 2));
        }
        Assert.Empty(delivery.GivenUp());
    }
}
