using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TradeNet.Testing;

namespace TradeNet.Catalog.Tests;

/// <summary>A change that lowers the quantity under the minimum lot it keeps: the 400 named only minLot ("must not
/// exceed the quantity"), a field the caller had not sent, without its value, so the town could not tell what to fix.</summary>
public sealed class ListingKeptLotTests(CatalogFactory factory) : IClassFixture<CatalogFactory>
{
    private async Task<(HttpClient Client, string Id)> OfferAsync(double quantity, double minLot)
    {
        var town = await factory.RegisterTownAsync();
        var offer = await factory.PublishAsync(town.Town.Id, new { kind = "offer", category = "cheese", quantity, minLot });
        return (factory.ClientAs(TestSettings.TownAuth(town.Town.Id)), offer.Id);
    }

    [Fact]
    public async Task A_quantity_under_the_kept_minimum_lot_is_a_400_naming_the_quantity_and_the_lot_it_is_under()
    {
        var (client, id) = await OfferAsync(quantity: 90, minLot: 10);

        var response = await client.PutAsJsonAsync($"/api/catalog/listings/{id}", new { quantity = 5 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["quantity"], errors.EnumerateObject().Select(e => e.Name).ToArray());
        var message = errors.GetProperty("quantity")[0].GetString()!;
        Assert.Contains("minLot", message);
        Assert.Contains("10", message);
        Assert.Equal((90.0, 10.0, 1L), await TermsAsync(id));
    }

    [Fact]
    public async Task A_minimum_lot_sent_above_the_quantity_is_still_named_as_minLot()
    {
        var (client, id) = await OfferAsync(quantity: 90, minLot: 10);

        var response = await client.PutAsJsonAsync($"/api/catalog/listings/{id}", new { quantity = 5, minLot = 6 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["minLot"], errors.EnumerateObject().Select(e => e.Name).ToArray());
        Assert.Equal((90.0, 10.0, 1L), await TermsAsync(id));
    }

    [Fact]
    public async Task Lowering_both_in_one_change_is_accepted()
    {
        var (client, id) = await OfferAsync(quantity: 90, minLot: 10);

        var response = await client.PutAsJsonAsync($"/api/catalog/listings/{id}", new { quantity = 5, minLot = 5 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((5.0, 5.0, 2L), await TermsAsync(id));
    }

    private async Task<(double, double, long)> TermsAsync(string id)
    {
        var listing = await factory.ListingAsync(id);
        return (listing.Quantity, listing.MinLot, listing.Version);
    }
}
