using TradeNet.Contracts;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Tests.Component;
using TradeNet.Testing;

namespace TradeNet.Matching.Tests.EventOrder;

/// <summary>
/// The event-order hunt over events of DIFFERENT listings that one proposal's fit depends on together: town A's move
/// (catalog announces each of its open listings again, a ListingChanged at the next version with the new position)
/// racing town B's change (or withdrawal) of the need the proposal serves. Each listing's versions keep their own order;
/// between listings there is none, so each order shows the proposal a different state in between. The rule the docs
/// give (OverheldListings): a proposal is cancelled as soon as a state it is shown no longer fits; one that survives fits
/// the newest terms of every listing it uses. The book ends at the newest version of each listing in every order, the
/// cancellation is announced once exactly when the trade is stored cancelled, and no consumer gives a message up.
/// </summary>
public class CrossedListingOrderTests
{
    // Town A moved about 100 km south-east, or about 4 km.
    private static readonly (double Lat, double Lon) Far = (45.3, 4.9), Near = (46.06, 4.09);

    /// <summary>A swap of its own (categories of its tag): A's cheese for B's firewood, B's cheese need limited to 20 km
    /// (A is 2.3 km away); the need is last.</summary>
    internal static ListingSnapshot[] SwapListings(string tag) =>
    [
        Swap.Listing($"{tag}-a-cheese", Swap.A, "offer", $"cheese-{tag}", 10, 10, 12),
        Swap.Listing($"{tag}-a-wood", Swap.A, "need", $"firewood-{tag}", 150, 150, 0.8),
        Swap.Listing($"{tag}-b-wood", Swap.B, "offer", $"firewood-{tag}", 200, 200, 0.8),
        Swap.Listing($"{tag}-b-cheese", Swap.B, "need", $"cheese-{tag}", 10, 10, 12) with { MaxDistanceKm = 20 },
    ];

    /// <summary>A proposal of a swap of its own (categories of its tag), B's cheese need limited to 20 km (A is 2.3 km away).</summary>
    internal static async Task<(Guid Trade, ListingSnapshot[] Listings)> ProposeAsync(MatchingHost host, EventDelivery delivery, string tag)
    {
        var listings = SwapListings(tag);
        foreach (var listing in listings) await delivery.DeliverAsync(new ListingPublished(listing));
        var round = await host.RunRoundAsync();
        var trades = await Task.WhenAll(round.TradeIds.Select(host.TradeAsync));
        return (Assert.Single(trades, t => t.Legs.All(l => l.Category.EndsWith(tag, StringComparison.Ordinal))).Id, listings);
    }

    private static Task DeliverAsync(EventDelivery delivery, object message, Guid? id = null) => message switch
    {
        ListingChanged c => delivery.DeliverAsync(c, id),
        ListingWithdrawn w => delivery.DeliverAsync(w, id),
        _ => throw new ArgumentOutOfRangeException(nameof(message)),
    };

    private static string Describe(object message) => message switch
    {
        ListingChanged c => $"{c.Listing.Id[(c.Listing.Id.IndexOf('-') + 1)..]} v{c.Listing.Version}",
        ListingWithdrawn w => $"{w.ListingId[(w.ListingId.IndexOf('-') + 1)..]} withdrawn",
        _ => message.GetType().Name,
    };

    /// <summary>Town A's move: its two listings announced again at v2 with the new position; then B's need at v2, changed by
    /// <paramref name="need"/> or (null) withdrawn.</summary>
    private static object[] Events(ListingSnapshot[] l, (double Lat, double Lon) moved, Func<ListingSnapshot, ListingSnapshot>? need) =>
    [
        new ListingChanged(l[0] with { TownLat = moved.Lat, TownLon = moved.Lon, Version = 2 }),
        new ListingChanged(l[1] with { TownLat = moved.Lat, TownLon = moved.Lon, Version = 2 }),
        need is null ? new ListingWithdrawn(l[3].Id, Swap.B, 2) : new ListingChanged(need(l[3]) with { Version = 2 }),
    ];

    public static TheoryData<string> Scenarios => ["widened", "narrowed", "near", "withdrawn"];

