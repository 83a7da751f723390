using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using TradeNet.Testing;

namespace TradeNet.Catalog.Tests;

/// <summary>Goods counted in pieces (bicycles, solar panels) are listed and traded whole.</summary>
public sealed class WholePieceListingTests(CatalogFactory factory) : IClassFixture<CatalogFactory>
{
    private async Task<HttpClient> TownAsync() =>
        factory.ClientAs(TestSettings.TownAuth((await factory.RegisterTownAsync()).Town.Id));

    [Theory]
    [InlineData(2.5, 0, "quantity")]
    [InlineData(10, 0.5, "minLot")]
    public async Task A_fraction_of_a_piece_is_refused_naming_the_field(double quantity, double minLot, string field)
    {
        var client = await TownAsync();

        var response = await client.PostAsJsonAsync("/api/catalog/listings", new { kind = "offer", category = "bicycles", quantity, minLot });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!;
        Assert.Equal([field], problem.Errors.Keys);
        Assert.Contains("whole number", problem.Errors[field][0]);
    }

    [Fact]
    public async Task Whole_pieces_and_fractions_of_divisible_goods_are_listed()
    {
        var client = await TownAsync();

        var bikes = await client.PostAsJsonAsync("/api/catalog/listings", new { kind = "offer", category = "bicycles", quantity = 12, minLot = 2 });
        var cheese = await client.PostAsJsonAsync("/api/catalog/listings", new { kind = "offer", category = "cheese", quantity = 12.5, minLot = 0.5 });

        Assert.Equal(HttpStatusCode.Created, bikes.StatusCode);
        Assert.Equal(HttpStatusCode.Created, cheese.StatusCode);
    }

    [Fact]
    public async Task A_change_to_a_fraction_of_a_piece_is_refused_and_the_listing_kept()
    {
        var town = await factory.RegisterTownAsync();
        var listing = await factory.PublishAsync(town.Town.Id, new { kind = "need", category = "solar-panels", quantity = 8, minLot = 2 });

        var response = await factory.ClientAs(TestSettings.TownAuth(town.Town.Id))
            .PutAsJsonAsync($"/api/catalog/listings/{listing.Id}", new { quantity = 7.5, minLot = 1.5 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["minLot", "quantity"], (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys.Order());
        var kept = await factory.ListingAsync(listing.Id);
        Assert.Equal((8.0, 2.0, 1L), (kept.Quantity, kept.MinLot, kept.Version));
    }
}
