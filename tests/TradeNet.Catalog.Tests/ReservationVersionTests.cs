using TradeNet.Catalog.Api;
using TradeNet.Contracts.Grpc;
using TradeNet.Testing;
using CatalogGrpc = TradeNet.Contracts.Grpc.Catalog;

namespace TradeNet.Catalog.Tests;

/// <summary>The versions a reservation's reply names, which matching holds agreed quantities by until its book reaches them.</summary>
public sealed class ReservationVersionTests(CatalogFactory factory) : IClassFixture<CatalogFactory>
{
    private CatalogGrpc.CatalogClient Grpc => factory.Grpc(TestSettings.ServiceAuth("matching"));

    private async Task<ListingView> OfferAsync(double quantity)
    {
        var town = await factory.RegisterTownAsync();
        return await factory.PublishAsync(town.Town.Id, new { kind = "offer", category = "apples", quantity });
    }

    private static ReserveListingsRequest Reserve(Guid tradeId, params (string Id, double Quantity)[] items) =>
        new() { TradeId = tradeId.ToString(), Items = { items.Select(i => new ReservationItem { ListingId = i.Id, Quantity = i.Quantity }) } };

    private static Dictionary<string, long> Versions(ReserveListingsReply reply) =>
        reply.Versions.ToDictionary(v => v.ListingId, v => v.Version);

    [Fact]
    public async Task A_reservation_answers_the_version_its_write_gave_each_listing()
    {
        var apples = await OfferAsync(10);
        var more = await OfferAsync(20);

        var reply = await Grpc.ReserveListingsAsync(Reserve(Guid.NewGuid(), (apples.Id, 4), (more.Id, 2), (apples.Id, 1)));

        Assert.True(reply.Reserved, reply.Reason);
        var (a, m) = (await factory.ListingAsync(apples.Id), await factory.ListingAsync(more.Id));
        Assert.Equal(new Dictionary<string, long> { [apples.Id] = a.Version, [more.Id] = m.Version }, Versions(reply));
        Assert.Equal(apples.Version + 1, a.Version);
    }

    [Fact]
    public async Task A_repeated_reservation_answers_the_current_versions_never_below_its_own()
    {
        var apples = await OfferAsync(10);
        var trade = Guid.NewGuid();
        var first = await Grpc.ReserveListingsAsync(Reserve(trade, (apples.Id, 4)));
        Assert.True((await Grpc.ReserveListingsAsync(Reserve(Guid.NewGuid(), (apples.Id, 3)))).Reserved);

        var again = await Grpc.ReserveListingsAsync(Reserve(trade, (apples.Id, 4)));

        Assert.True(again.Reserved, again.Reason);
        var current = (await factory.ListingAsync(apples.Id)).Version;
        Assert.Equal(current, Versions(again)[apples.Id]);
        Assert.True(Versions(again)[apples.Id] > Versions(first)[apples.Id]);
    }

    [Fact]
    public async Task A_refused_reservation_names_no_versions()
    {
        var apples = await OfferAsync(10);
        var trade = Guid.NewGuid();

        var reply = await Grpc.ReserveListingsAsync(Reserve(trade, (apples.Id, 11)));
        var again = await Grpc.ReserveListingsAsync(Reserve(trade, (apples.Id, 11)));

        Assert.False(reply.Reserved);
        Assert.Empty(reply.Versions);
        Assert.Empty(again.Versions);
    }
}
