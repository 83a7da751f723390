using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TradeNet.Testing;

namespace TradeNet.Catalog.Tests;

/// <summary>A window's ends are kept to the millisecond under MongoDB (BSON dates) and compared so in a reservation's
/// terms (<c>ListingTermsFingerprint</c>): a window inside one millisecond (from .0001, until .0002) was published,
/// then stored there with its end equal to its start, a window the API calls invalid, so every later change of the
/// listing was refused naming availableUntil, a field the town had not sent.</summary>
public sealed class ListingWindowMillisecondTests(CatalogFactory factory) : IClassFixture<CatalogFactory>
{
    private static readonly int Year = DateTime.UtcNow.Year + 1;

    [Fact]
    public async Task A_window_inside_one_millisecond_is_a_400_naming_availableUntil_and_nothing_is_published()
    {
        var town = await factory.RegisterTownAsync();
        var client = factory.ClientAs(TestSettings.TownAuth(town.Town.Id));
        var body = $$"""{"kind":"offer","category":"cheese","quantity":5,"availableFrom":"{{Year}}-01-01T00:00:00.0001Z","availableUntil":"{{Year}}-01-01T00:00:00.0009Z"}""";

        var response = await client.PostAsync("/api/catalog/listings", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["availableUntil"], errors.EnumerateObject().Select(e => e.Name).ToArray());
        Assert.Empty(await factory.Store.FindListingsAsync(new(TownId: town.Town.Id)));
    }

    [Fact]
    public async Task A_change_to_a_window_inside_one_millisecond_is_a_400_and_the_window_stays()
    {
        var town = await factory.RegisterTownAsync();
        var client = factory.ClientAs(TestSettings.TownAuth(town.Town.Id));
        var offer = await factory.PublishAsync(town.Town.Id, new { kind = "offer", category = "cheese", quantity = 5 });
        var body = $$"""{"availableFrom":"{{Year}}-03-01T00:00:00.0001Z","availableUntil":"{{Year}}-03-01T00:00:00.0002Z"}""";

        var response = await client.PutAsync($"/api/catalog/listings/{offer.Id}", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("availableUntil", await response.Content.ReadAsStringAsync());
        var after = await factory.ListingAsync(offer.Id);
        Assert.Equal((null, null, 1L), (after.AvailableFrom, after.AvailableUntil, after.Version));
    }

    [Fact]
    public async Task A_window_one_millisecond_long_is_published()
    {
        var town = await factory.RegisterTownAsync();
        var client = factory.ClientAs(TestSettings.TownAuth(town.Town.Id));
        var body = $$"""{"kind":"offer","category":"cheese","quantity":5,"availableFrom":"{{Year}}-01-01T00:00:00.000Z","availableUntil":"{{Year}}-01-01T00:00:00.001Z"}""";

        var response = await client.PostAsync("/api/catalog/listings", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