    /// <param name="scenario">widened: A moves far and B widens its limit to 500 km (cancelled exactly when A's offer is
    /// shown far before the wider limit); narrowed: A moves far and B narrows its limit to 15 km (cancelled in every order);
    /// near: A moves 4 km and B narrows to 10 km (fits every state: kept in every order); withdrawn: A moves far and B
    /// withdraws its need (cancelled in every order, the need out of the book).</param>
    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task A_towns_move_crossing_the_change_of_the_need_it_serves_cancels_the_proposal_exactly_when_a_state_shown_does_not_fit(string scenario)
    {
        await using var host = new MatchingHost();
        using var delivery = new EventDelivery(host.Harness);
        var failures = new List<string>();
        var orders = EventOrders.Permutations(Enumerable.Range(0, 3).ToArray());
        for (var o = 0; o < orders.Count; o++)
        {
            var (trade, listings) = await ProposeAsync(host, delivery, $"{scenario}{o}");
            var events = scenario switch
            {
                "widened" => Events(listings, Far, n => n with { MaxDistanceKm = 500 }),
                "narrowed" => Events(listings, Far, n => n with { MaxDistanceKm = 15 }),
                "near" => Events(listings, Near, n => n with { MaxDistanceKm = 10 }),
                _ => Events(listings, Far, null),
            };
            foreach (var i in orders[o]) await DeliverAsync(delivery, events[i]);

            var cancelled = scenario switch
            {
                "widened" => Array.IndexOf(orders[o], 0) < Array.IndexOf(orders[o], 2),
                "near" => false,
                _ => true,
            };
            var expected = $"{(cancelled ? TradeStatus.Cancelled : TradeStatus.Proposed)}, cancellation announced {(cancelled ? 1 : 0)}×; "
                + $"book a-cheese v2, a-wood v2, b-cheese {(scenario == "withdrawn" ? "not in the book" : "v2")}";
            if (cancelled) await host.Published<TradeCancelled>(c => c.TradeId == trade);
            var view = await host.TradeAsync(trade);
            var book = await host.BookAsync();
            string Entry(ListingSnapshot l) => book.FirstOrDefault(b => b.Id == l.Id) is { } b ? $"v{b.Version}" : "not in the book";
            var state = $"{view.Status}, cancellation announced {host.PublishedCount<TradeCancelled>(c => c.TradeId == trade)}×; "
                + $"book a-cheese {Entry(listings[0])}, a-wood {Entry(listings[1])}, b-cheese {Entry(listings[3])}";
            if (state != expected)
                failures.Add($"{string.Join(" → ", orders[o].Select(i => Describe(events[i])))}:\n    got      {state}\n    expected {expected}");
            // Out of the book, so the next round proposes only the next order's swap.
            foreach (var l in listings) await delivery.DeliverAsync(new ListingWithdrawn(l.Id, l.TownId, 10));
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Empty(delivery.GivenUp());
    }

    /// <summary>
    /// The snapshot in between that an out-of-order delivery skips: v2 would cancel the proposal (its quantity lowered below
    /// what the proposal holds, or a requirement the offer lacks), v3 takes that back. In order the proposal is cancelled
    /// on v2; with v3 first, v2 arrives stale and is ignored, and the proposal stays. That is what delivering the newest
    /// terms alone does, and those terms are the listing as catalog holds it: a snapshot carries the listing's whole state
    /// (its withdrawal is a tombstone of its own), catalog reserves only on the terms of matching's newest copy and on its
    /// own quantities, so nothing v2 said outlives v3. The surviving proposal is then agreed as any other.
    /// </summary>
    [Theory]
    [InlineData("lowered")]
    [InlineData("required")]
    public async Task A_skipped_snapshot_leaves_the_proposal_as_the_newest_terms_alone_do_and_it_can_be_agreed(string change)
    {
        await using var host = new MatchingHost();
        using var delivery = new EventDelivery(host.Harness);
        var results = new List<string>();
        foreach (var order in new[] { "2,3", "3,2", "3" })
        {
            var (trade, listings) = await ProposeAsync(host, delivery, $"skip-{change}-{order.Replace(",", "", StringComparison.Ordinal)}");
            var (offer, need) = (listings[0], listings[3]);
            var v2 = change == "lowered"
                ? new ListingChanged(offer with { Remaining = 5, Version = 2 })
                : new ListingChanged(need with { Requires = ["organic"], Version = 2 });
            var v3 = change == "lowered"
                ? new ListingChanged(offer with { Remaining = 10, Version = 3 })
                : new ListingChanged(need with { Version = 3 });
            foreach (var step in order.Split(',')) await delivery.DeliverAsync(step == "2" ? v2 : v3);

            var view = await host.TradeAsync(trade);
            if (view.Status == TradeStatus.Proposed)
            {
                (await Swap.AcceptAsync(host, Swap.A, trade)).EnsureSuccessStatusCode();
                (await Swap.AcceptAsync(host, Swap.B, trade)).EnsureSuccessStatusCode();
                view = await host.TradeAsync(trade);
            }
            results.Add($"{order}: {view.Status}");
            foreach (var l in listings) await delivery.DeliverAsync(new ListingWithdrawn(l.Id, l.TownId, 10));
        }
        Assert.Equal(["2,3: Cancelled", "3,2: Agreed", "3: Agreed"], results);
        Assert.Empty(delivery.GivenUp());
    }
}
