using System.Net.Http.Json;
using TradeNet.Catalog.Api;
using TradeNet.Contracts;
using TradeNet.Contracts.Grpc;
using TradeNet.Testing;
using CatalogGrpc = TradeNet.Contracts.Grpc.Catalog;

namespace TradeNet.Catalog.Tests;

/// <summary>A reservation names, per listing, the terms matching decided the trade on (its book copy's fingerprint);
/// catalog refuses it, reserving and recording nothing, when a listing's terms changed since.</summary>
public sealed class ReservationTermsTests(CatalogFactory factory) : IClassFixture<CatalogFactory>
{
    private CatalogGrpc.CatalogClient Grpc => factory.Grpc(TestSettings.ServiceAuth("matching"));

    /// <summary>70 kg of organic honey with a window given off UTC and below the millisecond; and the terms matching
    /// holds for it, from the snapshot catalog announced.</summary>
    private async Task<(ListingView Listing, string Terms)> HoneyAsync()
    {
        var town = await factory.RegisterTownAsync();
        var listing = await factory.PublishAsync(town.Town.Id, new
        {
            kind = "offer", category = "honey", quantity = 70, attributes = new[] { "organic" },
            availableFrom = "2030-01-01T10:00:00.1234567+02:00", availableUntil = "2030-02-01T10:00:00.7654321+02:00",
        });
        var published = await factory.PublishedAsync<ListingPublished>(e => e.Listing.Id == listing.Id, "ListingPublished");
        return (listing, ListingTermsFingerprint.Of(published.Listing));
    }

    private async Task ChangeAsync(ListingView listing, object change) =>
        (await factory.ClientAs(TestSettings.TownAuth(listing.TownId)).PutAsJsonAsync($"/api/catalog/listings/{listing.Id}", change))
        .EnsureSuccessStatusCode();

    private static ReserveListingsRequest Reserve(Guid tradeId, params (string Id, double Quantity, string Terms)[] items) =>
        new() { TradeId = tradeId.ToString(), Items = { items.Select(i => new ReservationItem { ListingId = i.Id, Quantity = i.Quantity, Terms = i.Terms }) } };

    private async Task<(double Remaining, double Reserved, long Version)> State(string listingId)
    {
        var listing = await factory.ListingAsync(listingId);
        return (listing.Remaining, listing.Reserved, listing.Version);
    }

    [Fact]
    public async Task A_reservation_on_terms_that_changed_since_is_refused_as_such_and_reserves_nothing()
    {
        var (honey, terms) = await HoneyAsync();
        var (other, otherTerms) = await HoneyAsync();
        await ChangeAsync(honey, new { attributes = Array.Empty<string>() });
        var trade = Guid.NewGuid();

        var reply = await Grpc.ReserveListingsAsync(Reserve(trade, (other.Id, 10, otherTerms), (honey.Id, 70, terms)));

        Assert.False(reply.Reserved);
        Assert.Equal(ReservationRefusal.TermsChanged, reply.Refusal);
        Assert.Equal([honey.Id], reply.ChangedListingIds);
        Assert.Contains($"listing {honey.Id} changed its terms", reply.Reason);
        Assert.Equal((70.0, 0.0, 2L), await State(honey.Id));
        Assert.Equal((70.0, 0.0, 1L), await State(other.Id));
        Assert.Null(await factory.Store.GetReservationAsync(trade));
        Assert.Equal(0, factory.PublishedCount<ListingsReserved>(e => e.TradeId == trade));
    }

    [Fact]
    public async Task The_same_trade_asked_again_with_the_new_terms_is_reserved()
    {
        var (honey, terms) = await HoneyAsync();
        await ChangeAsync(honey, new { attributes = new[] { "organic", "raw" } });
        var changed = await factory.PublishedAsync<ListingChanged>(e => e.Listing.Id == honey.Id && e.Listing.Version == 2, "ListingChanged");
        var trade = Guid.NewGuid();
        Assert.Equal(ReservationRefusal.TermsChanged, (await Grpc.ReserveListingsAsync(Reserve(trade, (honey.Id, 70, terms)))).Refusal);

        var again = await Grpc.ReserveListingsAsync(Reserve(trade, (honey.Id, 70, ListingTermsFingerprint.Of(changed.Listing))));

        Assert.True(again.Reserved, again.Reason);
        Assert.Equal(ReservationRefusal.Unspecified, again.Refusal);
        Assert.Equal((0.0, 70.0, 3L), await State(honey.Id));
    }

    [Fact]
    public async Task Quantities_changed_since_do_not_count_as_changed_terms()
    {
        var (honey, terms) = await HoneyAsync();
        Assert.True((await Grpc.ReserveListingsAsync(Reserve(Guid.NewGuid(), (honey.Id, 20, terms)))).Reserved);
        await ChangeAsync(honey, new { quantity = 90 });

        var reply = await Grpc.ReserveListingsAsync(Reserve(Guid.NewGuid(), (honey.Id, 30, terms)));

        Assert.True(reply.Reserved, reply.Reason);
        Assert.Equal((40.0, 50.0, 4L), await State(honey.Id));
    }

    [Theory]
    [InlineData("")]
    [InlineData("t9:a-scheme-this-catalog-does-not-know")]
    public async Task Terms_left_empty_or_of_another_scheme_are_not_checked(string terms)
    {
        var (honey, _) = await HoneyAsync();
        await ChangeAsync(honey, new { attributes = Array.Empty<string>() });

        var reply = await Grpc.ReserveListingsAsync(Reserve(Guid.NewGuid(), (honey.Id, 70, terms)));

        Assert.True(reply.Reserved, reply.Reason);
    }

    [Fact]
    public async Task A_leg_the_changed_terms_refuse_is_refused_for_them_and_recorded_rather_than_reported_as_changed_terms()
    {
        // The town raised its min lot above the leg: the listing as it is now refuses the leg, whatever the caller holds.
        var (honey, terms) = await HoneyAsync();
        await ChangeAsync(honey, new { minLot = 50 });
        var trade = Guid.NewGuid();

        var reply = await Grpc.ReserveListingsAsync(Reserve(trade, (honey.Id, 30, terms)));

        Assert.False(reply.Reserved);
        Assert.Equal(ReservationRefusal.Unspecified, reply.Refusal);
        Assert.Contains("below its minimum lot", reply.Reason);
        Assert.Equal("refused", (await factory.Store.GetReservationAsync(trade))!.State);
    }

    [Fact]
    public async Task A_refusal_that_stands_is_not_reported_as_changed_terms()
    {
        var (honey, terms) = await HoneyAsync();

        var reply = await Grpc.ReserveListingsAsync(Reserve(Guid.NewGuid(), (honey.Id, 80, terms)));

        Assert.False(reply.Reserved);
        Assert.Equal(ReservationRefusal.Unspecified, reply.Refusal);
        Assert.Empty(reply.ChangedListingIds);
    }
}
