using System.Net;
using System.Net.Http.Json;
using Grpc.Core;
using MassTransit;
using MassTransit.Testing;
using TradeNet.Catalog.Api;
using TradeNet.Contracts;
using TradeNet.Contracts.Grpc;
using TradeNet.Testing;
using CatalogGrpc = TradeNet.Contracts.Grpc.Catalog;

namespace TradeNet.Catalog.Tests;

/// <summary>Reservations through the real gRPC endpoint, releases and fulfilments through the bus.</summary>
public sealed class ReservationTests(CatalogFactory factory) : IClassFixture<CatalogFactory>
{
    private CatalogGrpc.CatalogClient Grpc => factory.Grpc(TestSettings.ServiceAuth("matching"));

    private async Task<ListingView> OfferAsync(double quantity, double minLot = 0)
    {
        var town = await factory.RegisterTownAsync();
        return await factory.PublishAsync(town.Town.Id, new { kind = "offer", category = "apples", quantity, minLot });
    }

    private static ReserveListingsRequest Reserve(Guid tradeId, params (string Id, double Quantity)[] items) =>
        new() { TradeId = tradeId.ToString(), Items = { items.Select(i => new ReservationItem { ListingId = i.Id, Quantity = i.Quantity }) } };

    [Fact]
    public async Task A_reservation_sets_aside_every_quantity_and_announces_it()
    {
        var apples = await OfferAsync(10);
        var more = await OfferAsync(20);
        var trade = Guid.NewGuid();

        var reply = await Grpc.ReserveListingsAsync(Reserve(trade, (apples.Id, 4), (more.Id, 20)));

        Assert.True(reply.Reserved, reply.Reason);
        var (a, m) = (await factory.ListingAsync(apples.Id), await factory.ListingAsync(more.Id));
        Assert.Equal((6.0, 4.0, 2L), (a.Remaining, a.Reserved, a.Version));
        Assert.Equal((0.0, 20.0, "active"), (m.Remaining, m.Reserved, m.Status));
        var reserved = await factory.PublishedAsync<ListingsReserved>(e => e.TradeId == trade, "ListingsReserved");
        Assert.Equal([(apples.Id, 4.0), (more.Id, 20.0)], reserved.Items.Select(i => (i.ListingId, i.Quantity)).ToArray());
        var changed = await factory.PublishedAsync<ListingChanged>(e => e.Listing.Id == apples.Id && e.Listing.Version == 2, "ListingChanged");
        Assert.Equal(6.0, changed.Listing.Remaining);
    }

    [Fact]
    public async Task A_reservation_is_all_or_nothing()
    {
        var plenty = await OfferAsync(10);
        var scarce = await OfferAsync(2);

        var reply = await Grpc.ReserveListingsAsync(Reserve(Guid.NewGuid(), (plenty.Id, 5), (scarce.Id, 3)));

        Assert.False(reply.Reserved);
        Assert.Contains(scarce.Id, reply.Reason);
        Assert.Equal((10.0, 0.0, 1L), await State(plenty.Id));
        Assert.Equal((2.0, 0.0, 1L), await State(scarce.Id));
    }

    [Fact]
    public async Task A_reservation_below_the_minimum_lot_or_of_an_unknown_listing_is_refused()
    {
        var lots = await OfferAsync(100, minLot: 25);

        var small = await Grpc.ReserveListingsAsync(Reserve(Guid.NewGuid(), (lots.Id, 10)));
        var unknown = await Grpc.ReserveListingsAsync(Reserve(Guid.NewGuid(), (lots.Id, 30), ("no-such-listing", 1)));
        var withinEpsilon = await Grpc.ReserveListingsAsync(Reserve(Guid.NewGuid(), (lots.Id, 25 - 1e-9)));

        Assert.False(small.Reserved);
        Assert.Contains("minimum lot", small.Reason);
        Assert.False(unknown.Reserved);
        Assert.Contains("no-such-listing", unknown.Reason);
        Assert.True(withinEpsilon.Reserved, withinEpsilon.Reason);
    }

    [Fact]
    public async Task A_listing_whose_availability_ended_is_not_reserved()
    {
        // A host of its own, on a clock of the test's: the listing is published inside its window however slow the
        // machine (a 2 s window waited out left the publish racing it), then the service's clock moves past it.
        var clock = new ShiftedClock();
        await using var host = new CatalogFactory { Clock = clock };
        var town = await host.RegisterTownAsync();
        var until = DateTimeOffset.UtcNow.AddMinutes(1);
        var ending = await host.PublishAsync(town.Town.Id, new { kind = "offer", category = "apples", quantity = 10, availableUntil = until });
        clock.Shift = until - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1);

