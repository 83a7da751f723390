using Grpc.Core;
using TradeNet.Contracts.Grpc;
using TradeNet.Testing;
using CatalogGrpc = TradeNet.Contracts.Grpc.Catalog;

namespace TradeNet.Catalog.Tests;

/// <summary>The gRPC calls at the edges of their input: every one answers a deliberate status naming the problem, never
/// Internal, and tells what REST tells about the same listing.</summary>
public sealed class GrpcEdgeTests(CatalogFactory factory) : IClassFixture<CatalogFactory>
{
    private CatalogGrpc.CatalogClient Grpc => factory.Grpc(TestSettings.ServiceAuth("matching"));

    private static List<string> Ids(int count) => Enumerable.Range(0, count).Select(i => $"id-{i}").ToList();

    [Fact]
    public async Task Asking_for_more_ids_than_one_call_takes_is_an_invalid_argument_naming_the_field_not_an_internal_error()
    {
        // 40 000 ids passed SQLite's limit of bound parameters (32 766): the store's error came back as Internal.
        var towns = await Assert.ThrowsAsync<RpcException>(() =>
            Grpc.GetTownsAsync(new GetTownsRequest { TownIds = { Ids(40_000) } }).ResponseAsync);
        var listings = await Assert.ThrowsAsync<RpcException>(() =>
            Grpc.GetListingsAsync(new GetListingsRequest { ListingIds = { Ids(40_000) } }).ResponseAsync);

        Assert.Equal((StatusCode.InvalidArgument, StatusCode.InvalidArgument), (towns.StatusCode, listings.StatusCode));
        Assert.Contains("town_ids", towns.Status.Detail);
        Assert.Contains("listing_ids", listings.Status.Detail);
    }

