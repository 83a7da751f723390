using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using TradeNet.Testing;

namespace TradeNet.Catalog.Tests;

/// <summary>A withdrawn listing never comes back; a town changing one must learn how to offer the goods again, not only
/// that it is withdrawn (found walking a town's day through the gateway: the detail read "the listing is withdrawn").</summary>
public sealed class WithdrawnListingChangeTests(CatalogFactory factory) : IClassFixture<CatalogFactory>
{
    [Fact]
    public async Task Changing_a_withdrawn_listing_is_refused_with_a_detail_saying_to_publish_a_new_one()
    {
        var town = await factory.RegisterTownAsync();
        var published = await factory.PublishAsync(town.Town.Id, new { kind = "offer", category = "cheese", quantity = 100 });
        var client = factory.ClientAs(TestSettings.TownAuth(town.Town.Id));
        (await client.DeleteAsync($"/api/catalog/listings/{published.Id}")).EnsureSuccessStatusCode();

        var change = await client.PutAsJsonAsync($"/api/catalog/listings/{published.Id}", new { quantity = 120 });

        Assert.Equal(HttpStatusCode.Conflict, change.StatusCode);
        var detail = (await change.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail;
        Assert.Contains($"listing '{published.Id}' is withdrawn", detail);
        Assert.Contains("publish a new listing (POST /api/catalog/listings)", detail);
    }
}
