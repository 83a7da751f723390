using System.Diagnostics;
using Grpc.Core;
using TradeNet.Catalog.Storage.Sqlite;
using TradeNet.Contracts.Grpc;
using TradeNet.Testing;

namespace TradeNet.Catalog.Tests;

/// <summary>A gRPC call answers HTTP 200 whatever its status, and the HTTP server span marks only 5xx: an operator filtering
/// catalog's traces by error must still find the calls catalog failed, and not the ones it refused.</summary>
public sealed class GrpcServerSpanTests : IClassFixture<CatalogFactory>, IDisposable
{
    private readonly CatalogFactory factory;
    private readonly SpanRecorder _spans = new("Microsoft.AspNetCore");
    private List<Activity> Servers => _spans.Stopped.Where(a => a.Kind == ActivityKind.Server).ToList();

    public GrpcServerSpanTests(CatalogFactory factory)
    {
        this.factory = factory;
    }

    private static ReserveListingsRequest Reserve(Guid tradeId, string listing, double quantity) =>
        new() { TradeId = tradeId.ToString(), Items = { new ReservationItem { ListingId = listing, Quantity = quantity } } };

    [Fact]
    public async Task A_reservation_catalog_could_not_store_ends_its_server_span_as_an_error_saying_why()
    {
        var grpc = factory.Grpc(TestSettings.ServiceAuth("matching"));
        var town = await factory.RegisterTownAsync();
        var listing = await factory.PublishAsync(town.Town.Id, new Api.PublishListingRequest("offer", "cheese", 10, 1));
        var trade = Guid.NewGuid();
        var plan = new StorageFaultPlan(((SqliteCatalogStore)factory.Store).Database);

        plan.Arm(1, TradeNet.Shared.Storage.Sqlite.SqliteFaults.IoError);
        var failed = await Assert.ThrowsAsync<RpcException>(async () => await grpc.ReserveListingsAsync(Reserve(trade, listing.Id, 4)));
        plan.Disarm();

        Assert.Equal(StatusCode.Unavailable, failed.StatusCode);
        var span = await Eventually.Until(() => Task.FromResult(ReservationsOf(trade)), s => s.Count > 0, what: "the call's server span");
        Assert.Equal(ActivityStatusCode.Error, span[0].Status);
        Assert.Contains("Unavailable", span[0].StatusDescription);
    }

    [Fact]
    public async Task A_reservation_catalog_refused_as_impossible_leaves_its_server_span_status_unset()
    {
        var grpc = factory.Grpc(TestSettings.ServiceAuth("matching"));
        var trade = Guid.NewGuid();

        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
            await grpc.ReserveListingsAsync(Reserve(trade, "no-such-listing", -4)));

        Assert.NotEqual(StatusCode.Unavailable, refused.StatusCode);
        Assert.NotEqual(StatusCode.Internal, refused.StatusCode);
        var span = await Eventually.Until(() => Task.FromResult(ReservationsOf(trade)), s => s.Count > 0, what: "the call's server span");
        Assert.Equal(ActivityStatusCode.Unset, span[0].Status);
    }

    private List<Activity> ReservationsOf(Guid trade) =>
        Servers.Where(a => (string?)a.GetTagItem(Shared.Hosting.TradeNetTelemetry.TradeId) == trade.ToString()).ToList();

    public void Dispose() => _spans.Dispose();
}
