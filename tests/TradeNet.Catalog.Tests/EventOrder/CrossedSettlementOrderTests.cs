using System.Net.Http.Json;
using TradeNet.Catalog.Api;
using TradeNet.Contracts;
using TradeNet.Contracts.Grpc;
using TradeNet.Testing;
using CatalogGrpc = TradeNet.Contracts.Grpc.Catalog;

namespace TradeNet.Catalog.Tests.EventOrder;

/// <summary>
/// The event-order hunt over events of different trades on one listing, and over the cancellation that carries delivered
/// legs: two trades reserve (gRPC) and settle (TradeCancelled, TradeCompleted) one offer's quantity in each order, each event
/// twice (its own message id, a new one); and an agreed trade's cancellation naming its delivered leg crossed with a
/// TradeCompleted of the same trade and with the town's change of the listing's quantity. The listings end as the order
/// allows (the first settlement of a trade decides it; a second finds nothing held), the ListingChanged last published for
/// each is the listing as stored, and no consumer gives a message up.
/// </summary>
public sealed class CrossedSettlementOrderTests(CatalogFactory factory) : IClassFixture<CatalogFactory>
{
    private CatalogGrpc.CatalogClient Grpc => factory.Grpc(TestSettings.ServiceAuth("matching"));

    private static TradeLeg Leg(int index, ListingView offer, ListingView need, double quantity) =>
        new(index, offer.TownId, need.TownId, offer.Id, need.Id, offer.Category, quantity, quantity * 10, quantity,
            new TradePoint(46, 4), new TradePoint(45.8, 4.2), null, null);

    private async Task ReserveAsync(Guid trade, params (string Listing, double Quantity)[] items)
    {
        var request = new ReserveListingsRequest { TradeId = trade.ToString() };
        foreach (var (listing, quantity) in items) request.Items.Add(new ReservationItem { ListingId = listing, Quantity = quantity });
        var reply = await Grpc.ReserveListingsAsync(request);
        Assert.True(reply.Reserved, reply.Reason);
    }

    /// <summary>The listing as stored, and whether the newest ListingChanged catalog published of it says the same.</summary>
    private async Task<string> StateAsync(string listing)
    {
        var l = await factory.ListingAsync(listing);
        var announced = await factory.PublishedAsync<ListingChanged>(c => c.Listing.Id == listing && c.Listing.Version == l.Version,
            $"ListingChanged of {listing} v{l.Version}");
        var agrees = announced.Listing.Remaining == l.Remaining ? "" : $" (announced remaining {announced.Listing.Remaining})";
        return $"remaining {l.Remaining}, reserved {l.Reserved}, fulfilled {l.Fulfilled}, {l.Status}{agrees}";
    }

    private static IEnumerable<(string Name, Func<Guid?, Guid?>)> Repeats() =>
    [
        ("once", _ => null),
        ("same id", id => id),
        ("new id", _ => Guid.NewGuid()),
    ];

