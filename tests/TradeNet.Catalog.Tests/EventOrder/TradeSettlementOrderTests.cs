using TradeNet.Catalog.Api;
using TradeNet.Contracts;
using TradeNet.Contracts.Grpc;
using TradeNet.Testing;
using CatalogGrpc = TradeNet.Contracts.Grpc.Catalog;

namespace TradeNet.Catalog.Tests.EventOrder;

/// <summary>
/// The event-order hunt over one trade at catalog, as matching drives it: the reservation (gRPC ReserveListings, at
/// agreement), then TradeCancelled or TradeCompleted. A proposal cancelled before its reservation call finished sends
/// TradeCancelled first. Each order, each event twice (its own message id: the relay's replay; a new one: a repeat of
/// the publisher), and a town's withdrawal of the listing racing the cancellation. The listing ends with the quantities
/// the in-order run leaves (remaining, reserved, fulfilled), and no consumer gives a message up.
/// </summary>
public sealed class TradeSettlementOrderTests(CatalogFactory factory) : IClassFixture<CatalogFactory>
{
    private CatalogGrpc.CatalogClient Grpc => factory.Grpc(TestSettings.ServiceAuth("matching"));

    private async Task<ListingView> OfferAsync()
    {
        var town = await factory.RegisterTownAsync();
        return await factory.PublishAsync(town.Town.Id, new { kind = "offer", category = "apples", quantity = 10 });
    }

    private static TradeLeg[] Legs(string offer) =>
        [new TradeLeg(0, "a", "b", offer, "need-b", "apples", 4, 40, 4, new TradePoint(46, 4), new TradePoint(45.8, 4.2), null, null)];

    private async Task<string> QuantitiesAsync(string listing)
    {
        var l = await factory.ListingAsync(listing);
        return $"remaining {l.Remaining}, reserved {l.Reserved}, fulfilled {l.Fulfilled}, {l.Status}";
    }

    /// <param name="order">R: the reservation call; C: TradeCancelled; F: TradeCompleted; W: the town withdraws the listing
    /// (a withdrawn listing keeps its free quantity as a number; its status takes it off the board).</param>
    [Theory]
    [InlineData("RC", "remaining 10, reserved 0, fulfilled 0, active")]
    [InlineData("CR", "remaining 10, reserved 0, fulfilled 0, active")]
    [InlineData("RF", "remaining 6, reserved 0, fulfilled 4, active")]
    [InlineData("RWC", "remaining 10, reserved 0, fulfilled 0, withdrawn")]
    [InlineData("RCW", "remaining 10, reserved 0, fulfilled 0, withdrawn")]
    public async Task A_trades_reservation_and_settlement_in_each_order_once_or_twice_leave_the_listing_as_in_order(string order, string expected)
    {
        using var delivery = new EventDelivery(factory.Harness);
        var failures = new List<string>();
        foreach (var twice in new[] { "once", "same id", "new id" })
        {
            var offer = await OfferAsync();
            var trade = Guid.NewGuid();
            var ids = new Dictionary<char, Guid> { ['C'] = Guid.NewGuid(), ['F'] = Guid.NewGuid() };
            foreach (var step in order)
            {
                var times = twice == "once" || step is 'R' or 'W' ? 1 : 2;
                for (var n = 0; n < times; n++)
                {
                    var id = n == 0 || twice == "same id" ? ids.GetValueOrDefault(step) : Guid.NewGuid();
                    switch (step)
                    {
                        case 'R':
                            var reply = await Grpc.ReserveListingsAsync(new ReserveListingsRequest
                            {
                                TradeId = trade.ToString(), Items = { new ReservationItem { ListingId = offer.Id, Quantity = 4 } },
                            });
                            // Refused exactly when the cancellation came first.
                            if (reply.Reserved == order.StartsWith('C')) failures.Add($"{order} {twice}: reserved {reply.Reserved} ({reply.Reason})");
                            break;
                        case 'C': await delivery.DeliverAsync(new TradeCancelled(trade, "expired", true, Legs(offer.Id)), id); break;
                        case 'F': await delivery.DeliverAsync(new TradeCompleted(trade, Legs(offer.Id)), id); break;
                        case 'W':
                            (await factory.ClientAs(TestSettings.TownAuth(offer.TownId)).DeleteAsync($"/api/catalog/listings/{offer.Id}"))
                                .EnsureSuccessStatusCode();
                            break;
                    }
                }
            }
            var state = await QuantitiesAsync(offer.Id);
            if (state != expected) failures.Add($"{order} {twice}: {state}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Empty(delivery.GivenUp());
    }
}
