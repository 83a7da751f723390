using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TradeNet.Catalog.Api;
using TradeNet.Contracts;
using TradeNet.Testing;

namespace TradeNet.Catalog.Tests;

/// <summary>A change is a JSON merge patch: a field left out keeps its value, a field sent as null clears it.</summary>
public sealed class ListingClearTests(CatalogFactory factory) : IClassFixture<CatalogFactory>
{
    private static readonly DateTimeOffset From = DateTimeOffset.UtcNow.Date.AddDays(2);
    private static readonly DateTimeOffset Until = DateTimeOffset.UtcNow.Date.AddDays(40);

    private static object Need() => new
    {
        kind = "need", category = "firewood", quantity = 500, minLot = 50, requires = new[] { "dry" },
        availableFrom = From, availableUntil = Until, maxDistanceKm = 40,
    };

    private async Task<(ListingView Listing, HttpClient Client)> PublishNeedAsync()
    {
        var town = await factory.RegisterTownAsync();
        return (await factory.PublishAsync(town.Town.Id, Need()), factory.ClientAs(TestSettings.TownAuth(town.Town.Id)));
    }

    private static Task<HttpResponseMessage> PutAsync(HttpClient client, string id, string json) =>
        client.PutAsync($"/api/catalog/listings/{id}", new StringContent(json, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task Null_clears_a_needs_window_distance_limit_minimum_lot_and_requirements_and_the_change_announces_them_cleared()
    {
        var (need, client) = await PublishNeedAsync();

        var response = await PutAsync(client, need.Id,
            """{"availableFrom":null,"availableUntil":null,"maxDistanceKm":null,"minLot":null,"requires":null}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answered = (await response.Content.ReadFromJsonAsync<ListingView>())!;
        var stored = await factory.ListingAsync(need.Id);
        foreach (var l in new[] { answered, stored })
        {
            Assert.Equal(((DateTimeOffset?)null, (DateTimeOffset?)null, (double?)null, 0.0, 2L),
                (l.AvailableFrom, l.AvailableUntil, l.MaxDistanceKm, l.MinLot, l.Version));
            Assert.Empty(l.Requires);
            Assert.Equal(500.0, l.Quantity);
        }
        var changed = await factory.PublishedAsync<ListingChanged>(e => e.Listing.Id == need.Id, "ListingChanged");
        Assert.Equal(((DateTimeOffset?)null, (DateTimeOffset?)null, (double?)null, 0.0, 2L),
            (changed.Listing.AvailableFrom, changed.Listing.AvailableUntil, changed.Listing.MaxDistanceKm, changed.Listing.MinLot,
                changed.Listing.Version));
        Assert.Empty(changed.Listing.Requires);
    }

    [Fact]
    public async Task Null_clears_an_offers_attributes()
    {
        var town = await factory.RegisterTownAsync();
        var offer = await factory.PublishAsync(town.Town.Id,
            new { kind = "offer", category = "cheese", quantity = 100, attributes = new[] { "organic" } });

        var response = await PutAsync(factory.ClientAs(TestSettings.TownAuth(town.Town.Id)), offer.Id, """{"attributes":null}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty((await factory.ListingAsync(offer.Id)).Attributes);
        var changed = await factory.PublishedAsync<ListingChanged>(e => e.Listing.Id == offer.Id, "ListingChanged");
        Assert.Empty(changed.Listing.Attributes);
    }

    [Fact]
    public async Task Fields_left_out_keep_their_values_while_those_sent_as_null_are_cleared()
    {
        var (need, client) = await PublishNeedAsync();

        var response = await PutAsync(client, need.Id, """{"availableUntil":null,"quantity":400}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var after = await factory.ListingAsync(need.Id);
        Assert.Equal((400.0, 50.0, (double?)40.0, (DateTimeOffset?)From, (DateTimeOffset?)null),
            (after.Quantity, after.MinLot, after.MaxDistanceKm, after.AvailableFrom, after.AvailableUntil));
        Assert.Equal(["dry"], after.Requires);
    }

    [Fact]
    public async Task Clearing_what_a_listing_does_not_have_changes_nothing_and_announces_nothing()
    {
        var town = await factory.RegisterTownAsync();
        var offer = await factory.PublishAsync(town.Town.Id, new { kind = "offer", category = "cheese", quantity = 100 });

        var response = await PutAsync(factory.ClientAs(TestSettings.TownAuth(town.Town.Id)), offer.Id,
            """{"maxDistanceKm":null,"availableFrom":null,"minLot":null,"attributes":null,"requires":null}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1L, (await factory.ListingAsync(offer.Id)).Version);
        Assert.Equal(0, factory.PublishedCount<ListingChanged>(e => e.Listing.Id == offer.Id));
    }

    [Theory]
    [InlineData("""{"quantity":null,"maxDistanceKm":null}""", "quantity")]
    [InlineData("""{"kind":null,"availableFrom":null}""", "kind")]
    [InlineData("""{"category":null,"minLot":null}""", "category")]
    [InlineData("""{"townId":null,"requires":null}""", "townId")]
    public async Task Null_on_a_field_that_cannot_be_cleared_is_a_400_naming_it_and_nothing_changes(string body, string field)
    {
        var (need, client) = await PublishNeedAsync();

        var response = await PutAsync(client, need.Id, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal([field], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Contains("cannot be cleared", problem.GetProperty("errors").GetProperty(field)[0].GetString());
        var after = await factory.ListingAsync(need.Id);
        Assert.Equal((1L, 500.0, 50.0, (double?)40.0, (DateTimeOffset?)From), (after.Version, after.Quantity, after.MinLot,
            after.MaxDistanceKm, after.AvailableFrom));
        Assert.Equal(["dry"], after.Requires);
        Assert.Equal(0, factory.PublishedCount<ListingChanged>(e => e.Listing.Id == need.Id));
    }

    [Theory]
    [InlineData("""{"maxDistance":null}""", "maxDistance")] // misspelt: a null is no reason to let it pass unread
    [InlineData("""{"minLot":"5"}""", "minLot")]
    [InlineData("""{"maxDistanceKm":null,"maxDistanceKm":30}""", "maxDistanceKm")]
    public async Task A_change_still_refuses_unknown_fields_numbers_in_strings_and_repeated_fields(string body, string field)
    {
        var (need, client) = await PublishNeedAsync();

        var response = await PutAsync(client, need.Id, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(1L, (await factory.ListingAsync(need.Id)).Version);
    }
}
