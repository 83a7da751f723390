using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TradeNet.Testing;

namespace TradeNet.Catalog.Tests;

/// <summary>A need's distance limit is shown as answers show numbers (12 significant digits, at least 7 decimals), so
/// one too small to show read back as 0 — a limit the same API refuses — while matching held the need to it.</summary>
public sealed class ListingDistanceTests(CatalogFactory factory) : IClassFixture<CatalogFactory>
{
    [Theory]
    [InlineData(1e-300)]
    [InlineData(1e-9)]
    [InlineData(0.0009)]
    public async Task A_distance_limit_under_a_metre_is_a_400_naming_maxDistanceKm_and_nothing_is_published(double km)
    {
        var town = await factory.RegisterTownAsync();
        var client = factory.ClientAs(TestSettings.TownAuth(town.Town.Id));

        var response = await client.PostAsJsonAsync("/api/catalog/listings",
            new { kind = "need", category = "cheese", quantity = 5, maxDistanceKm = km });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["maxDistanceKm"], errors.EnumerateObject().Select(e => e.Name).ToArray());
        Assert.Empty(await factory.Store.FindListingsAsync(new(TownId: town.Town.Id)));
    }

    [Fact]
    public async Task A_change_to_a_distance_limit_under_a_metre_is_a_400_and_the_listing_keeps_its_limit()
    {
        var town = await factory.RegisterTownAsync();
        var client = factory.ClientAs(TestSettings.TownAuth(town.Town.Id));
        var need = await factory.PublishAsync(town.Town.Id, new { kind = "need", category = "cheese", quantity = 5, maxDistanceKm = 40 });

        var response = await client.PutAsJsonAsync($"/api/catalog/listings/{need.Id}", new { maxDistanceKm = 1e-300 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("maxDistanceKm", await response.Content.ReadAsStringAsync());
        var after = await factory.ListingAsync(need.Id);
        Assert.Equal((40.0, 1L), (after.MaxDistanceKm, after.Version));
    }

    [Fact]
    public async Task The_smallest_distance_limit_reads_back_as_sent_and_sent_back_changes_nothing()
    {
        var town = await factory.RegisterTownAsync();
        var client = factory.ClientAs(TestSettings.TownAuth(town.Town.Id));
        var need = await factory.PublishAsync(town.Town.Id, new { kind = "need", category = "cheese", quantity = 5, maxDistanceKm = 0.001 });

        var shown = await client.GetFromJsonAsync<JsonElement>($"/api/catalog/listings/{need.Id}");
        var km = shown.GetProperty("maxDistanceKm").GetDouble();
        var sentBack = await client.PutAsJsonAsync($"/api/catalog/listings/{need.Id}", new { maxDistanceKm = km });

        Assert.Equal(0.001, km);
        Assert.Equal(HttpStatusCode.OK, sentBack.StatusCode);
        Assert.Equal(1L, (await factory.ListingAsync(need.Id)).Version);
    }
}
