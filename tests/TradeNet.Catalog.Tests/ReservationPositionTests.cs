using System.Net.Http.Json;
using TradeNet.Contracts;
using TradeNet.Contracts.Grpc;
using TradeNet.Testing;
using CatalogGrpc = TradeNet.Contracts.Grpc.Catalog;

namespace TradeNet.Catalog.Tests;

/// <summary>A reservation's terms (scheme t2) include the position of the listing's town, which distance limits are checked
/// from: after a move, a trade decided on the old position is refused as changed terms, not agreed on it.</summary>
public sealed class ReservationPositionTests(CatalogFactory factory) : IClassFixture<CatalogFactory>
{
    private CatalogGrpc.CatalogClient Grpc => factory.Grpc(TestSettings.ServiceAuth("matching"));

    /// <summary>40 kg of cheese wanted within 50 km, by a town that then moves; with the snapshots announced before and after.</summary>
    private async Task<(ListingSnapshot Before, ListingSnapshot After)> MovedNeedAsync()
    {
        var town = await factory.RegisterTownAsync(lat: 45.0, lon: 3.0);
        var need = await factory.PublishAsync(town.Town.Id, new { kind = "need", category = "cheese", quantity = 40, maxDistanceKm = 50 });
        var before = await factory.PublishedAsync<ListingPublished>(e => e.Listing.Id == need.Id, "ListingPublished");
        (await factory.ClientAs(TestSettings.TownAuth(town.Town.Id)).PutAsJsonAsync($"/api/catalog/towns/{town.Town.Id}",
            new { name = "Riorges", lat = 46.0431, lon = 4.0413, specialties = new[] { "vegetables" } })).EnsureSuccessStatusCode();
        var after = await factory.PublishedAsync<ListingChanged>(e => e.Listing.Id == need.Id && e.Listing.Version == 2, "ListingChanged");
        return (before.Listing, after.Listing);
    }

    private static ReserveListingsRequest Reserve(Guid tradeId, string listingId, string terms) =>
        new() { TradeId = tradeId.ToString(), Items = { new ReservationItem { ListingId = listingId, Quantity = 40, Terms = terms } } };

    private async Task<(double Reserved, long Version)> State(string listingId)
    {
        var listing = await factory.ListingAsync(listingId);
        return (listing.Reserved, listing.Version);
    }

    [Fact]
    public async Task A_reservation_decided_on_the_position_before_a_move_is_refused_as_changed_terms_and_reserves_nothing()
    {
        var (before, _) = await MovedNeedAsync();
        var trade = Guid.NewGuid();

        var reply = await Grpc.ReserveListingsAsync(Reserve(trade, before.Id, ListingTermsFingerprint.Of(before)));

        Assert.False(reply.Reserved);
        Assert.Equal(ReservationRefusal.TermsChanged, reply.Refusal);
        Assert.Equal([before.Id], reply.ChangedListingIds);
        Assert.Equal((0.0, 2L), await State(before.Id));
        Assert.Null(await factory.Store.GetReservationAsync(trade));
        Assert.Equal(0, factory.PublishedCount<ListingsReserved>(e => e.TradeId == trade));
    }

    [Fact]
    public async Task A_reservation_decided_on_the_new_position_is_reserved()
    {
        var (before, after) = await MovedNeedAsync();
        var trade = Guid.NewGuid();
        Assert.Equal(ReservationRefusal.TermsChanged,
            (await Grpc.ReserveListingsAsync(Reserve(trade, before.Id, ListingTermsFingerprint.Of(before)))).Refusal);

        var reply = await Grpc.ReserveListingsAsync(Reserve(trade, after.Id, ListingTermsFingerprint.Of(after)));

        Assert.True(reply.Reserved, reply.Reason);
        Assert.Equal((40.0, 3L), await State(after.Id));
    }

    [Fact]
    public async Task A_caller_still_sending_the_positionless_scheme_is_checked_as_before()
    {
        // An older matching during a rolling upgrade: its terms never named the position, so a move alone is not a change.
        var (before, _) = await MovedNeedAsync();

        var reply = await Grpc.ReserveListingsAsync(Reserve(Guid.NewGuid(), before.Id, ListingTermsFingerprint.WithoutPosition(before)));

        Assert.True(reply.Reserved, reply.Reason);
        Assert.StartsWith(ListingTermsFingerprint.PositionlessScheme, ListingTermsFingerprint.WithoutPosition(before));
    }

    [Fact]
    public async Task A_positionless_fingerprint_of_terms_that_changed_since_is_still_refused()
    {
        var (before, _) = await MovedNeedAsync();
        (await factory.ClientAs(TestSettings.TownAuth(before.TownId)).PutAsJsonAsync($"/api/catalog/listings/{before.Id}",
            new { maxDistanceKm = 20 })).EnsureSuccessStatusCode();

        var reply = await Grpc.ReserveListingsAsync(Reserve(Guid.NewGuid(), before.Id, ListingTermsFingerprint.WithoutPosition(before)));

        Assert.Equal(ReservationRefusal.TermsChanged, reply.Refusal);
    }
}
