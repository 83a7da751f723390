using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TradeNet.Catalog.Api;
using TradeNet.Catalog.Domain;
using TradeNet.Contracts;
using TradeNet.Testing;

namespace TradeNet.Catalog.Tests;

public sealed class ListingApiTests(CatalogFactory factory) : IClassFixture<CatalogFactory>
{
    // Midnight UTC as an instant: a bare DateTime would go out without its zone, which the API refuses.
    private static readonly DateTimeOffset Today = new(DateTime.UtcNow.Date, TimeSpan.Zero);

    private static object Offer(double quantity = 100, double minLot = 10) => new
    {
        kind = "offer", category = "cheese", quantity, minLot, attributes = new[] { "Organic", "raw-milk" },
        // A window around now: one that has already ended is refused.
        availableFrom = Today.AddDays(-1), availableUntil = Today.AddDays(30),
    };

    [Fact]
    public async Task A_town_publishes_changes_and_withdraws_its_offer_and_each_step_is_announced()
    {
        var town = await factory.RegisterTownAsync(lat: 45.9, lon: 4.2);
        var client = factory.ClientAs(TestSettings.TownAuth(town.Town.Id));

        var offer = await factory.PublishAsync(town.Town.Id, Offer());
        Assert.Equal((town.Town.Id, "offer", "cheese", 100.0, 100.0, "active", 1L),
            (offer.TownId, offer.Kind, offer.Category, offer.Quantity, offer.Remaining, offer.Status, offer.Version));
        Assert.Equal(["organic", "raw-milk"], offer.Attributes);
        var published = await factory.PublishedAsync<ListingPublished>(e => e.Listing.Id == offer.Id, "ListingPublished");
        Assert.Equal((45.9, 4.2, "kg", 18.0, 1.0), (published.Listing.TownLat, published.Listing.TownLon,
            published.Listing.Unit, published.Listing.ValuePerUnit, published.Listing.WeightPerUnit));

        var changed = await client.PutAsJsonAsync($"/api/catalog/listings/{offer.Id}", new { quantity = 60, minLot = 5 });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var afterChange = await factory.ListingAsync(offer.Id);
        Assert.Equal((60.0, 5.0, 2L), (afterChange.Quantity, afterChange.MinLot, afterChange.Version));
        Assert.Equal(["organic", "raw-milk"], afterChange.Attributes); // left out, so kept
        var changedEvent = await factory.PublishedAsync<ListingChanged>(e => e.Listing.Id == offer.Id, "ListingChanged");
        Assert.Equal((60.0, 60.0, 2L), (changedEvent.Listing.Quantity, changedEvent.Listing.Remaining, changedEvent.Listing.Version));

        var withdrawn = await client.DeleteAsync($"/api/catalog/listings/{offer.Id}");
        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        var afterWithdraw = await factory.ListingAsync(offer.Id);
        Assert.Equal(("withdrawn", 3L), (afterWithdraw.Status, afterWithdraw.Version));
        var withdrawnEvent = await factory.PublishedAsync<ListingWithdrawn>(e => e.ListingId == offer.Id, "ListingWithdrawn");
        Assert.Equal((town.Town.Id, 3L), (withdrawnEvent.TownId, withdrawnEvent.Version));

        var changeAfterWithdraw = await client.PutAsJsonAsync($"/api/catalog/listings/{offer.Id}", new { quantity = 10 });
        Assert.Equal(HttpStatusCode.Conflict, changeAfterWithdraw.StatusCode);
    }

    [Fact]
    public async Task A_town_publishes_a_need_with_required_attributes_and_a_maximum_distance()
    {
        var town = await factory.RegisterTownAsync();

        var need = await factory.PublishAsync(town.Town.Id,
            new { kind = "need", category = "firewood", quantity = 500, requires = new[] { "dry" }, maxDistanceKm = 40 });

        Assert.Equal(("need", 40.0), (need.Kind, need.MaxDistanceKm));
        Assert.Equal(["dry"], need.Requires);
        var published = await factory.PublishedAsync<ListingPublished>(e => e.Listing.Id == need.Id, "ListingPublished");
        Assert.Equal((0.15, 40.0), (published.Listing.ValuePerUnit, published.Listing.MaxDistanceKm));
    }