    [Fact]
    public async Task Asking_for_listings_without_ids_or_a_town_is_an_invalid_argument_not_every_listing_ever_published()
    {
        var town = await factory.RegisterTownAsync();
        await factory.PublishAsync(town.Town.Id, new { kind = "offer", category = "apples", quantity = 10 });

        var refused = await Assert.ThrowsAsync<RpcException>(() => Grpc.GetListingsAsync(new GetListingsRequest()).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("listing_ids or town_id", refused.Status.Detail);
    }

    [Fact]
    public async Task As_many_ids_as_one_call_takes_are_answered()
    {
        var town = await factory.RegisterTownAsync();
        var ids = Ids(TradeNet.Catalog.Grpc.CatalogGrpcService.MaxIdsPerCall - 1);
        ids.Add(town.Town.Id);

        var reply = await Grpc.GetTownsAsync(new GetTownsRequest { TownIds = { ids } });

        Assert.Equal(town.Town.Id, Assert.Single(reply.Towns).Id);
    }

    [Fact]
    public async Task Quantities_of_one_listing_that_add_up_past_any_number_are_an_invalid_argument_naming_the_listing()
    {
        var town = await factory.RegisterTownAsync();
        var apples = await factory.PublishAsync(town.Town.Id, new { kind = "offer", category = "apples", quantity = 10 });
        var trade = Guid.NewGuid();
        var huge = new ReserveListingsRequest
        {
            TradeId = trade.ToString(),
            Items = { new ReservationItem { ListingId = apples.Id, Quantity = 1e308 }, new ReservationItem { ListingId = apples.Id, Quantity = 1e308 } },
        };

        // Each is finite; their sum is not, and recording the refusal failed in the JSON serializer, whose advice
        // ("consider specifying JsonNumberHandling…") was the answer's detail.
        var refused = await Assert.ThrowsAsync<RpcException>(() => Grpc.ReserveListingsAsync(huge).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains(apples.Id, refused.Status.Detail);
        Assert.DoesNotContain("Json", refused.Status.Detail);
        var reply = await Grpc.ReserveListingsAsync(new ReserveListingsRequest
            { TradeId = trade.ToString(), Items = { new ReservationItem { ListingId = apples.Id, Quantity = 4 } } });
        Assert.True(reply.Reserved, reply.Reason);
    }

    [Fact]
    public async Task A_listing_whose_window_has_ended_reads_as_ended_over_grpc_as_it_does_over_rest()
    {
        // A host of its own, whose clock moves past the window rather than the test waiting it out.
        var clock = new ShiftedClock();
        await using var host = new CatalogFactory { Clock = clock };
        var town = await host.RegisterTownAsync();
        var until = DateTimeOffset.UtcNow.AddMinutes(1);
        var ending = await host.PublishAsync(town.Town.Id, new { kind = "offer", category = "apples", quantity = 10, availableUntil = until });
        clock.Shift = until - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1);

        var reply = await host.Grpc(TestSettings.ServiceAuth("matching")).GetListingsAsync(new GetListingsRequest { ListingIds = { ending.Id } });

        Assert.Equal("ended", (await host.ListingAsync(ending.Id)).Status);
        Assert.Equal("ended", Assert.Single(reply.Listings).Status);
    }

    [Theory]
    [InlineData("gateway")]
    [InlineData("logistics")]
    public async Task Only_matching_reserves_listings_another_service_is_refused_and_nothing_is_held(string service)
    {
        var town = await factory.RegisterTownAsync();
        var apples = await factory.PublishAsync(town.Town.Id, new { kind = "offer", category = "apples", quantity = 10 });
        var request = new ReserveListingsRequest
            { TradeId = Guid.NewGuid().ToString(), Items = { new ReservationItem { ListingId = apples.Id, Quantity = 4 } } };

        // Any service's token passed: the gateway (the one exposed at the edge) or logistics set goods aside for no trade.
        var refused = await Assert.ThrowsAsync<RpcException>(() =>
            factory.Grpc(TestSettings.ServiceAuth(service)).ReserveListingsAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Contains("matching", refused.Status.Detail);
        var after = await factory.ListingAsync(apples.Id);
        Assert.Equal((10.0, 0.0, 1L), (after.Remaining, after.Reserved, after.Version));
        Assert.True((await Grpc.ReserveListingsAsync(request)).Reserved);
    }

    [Fact]
    public async Task A_town_token_or_none_is_refused_as_grpc_refuses_with_a_message_saying_why_not_a_bare_http_status()
    {
        var request = new GetTownsRequest { TownIds = { "42187" } };

        // Answered as HTTP 403/401 with a JSON problem, the caller read "Bad gRPC response. HTTP status code: 403".
        var asTown = await Assert.ThrowsAsync<RpcException>(() => factory.Grpc(TestSettings.TownAuth("42187")).GetTownsAsync(request).ResponseAsync);
        var anonymous = await Assert.ThrowsAsync<RpcException>(() => factory.Grpc(null).GetTownsAsync(request).ResponseAsync);

        Assert.Equal((StatusCode.PermissionDenied, StatusCode.Unauthenticated), (asTown.StatusCode, anonymous.StatusCode));
        Assert.Contains("42187 holds no service token", asTown.Status.Detail);
        Assert.Contains("No valid service token", anonymous.Status.Detail);
    }

    [Fact]
    public async Task A_reservation_of_more_items_than_one_call_takes_is_an_invalid_argument_naming_items_and_nothing_is_recorded()
    {
        var town = await factory.RegisterTownAsync();
        var apples = await factory.PublishAsync(town.Town.Id, new { kind = "offer", category = "apples", quantity = 10 });
        var trade = Guid.NewGuid().ToString();
        var huge = new ReserveListingsRequest { TradeId = trade };
        huge.Items.AddRange(Ids(TradeNet.Catalog.Grpc.CatalogGrpcService.MaxIdsPerCall + 1).Select(id => new ReservationItem { ListingId = id, Quantity = 1 }));

        // A trade names a few listings; a call naming tens of thousands read each in the reservation's one write, holding
        // every other writer back, and its refusal was recorded for the trade.
        var refused = await Assert.ThrowsAsync<RpcException>(() => Grpc.ReserveListingsAsync(huge).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("items", refused.Status.Detail);
        var reply = await Grpc.ReserveListingsAsync(new ReserveListingsRequest
            { TradeId = trade, Items = { new ReservationItem { ListingId = apples.Id, Quantity = 4 } } });
        Assert.True(reply.Reserved, reply.Reason);
    }
}