    /// <param name="order">1: the first trade's cancellation (it reserved 4 before); R: the second trade reserves 6;
    /// F: the second trade completes (after R, as matching completes only what catalog reserved).</param>
    /// <param name="deliveredLeg">The first trade's cancellation names its leg delivered: its 4 are booked fulfilled.</param>
    [Theory]
    [InlineData("1RF", false, "remaining 4, reserved 0, fulfilled 6, active")]
    [InlineData("R1F", false, "remaining 4, reserved 0, fulfilled 6, active")]
    [InlineData("RF1", false, "remaining 4, reserved 0, fulfilled 6, active")]
    [InlineData("1RF", true, "remaining 0, reserved 0, fulfilled 10, exhausted")]
    [InlineData("R1F", true, "remaining 0, reserved 0, fulfilled 10, exhausted")]
    [InlineData("RF1", true, "remaining 0, reserved 0, fulfilled 10, exhausted")]
    public async Task Two_trades_settling_one_listing_in_each_order_once_or_twice_leave_it_as_in_order(string order, bool deliveredLeg, string expected)
    {
        using var delivery = new EventDelivery(factory.Harness);
        var failures = new List<string>();
        foreach (var (twice, repeat) in Repeats())
        {
            var (a, b) = (await factory.RegisterTownAsync(), await factory.RegisterTownAsync());
            var offer = await factory.PublishAsync(a.Town.Id, new { kind = "offer", category = "apples", quantity = 10 });
            var (need1, need2) = (await factory.PublishAsync(b.Town.Id, new { kind = "need", category = "apples", quantity = 4 }),
                await factory.PublishAsync(b.Town.Id, new { kind = "need", category = "apples", quantity = 6 }));
            var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
            await ReserveAsync(first, (offer.Id, 4), (need1.Id, 4));
            var cancelled = new TradeCancelled(first, "cancelled by operator ops: stuck", true, [Leg(0, offer, need1, 4)], deliveredLeg ? [0] : []);
            var completed = new TradeCompleted(second, [Leg(0, offer, need2, 6)]);
            foreach (var step in order)
            {
                var id = Guid.NewGuid();
                switch (step)
                {
                    case '1':
                        await delivery.DeliverAsync(cancelled, id);
                        if (repeat(id) is { } again1) await delivery.DeliverAsync(cancelled, again1);
                        break;
                    case 'R': await ReserveAsync(second, (offer.Id, 6), (need2.Id, 6)); break;
                    case 'F':
                        await delivery.DeliverAsync(completed, id);
                        if (repeat(id) is { } again2) await delivery.DeliverAsync(completed, again2);
                        break;
                }
            }
            var state = await StateAsync(offer.Id);
            if (state != expected) failures.Add($"{order} {twice}: {state}");
            var needState = await StateAsync(need1.Id);
            var needExpected = deliveredLeg ? "remaining 0, reserved 0, fulfilled 4, exhausted" : "remaining 4, reserved 0, fulfilled 0, active";
            if (needState != needExpected) failures.Add($"{order} {twice}: first trade's need {needState}, expected {needExpected}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Empty(delivery.GivenUp());
    }

    /// <param name="order">X: the agreed trade's cancellation naming leg 0 delivered (leg 1's goods never left); F: a
    /// TradeCompleted of the same trade (matching ends a trade once, so this stands for a confused sender: the first of the
    /// two settles the trade, the other finds nothing held); Q: town A raises its offer of leg 0 from 10 to 12.</param>
    [Theory]
    [InlineData("XFQ")]
    [InlineData("XQF")]
    [InlineData("QXF")]
    [InlineData("FXQ")]
    [InlineData("FQX")]
    [InlineData("QFX")]
    public async Task A_cancellation_with_a_delivered_leg_crossed_with_a_completion_and_a_quantity_change_settles_the_trade_once(string order)
    {
        using var delivery = new EventDelivery(factory.Harness);
        var failures = new List<string>();
        // Leg 0 is booked fulfilled either way; leg 1 is released when the cancellation came first, fulfilled otherwise.
        var cancelledFirst = order.IndexOf('X', StringComparison.Ordinal) < order.IndexOf('F', StringComparison.Ordinal);
        var expected = string.Join("; ",
            "offer 0: remaining 8, reserved 0, fulfilled 4, active",
            "need 0: remaining 0, reserved 0, fulfilled 4, exhausted",
            cancelledFirst ? "offer 1: remaining 10, reserved 0, fulfilled 0, active" : "offer 1: remaining 7, reserved 0, fulfilled 3, active",
            cancelledFirst ? "need 1: remaining 5, reserved 0, fulfilled 0, active" : "need 1: remaining 2, reserved 0, fulfilled 3, active");
        foreach (var (twice, repeat) in Repeats())
        {
            var (a, b) = (await factory.RegisterTownAsync(), await factory.RegisterTownAsync());
            var offer0 = await factory.PublishAsync(a.Town.Id, new { kind = "offer", category = "apples", quantity = 10 });
            var need0 = await factory.PublishAsync(b.Town.Id, new { kind = "need", category = "apples", quantity = 4 });
            var offer1 = await factory.PublishAsync(b.Town.Id, new { kind = "offer", category = "honey", quantity = 10 });
            var need1 = await factory.PublishAsync(a.Town.Id, new { kind = "need", category = "honey", quantity = 5 });
            var trade = Guid.NewGuid();
            await ReserveAsync(trade, (offer0.Id, 4), (need0.Id, 4), (offer1.Id, 3), (need1.Id, 3));
            TradeLeg[] legs = [Leg(0, offer0, need0, 4), Leg(1, offer1, need1, 3)];
            foreach (var step in order)
            {
                var id = Guid.NewGuid();
                switch (step)
                {
                    case 'X':
                        var cancelled = new TradeCancelled(trade, "cancelled by operator ops: bridge closed", true, legs, [0]);
                        await delivery.DeliverAsync(cancelled, id);
                        if (repeat(id) is { } again1) await delivery.DeliverAsync(cancelled, again1);
                        break;
                    case 'F':
                        await delivery.DeliverAsync(new TradeCompleted(trade, legs), id);
                        if (repeat(id) is { } again2) await delivery.DeliverAsync(new TradeCompleted(trade, legs), again2);
                        break;
                    case 'Q':
                        (await factory.ClientAs(TestSettings.TownAuth(a.Town.Id)).PutAsJsonAsync($"/api/catalog/listings/{offer0.Id}",
                            new { quantity = 12 })).EnsureSuccessStatusCode();
                        break;
                }
            }
            var state = string.Join("; ", $"offer 0: {await StateAsync(offer0.Id)}", $"need 0: {await StateAsync(need0.Id)}",
                $"offer 1: {await StateAsync(offer1.Id)}", $"need 1: {await StateAsync(need1.Id)}");
            if (state != expected) failures.Add($"{order} {twice}:\n    got      {state}\n    expected {expected}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Empty(delivery.GivenUp());
    }
}