    [Fact]
    public async Task A_town_cannot_change_or_withdraw_another_towns_listing()
    {
        var owner = await factory.RegisterTownAsync();
        var other = await factory.RegisterTownAsync();
        var offer = await factory.PublishAsync(owner.Town.Id, Offer());
        var intruder = factory.ClientAs(TestSettings.TownAuth(other.Town.Id));

        var put = await intruder.PutAsJsonAsync($"/api/catalog/listings/{offer.Id}", new { quantity = 1 });
        var delete = await intruder.DeleteAsync($"/api/catalog/listings/{offer.Id}");

        Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        var unchanged = await factory.ListingAsync(offer.Id);
        Assert.Equal((100.0, "active", 1L), (unchanged.Quantity, unchanged.Status, unchanged.Version));
    }

    [Fact]
    public async Task Writes_without_a_token_are_401()
    {
        var owner = await factory.RegisterTownAsync();
        var offer = await factory.PublishAsync(owner.Town.Id, Offer());
        var anonymous = factory.CreateClient();

        var post = await anonymous.PostAsJsonAsync("/api/catalog/listings", Offer());
        var put = await anonymous.PutAsJsonAsync($"/api/catalog/listings/{offer.Id}", new { quantity = 1 });
        var delete = await anonymous.DeleteAsync($"/api/catalog/listings/{offer.Id}");

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized],
            new[] { post.StatusCode, put.StatusCode, delete.StatusCode });
        Assert.Equal(1L, (await factory.ListingAsync(offer.Id)).Version);
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_401()
    {
        var owner = await factory.RegisterTownAsync();
        var forged = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
            TestSettings.TokenFor(owner.Town.Id, "town", key: "another-key-that-is-long-enough-0123456789"));

        var post = await factory.ClientAs(forged).PostAsJsonAsync("/api/catalog/listings", Offer());

        Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);
    }

    [Fact]
    public async Task Operators_read_listings_and_take_one_off_the_board_but_neither_publish_nor_change_them()
    {
        var owner = await factory.RegisterTownAsync();
        var offer = await factory.PublishAsync(owner.Town.Id, Offer());
        var ops = factory.ClientAs(TestSettings.OperatorAuth());

        var read = await ops.GetAsync($"/api/catalog/listings/{offer.Id}");
        var post = await ops.PostAsJsonAsync("/api/catalog/listings", Offer());
        var change = await ops.PutAsJsonAsync($"/api/catalog/listings/{offer.Id}", new { quantity = 1 });
        var delete = await ops.DeleteAsync($"/api/catalog/listings/{offer.Id}");

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, change.StatusCode);
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.Equal(ListingStatuses.Withdrawn, (await factory.Store.GetListingAsync(offer.Id))!.Status);
    }

    [Fact]
    public async Task A_service_cannot_withdraw_a_listing()
    {
        var owner = await factory.RegisterTownAsync();
        var offer = await factory.PublishAsync(owner.Town.Id, Offer());

        var delete = await factory.ClientAs(TestSettings.ServiceAuth("matching")).DeleteAsync($"/api/catalog/listings/{offer.Id}");

        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        Assert.Equal(ListingStatuses.Active, (await factory.Store.GetListingAsync(offer.Id))!.Status);
    }

    [Fact]
    public async Task A_listing_belongs_to_the_calling_town_never_to_one_named_in_the_body()
    {
        var caller = await factory.RegisterTownAsync();
        var victim = await factory.RegisterTownAsync();
        var client = factory.ClientAs(TestSettings.TownAuth(caller.Town.Id));

        var response = await client.PostAsJsonAsync("/api/catalog/listings",
            new { townId = victim.Town.Id, kind = "offer", category = "cheese", quantity = 5 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("townId", await response.Content.ReadAsStringAsync());
        Assert.Empty((await factory.Store.FindListingsAsync(new(TownId: victim.Town.Id))));
    }

    [Theory]
    [InlineData("""{"kind":"gift","category":"cheese","quantity":5}""", "kind")]
    [InlineData("""{"kind":"offer","category":"moon-rock","quantity":5}""", "category")]
    [InlineData("""{"kind":"offer","category":"cheese","quantity":0}""", "quantity")]
    [InlineData("""{"kind":"offer","category":"cheese"}""", "quantity")]
    [InlineData("""{"kind":"offer","category":"cheese","quantity":5,"minLot":6}""", "minLot")]
    [InlineData("""{"kind":"offer","category":"cheese","quantity":5,"minLot":-1}""", "minLot")]
    [InlineData("""{"kind":"offer","category":"cheese","quantity":5,"availableFrom":"2026-12-02T00:00:00Z","availableUntil":"2026-12-01T00:00:00Z"}""", "availableUntil")]
    [InlineData("""{"kind":"need","category":"cheese","quantity":5,"maxDistanceKm":0}""", "maxDistanceKm")]
    [InlineData("""{"kind":"offer","category":"cheese","quantity":5,"maxDistanceKm":30}""", "maxDistanceKm")]
    [InlineData("""{"kind":"offer","category":"cheese","quantity":5,"attributes":["no spaces allowed"]}""", "attributes")]
    [InlineData("""{"kind":"offer","category":"cheese","quantity":5,"requires":["organic"]}""", "requires")]
    [InlineData("""{"kind":"offer","category":"cheese","quantity":"lots"}""", "quantity")]
    [InlineData("""{"kind":"offer","category":"cheese","quantity":5,"availableUntil":"2020-01-01T00:00:00Z"}""", "availableUntil")]
    [InlineData("""{"kind":"need","category":"cheese","quantity":5,"maxDistance":50}""", "maxDistance")] // misspelt: not a need without a limit
    public async Task Publishing_an_invalid_listing_is_a_400_naming_the_field(string body, string field)
    {
        var town = await factory.RegisterTownAsync();
        var client = factory.ClientAs(TestSettings.TownAuth(town.Town.Id));

        var response = await client.PostAsync("/api/catalog/listings", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, await response.Content.ReadAsStringAsync());
        Assert.Empty(await factory.Store.FindListingsAsync(new(TownId: town.Town.Id)));
    }

    [Fact]
    public async Task A_bad_quantity_is_the_only_field_blamed_when_no_minimum_lot_was_given()
    {
        var town = await factory.RegisterTownAsync();
        var client = factory.ClientAs(TestSettings.TownAuth(town.Town.Id));

        var response = await client.PostAsJsonAsync("/api/catalog/listings", new { kind = "offer", category = "cheese", quantity = -1 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["quantity"], errors.EnumerateObject().Select(e => e.Name).ToArray());
    }

    [Fact]
    public async Task Changing_a_listing_to_a_window_that_has_ended_is_a_400_and_changes_nothing()
    {
        var town = await factory.RegisterTownAsync();
        var client = factory.ClientAs(TestSettings.TownAuth(town.Town.Id));
        var offer = await factory.PublishAsync(town.Town.Id, Offer());

        var response = await client.PutAsJsonAsync($"/api/catalog/listings/{offer.Id}",
            new { availableUntil = DateTimeOffset.UtcNow.AddMinutes(-1) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("availableUntil", await response.Content.ReadAsStringAsync());
        var after = await factory.ListingAsync(offer.Id);
        Assert.Equal((offer.Version, offer.AvailableUntil), (after.Version, after.AvailableUntil));
    }

    [Theory]
    [InlineData("POST", null)]
    [InlineData("POST", "")]
    [InlineData("POST", "null")]
    [InlineData("PUT", null)]
    [InlineData("PUT", "")]
    [InlineData("PUT", "null")]
    public async Task Writing_a_listing_without_a_body_is_a_400_saying_the_body_is_missing(string method, string? body)
    {
        var town = await factory.RegisterTownAsync();
        var offer = await factory.PublishAsync(town.Town.Id, Offer());
        var path = method == "POST" ? "/api/catalog/listings" : $"/api/catalog/listings/{offer.Id}";
        using var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"),
        };

        var response = await factory.ClientAs(TestSettings.TownAuth(town.Town.Id)).SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("body is missing", problem.GetProperty("detail").GetString());
        Assert.Equal(1L, (await factory.ListingAsync(offer.Id)).Version);
    }

    [Theory]
    [InlineData(61)]
    [InlineData(5000)]
    public async Task A_category_longer_than_60_characters_is_a_400_that_does_not_echo_it(int length)
    {
        var town = await factory.RegisterTownAsync();
        var category = new string('x', length);

        var response = await factory.ClientAs(TestSettings.TownAuth(town.Town.Id))
            .PostAsJsonAsync("/api/catalog/listings", new { kind = "offer", category, quantity = 5 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("at most 60 characters", text);
        Assert.DoesNotContain(new string('x', 61), text);
    }

    [Fact]
    public async Task A_category_with_control_characters_is_a_400_that_does_not_echo_it()
    {
        var town = await factory.RegisterTownAsync();

        var response = await factory.ClientAs(TestSettings.TownAuth(town.Town.Id)).PostAsync("/api/catalog/listings",
            new StringContent("""{"kind":"offer","category":"che\u001b[2Jese","quantity":5}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["category"], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.DoesNotContain("[2J", problem.ToString());
    }

    [Fact]
    public async Task Changing_a_listing_checks_the_resulting_terms()
    {
        var town = await factory.RegisterTownAsync();
        var offer = await factory.PublishAsync(town.Town.Id, Offer());
        var client = factory.ClientAs(TestSettings.TownAuth(town.Town.Id));

        var lotTooBig = await client.PutAsJsonAsync($"/api/catalog/listings/{offer.Id}", new { quantity = 5 }); // minLot stays 10
        var kindChange = await client.PutAsJsonAsync($"/api/catalog/listings/{offer.Id}", new { kind = "need" });
        var missing = await client.PutAsJsonAsync("/api/catalog/listings/no-such-listing", new { quantity = 5 });

        Assert.Equal(HttpStatusCode.BadRequest, lotTooBig.StatusCode);
        Assert.Contains("minLot", await lotTooBig.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, kindChange.StatusCode);
        Assert.Contains("kind", await kindChange.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(1L, (await factory.ListingAsync(offer.Id)).Version);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"quantity":100,"minLot":10,"attributes":["raw-milk","Organic"]}""")]
    public async Task A_change_that_changes_nothing_keeps_the_version_and_announces_nothing(string body)
    {
        var town = await factory.RegisterTownAsync();
        var offer = await factory.PublishAsync(town.Town.Id, Offer());
        var client = factory.ClientAs(TestSettings.TownAuth(town.Town.Id));

        var response = await client.PutAsync($"/api/catalog/listings/{offer.Id}", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1L, (await response.Content.ReadFromJsonAsync<ListingView>())!.Version);
        Assert.Equal(1L, (await factory.ListingAsync(offer.Id)).Version);
        Assert.Equal(0, factory.PublishedCount<ListingChanged>(e => e.Listing.Id == offer.Id));
    }

    [Theory]
    [InlineData("offer", " cheese ")]
    [InlineData(" Offer ", "cheese\t")]
    [InlineData("OFFER", " Cheese ")]
    public async Task A_change_that_repeats_kind_and_category_padded_with_spaces_is_accepted_as_no_change_of_either(string kind, string category)
    {
        var town = await factory.RegisterTownAsync();
        var offer = await factory.PublishAsync(town.Town.Id, Offer());
        var client = factory.ClientAs(TestSettings.TownAuth(town.Town.Id));

        var response = await client.PutAsJsonAsync($"/api/catalog/listings/{offer.Id}", new { kind, category, quantity = 60 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var changed = await factory.ListingAsync(offer.Id);
        Assert.Equal(("offer", "cheese", 60.0, 2L), (changed.Kind, changed.Category, changed.Quantity, changed.Version));
    }

    [Fact]
    public async Task A_listing_is_published_and_found_with_its_category_and_kind_in_any_case_and_its_own_town_id_padded()
    {
        var town = await factory.RegisterTownAsync();
        var client = factory.ClientAs(TestSettings.TownAuth(town.Town.Id));

        var response = await client.PostAsJsonAsync("/api/catalog/listings",
            new { townId = $" {town.Town.Id} ", kind = "Offer", category = " Cheese ", quantity = 5 });
        var found = await factory.CreateClient().GetFromJsonAsync<ListingView[]>(
            $"/api/catalog/listings?town={town.Town.Id}&kind=OFFER&category=CHEESE&status=Active");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var listing = Assert.Single(found!);
        Assert.Equal((town.Town.Id, "offer", "cheese"), (listing.TownId, listing.Kind, listing.Category));
    }

    [Fact]
    public async Task A_change_of_category_is_refused_even_when_padded_with_spaces()
    {
        var town = await factory.RegisterTownAsync();
        var offer = await factory.PublishAsync(town.Town.Id, Offer());

        var response = await factory.ClientAs(TestSettings.TownAuth(town.Town.Id))
            .PutAsJsonAsync($"/api/catalog/listings/{offer.Id}", new { category = " honey ", quantity = 60 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("category", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Equal(1L, (await factory.ListingAsync(offer.Id)).Version);
    }

    [Fact]
    public async Task Listings_are_filtered_by_town_kind_category_and_status()
    {
        var town = await factory.RegisterTownAsync();
        var cheese = await factory.PublishAsync(town.Town.Id, Offer());
        var wood = await factory.PublishAsync(town.Town.Id, new { kind = "need", category = "firewood", quantity = 50 });
        var gone = await factory.PublishAsync(town.Town.Id, new { kind = "offer", category = "honey", quantity = 3 });
        await factory.ClientAs(TestSettings.TownAuth(town.Town.Id)).DeleteAsync($"/api/catalog/listings/{gone.Id}");
        var client = factory.CreateClient();

        async Task<string[]> Ids(string query) =>
            (await client.GetFromJsonAsync<ListingView[]>($"/api/catalog/listings?{query}"))!.Select(l => l.Id).ToArray();

        Assert.Equal([cheese.Id, wood.Id, gone.Id], await Ids($"town={town.Town.Id}"));
        Assert.Equal([cheese.Id, gone.Id], await Ids($"town={town.Town.Id}&kind=offer"));
        Assert.Equal([wood.Id], await Ids($"town={town.Town.Id}&category=firewood"));
        Assert.Equal([cheese.Id, wood.Id], await Ids($"town={town.Town.Id}&status=active"));
        Assert.Contains(cheese.Id, await Ids("town=&kind=offer")); // an empty parameter filters nothing
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/catalog/listings?status=sold")).StatusCode);
    }

    [Fact]
    public async Task Listings_come_in_pages_each_linking_to_the_next()
    {
        var town = await factory.RegisterTownAsync();
        var published = new List<string>();
        for (var i = 0; i < 5; i++) published.Add((await factory.PublishAsync(town.Town.Id, Offer(quantity: 10 + i))).Id);

        var (seen, pages) = await factory.ReadPagesAsync($"/api/catalog/listings?town={town.Town.Id}&limit=2");

        Assert.Equal(published, seen);
        Assert.Equal(3, pages); // 2 + 2 + 1: the last page is not full, so it links nowhere
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("after=no-such-listing", "after")]
    public async Task A_page_size_out_of_range_or_an_unknown_cursor_is_a_400_naming_it(string query, string field)
    {
        var response = await factory.CreateClient().GetAsync($"/api/catalog/listings?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Theory]
    [InlineData("town=42187&town=42071", "town")] // bound as "42187,42071": a filter that silently matched nothing
    [InlineData("limit=2&limit=3", "limit")]        // was "must be a whole number", which both are
    [InlineData("kind=offer&KIND=need", "kind")]    // query names are read in any case
    public async Task A_query_parameter_given_twice_is_a_400_naming_it_rather_than_read_as_both_joined(string query, string field)
    {
        var response = await factory.CreateClient().GetAsync($"/api/catalog/listings?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"{field}: is given more than once; send it once", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_repeated_query_parameter_the_route_does_not_read_is_ignored_as_before()
    {
        var response = await factory.CreateClient().GetAsync("/api/catalog/listings?limit=1&utm=a&utm=b");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Reading_an_unknown_listing_is_a_404()
    {
        var response = await factory.CreateClient().GetAsync("/api/catalog/listings/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData("GET", "/api/catalog/listings/{id}")]
    [InlineData("GET", "/api/catalog/towns/{id}")]
    [InlineData("POST", "/api/catalog/towns/{id}/api-key")]
    [InlineData("DELETE", "/api/catalog/listings/{id}")]
    [InlineData("PUT", "/api/catalog/listings/{id}")]
    public async Task An_unknown_id_too_long_to_be_one_is_a_404_that_does_not_repeat_it(string method, string path)
    {
        var town = await factory.RegisterTownAsync();
        var id = new string('x', 3000);
        var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{id}", id));
        if (method == "PUT") request.Content = JsonContent.Create(new { quantity = 5 });

        var response = await factory.ClientAs(TestSettings.TownAuth(town.Town.Id)).SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(id, body);
        Assert.Contains("with that id does not exist", body);
    }
}