        var reply = await host.Grpc(TestSettings.ServiceAuth("matching")).ReserveListingsAsync(Reserve(Guid.NewGuid(), (ending.Id, 4)));

        Assert.False(reply.Reserved);
        Assert.Contains("available until", reply.Reason);
        var after = await host.ListingAsync(ending.Id);
        Assert.Equal((10.0, 0.0, 1L), (after.Remaining, after.Reserved, after.Version));
    }

    [Fact]
    public async Task A_repeated_reservation_answers_the_first_outcome_and_reserves_once()
    {
        var apples = await OfferAsync(10);
        var trade = Guid.NewGuid();

        var first = await Grpc.ReserveListingsAsync(Reserve(trade, (apples.Id, 6)));
        var again = await Grpc.ReserveListingsAsync(Reserve(trade, (apples.Id, 6)));

        Assert.True(first.Reserved);
        Assert.True(again.Reserved);
        Assert.Equal((4.0, 6.0, 2L), await State(apples.Id));
        await factory.PublishedAsync<ListingsReserved>(e => e.TradeId == trade, "ListingsReserved");
        await Task.Delay(300); // give a wrongly repeated event time to show up
        Assert.Equal(1, factory.PublishedCount<ListingsReserved>(e => e.TradeId == trade));

        // A refusal is remembered too: freeing the quantity later does not turn the same trade into a success.
        var refusedTrade = Guid.NewGuid();
        Assert.False((await Grpc.ReserveListingsAsync(Reserve(refusedTrade, (apples.Id, 8)))).Reserved);
        Assert.False((await Grpc.ReserveListingsAsync(Reserve(refusedTrade, (apples.Id, 1)))).Reserved);
    }

    [Fact]
    public async Task Concurrent_reservations_never_oversell_a_listing()
    {
        var apples = await OfferAsync(10);

        var replies = await Task.WhenAll(Enumerable.Range(0, 8)
            .Select(_ => Grpc.ReserveListingsAsync(Reserve(Guid.NewGuid(), (apples.Id, 3))).ResponseAsync));

        Assert.Equal(3, replies.Count(r => r.Reserved));
        Assert.Equal((1.0, 9.0, 4L), await State(apples.Id));
    }

    [Fact]
    public async Task A_malformed_trade_id_or_empty_request_is_an_invalid_argument()
    {
        var badId = await Assert.ThrowsAsync<RpcException>(() =>
            Grpc.ReserveListingsAsync(new ReserveListingsRequest { TradeId = "trade-1", Items = { new ReservationItem { ListingId = "x", Quantity = 1 } } }).ResponseAsync);
        var noItems = await Assert.ThrowsAsync<RpcException>(() =>
            Grpc.ReserveListingsAsync(new ReserveListingsRequest { TradeId = Guid.NewGuid().ToString() }).ResponseAsync);
        var negative = await Assert.ThrowsAsync<RpcException>(() =>
            Grpc.ReserveListingsAsync(Reserve(Guid.NewGuid(), ("x", -1))).ResponseAsync);

        Assert.Equal([StatusCode.InvalidArgument, StatusCode.InvalidArgument, StatusCode.InvalidArgument],
            new[] { badId.StatusCode, noItems.StatusCode, negative.StatusCode });
    }

    [Fact]
    public async Task Only_services_may_call_the_catalog_over_grpc()
    {
        var anonymous = await Assert.ThrowsAsync<RpcException>(() =>
            factory.Grpc(null).ReserveListingsAsync(Reserve(Guid.NewGuid(), ("x", 1))).ResponseAsync);
        var town = await Assert.ThrowsAsync<RpcException>(() =>
            factory.Grpc(TestSettings.TownAuth("42187")).AuthenticateApiKeyAsync(new AuthenticateApiKeyRequest { ApiKey = "tn_x" }).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, town.StatusCode);
    }

    [Fact]
    public async Task An_api_key_authenticates_its_town_and_nothing_else_does()
    {
        var town = await factory.RegisterTownAsync();

        var valid = await Grpc.AuthenticateApiKeyAsync(new AuthenticateApiKeyRequest { ApiKey = town.ApiKey });
        var wrong = await Grpc.AuthenticateApiKeyAsync(new AuthenticateApiKeyRequest { ApiKey = town.ApiKey + "x" });
        var empty = await Grpc.AuthenticateApiKeyAsync(new AuthenticateApiKeyRequest());

        Assert.Equal((true, town.Town.Id, town.Town.Name), (valid.Valid, valid.TownId, valid.TownName));
        Assert.False(wrong.Valid);
        Assert.Equal("", wrong.TownId);
        Assert.False(empty.Valid);
    }

    [Fact]
    public async Task Towns_and_listings_can_be_read_over_grpc()
    {
        var apples = await OfferAsync(10);

        var towns = await Grpc.GetTownsAsync(new GetTownsRequest { TownIds = { apples.TownId } });
        var byTown = await Grpc.GetListingsAsync(new GetListingsRequest { TownId = apples.TownId });
        var byId = await Grpc.GetListingsAsync(new GetListingsRequest { ListingIds = { apples.Id, "missing" } });

        Assert.Equal(apples.TownId, Assert.Single(towns.Towns).Id);
        Assert.Equal(apples.Id, Assert.Single(byTown.Listings).Id);
        var listing = Assert.Single(byId.Listings);
        Assert.Equal(("offer", "apples", 10.0, "active"), (listing.Kind, listing.Category, listing.Remaining, listing.Status));
    }

    [Fact]
    public async Task A_redelivered_trade_cancellation_releases_the_reservation_once()
    {
        var apples = await OfferAsync(10);
        var cancelled = Guid.NewGuid();
        var other = Guid.NewGuid();
        Assert.True((await Grpc.ReserveListingsAsync(Reserve(cancelled, (apples.Id, 4)))).Reserved);
        Assert.True((await Grpc.ReserveListingsAsync(Reserve(other, (apples.Id, 3)))).Reserved);

        var messageId = NewId.NextGuid();
        var cancellation = new TradeCancelled(cancelled, "town 42187 rejected", WasAgreed: true, []);
        await factory.Harness.Bus.Publish(cancellation, c => c.MessageId = messageId);
        await factory.Harness.Bus.Publish(cancellation, c => c.MessageId = messageId);
        await ConsumedAsync<TradeCancelled>(messageId, times: 2);

        // Released once: the other trade's 3 stay reserved (a second release would have freed them too).
        Assert.Equal((7.0, 3.0, 4L), await State(apples.Id));
        Assert.Equal("released", (await factory.Store.GetReservationAsync(cancelled))!.State);

        // A different message for the same trade finds nothing held any more.
        await factory.Harness.Bus.Publish(cancellation with { Reason = "again" });
        await Eventually.True(() => Task.FromResult(factory.Harness.ConsumedSoFar<TradeCancelled>().Any(m => m.Context.Message.Reason == "again")));
        Assert.Equal((7.0, 3.0, 4L), await State(apples.Id));
    }

    [Fact]
    public async Task Releasing_an_agreed_trades_reservation_announces_the_listing_with_its_quantity_back_and_a_newer_version()
    {
        // Matching lowers its copy of the book at agreement and relies on this snapshot to raise it again.
        var apples = await OfferAsync(10);
        var trade = Guid.NewGuid();
        Assert.True((await Grpc.ReserveListingsAsync(Reserve(trade, (apples.Id, 10)))).Reserved);

        await factory.Harness.Bus.Publish(new TradeCancelled(trade, "cancelled by operator ops: stuck", WasAgreed: true, []));

        var changed = await factory.PublishedAsync<ListingChanged>(e => e.Listing.Id == apples.Id && e.Listing.Version == 3, "ListingChanged");
        Assert.Equal(10.0, changed.Listing.Remaining);
        Assert.Equal("active", (await factory.ListingAsync(apples.Id)).Status);
    }

    [Fact]
    public async Task A_cancelled_trade_books_the_legs_already_delivered_as_fulfilled_and_releases_the_rest()
    {
        var apples = await OfferAsync(10);
        var pears = await OfferAsync(8);
        var trade = Guid.NewGuid();
        Assert.True((await Grpc.ReserveListingsAsync(Reserve(trade, (apples.Id, 6), (pears.Id, 5)))).Reserved);
        // The apples reached their town before an operator gave up on the pears' leg.
        TradeLeg[] legs = [Leg(0, apples.Id, 6), Leg(1, pears.Id, 5)];

        await factory.Harness.Bus.Publish(new TradeCancelled(trade, "cancelled by operator ops: road closed", true, legs, DeliveredLegs: [0]));

        await factory.PublishedAsync<ListingChanged>(e => e.Listing.Id == pears.Id && e.Listing.Version == 3, "pears released");
        var (applesNow, pearsNow) = (await factory.ListingAsync(apples.Id), await factory.ListingAsync(pears.Id));
        Assert.Equal((4.0, 0.0, 6.0), (applesNow.Remaining, applesNow.Reserved, applesNow.Fulfilled));
        Assert.Equal((8.0, 0.0, 0.0), (pearsNow.Remaining, pearsNow.Reserved, pearsNow.Fulfilled));
    }

    private static TradeLeg Leg(int index, string offerId, double quantity) =>
        new(index, "town-a", "town-b", offerId, $"need-{index}", "apples", quantity, quantity * 2, quantity,
            new TradePoint(46.04, 4.07), new TradePoint(46.05, 4.08), null, null);

    [Fact]
    public async Task A_trade_cancelled_before_reserving_cannot_reserve_afterwards()
    {
        var apples = await OfferAsync(10);
        var trade = Guid.NewGuid();
        var messageId = NewId.NextGuid();

        await factory.Harness.Bus.Publish(new TradeCancelled(trade, "expired", false, []), c => c.MessageId = messageId);
        await ConsumedAsync<TradeCancelled>(messageId, times: 1);
        var late = await Grpc.ReserveListingsAsync(Reserve(trade, (apples.Id, 1)));

        Assert.False(late.Reserved);
        Assert.Contains("cancelled", late.Reason);
        Assert.Equal((10.0, 0.0, 1L), await State(apples.Id));
    }

    [Fact]
    public async Task A_completed_trade_books_its_reservation_as_fulfilled_once()
    {
        var apples = await OfferAsync(5);
        var trade = Guid.NewGuid();
        Assert.True((await Grpc.ReserveListingsAsync(Reserve(trade, (apples.Id, 5)))).Reserved);

        var messageId = NewId.NextGuid();
        var completed = new TradeCompleted(trade, []);
        await factory.Harness.Bus.Publish(completed, c => c.MessageId = messageId);
        await factory.Harness.Bus.Publish(completed, c => c.MessageId = messageId);
        await ConsumedAsync<TradeCompleted>(messageId, times: 2);

        var listing = await factory.ListingAsync(apples.Id);
        Assert.Equal((0.0, 0.0, 5.0, "exhausted", 3L),
            (listing.Remaining, listing.Reserved, listing.Fulfilled, listing.Status, listing.Version));
        var changed = await factory.PublishedAsync<ListingChanged>(e => e.Listing.Id == apples.Id && e.Listing.Version == 3, "ListingChanged");
        Assert.Equal(0.0, changed.Listing.Remaining);
    }

    [Fact]
    public async Task A_towns_change_cannot_drop_the_quantity_below_what_is_reserved()
    {
        var apples = await OfferAsync(10);
        Assert.True((await Grpc.ReserveListingsAsync(Reserve(Guid.NewGuid(), (apples.Id, 6)))).Reserved);
        var client = factory.ClientAs(TestSettings.TownAuth(apples.TownId));

        var tooLow = await client.PutAsJsonAsync($"/api/catalog/listings/{apples.Id}", new { quantity = 5 });
        var justEnough = await client.PutAsJsonAsync($"/api/catalog/listings/{apples.Id}", new { quantity = 6 });

        Assert.Equal(HttpStatusCode.BadRequest, tooLow.StatusCode);
        Assert.Contains("quantity", await tooLow.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, justEnough.StatusCode);
        Assert.Equal((0.0, 6.0, 3L), await State(apples.Id));
    }

    [Fact]
    public async Task A_withdrawn_listing_cannot_be_reserved()
    {
        var apples = await OfferAsync(10);
        await factory.ClientAs(TestSettings.TownAuth(apples.TownId)).DeleteAsync($"/api/catalog/listings/{apples.Id}");

        var reply = await Grpc.ReserveListingsAsync(Reserve(Guid.NewGuid(), (apples.Id, 1)));

        Assert.False(reply.Reserved);
        Assert.Contains("withdrawn", reply.Reason);
    }

    private async Task<(double Remaining, double Reserved, long Version)> State(string listingId)
    {
        var listing = await factory.ListingAsync(listingId);
        return (listing.Remaining, listing.Reserved, listing.Version);
    }

    private Task ConsumedAsync<T>(Guid messageId, int times) where T : class =>
        Eventually.True(() => Task.FromResult(factory.Deliveries.Finished(messageId) >= times),
            TimeSpan.FromSeconds(15), $"{times} × {typeof(T).Name}");
}
