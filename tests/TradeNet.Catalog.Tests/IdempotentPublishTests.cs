using System.Net;
using System.Net.Http.Json;
using TradeNet.Catalog.Api;
using TradeNet.Catalog.Application;
using TradeNet.Catalog.Domain;
using TradeNet.Contracts;
using TradeNet.Testing;

namespace TradeNet.Catalog.Tests;

/// <summary>A town whose answer got lost sends its listing again: with the same <c>Idempotency-Key</c> it gets the
/// listing it published, not a second one offering the same goods again.</summary>
public sealed class IdempotentPublishTests(CatalogFactory factory) : IClassFixture<CatalogFactory>
{
    private static object Offer(double quantity = 40, string[]? attributes = null) => new
    {
        kind = "offer", category = "honey", quantity, minLot = 4, attributes = attributes ?? ["organic", "raw"],
    };

    private static HttpRequestMessage Post(object listing, params string[] keys)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/catalog/listings") { Content = JsonContent.Create(listing) };
        foreach (var key in keys) request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return request;
    }

    /// <summary>Keys stored before are kept: a retry must still digest to what was stored with its key.</summary>
    [Fact]
    public void A_listings_terms_digest_as_they_did_when_the_keys_were_first_stored()
    {
        var terms = new ListingTerms(40, 4, ["organic", "raw"], [], DateTimeOffset.Parse("2026-05-01T08:00:00Z"), null, 25);

        Assert.Equal("90422BF45BA080950FCB58FD4FCCF9BFD5542916430734DAA3CC50CAA1127DF6", ListingRequests.Fingerprint("offer", "honey", terms));
    }

    [Fact]
    public async Task A_retry_after_the_listings_window_ended_still_gets_the_listing_it_published()
    {
        // A host of its own, on a clock of the test's: the first post lands inside the window however slow the machine
        // (a 2 s window waited out left it racing the window), then the service's clock moves past the window.
        var clock = new ShiftedClock();
        await using var host = new CatalogFactory { Clock = clock };
        var town = await host.RegisterTownAsync();
        var client = host.ClientAs(TestSettings.TownAuth(town.Town.Id));
        var until = DateTimeOffset.UtcNow.AddMinutes(1);
        object Listing() => new { kind = "offer", category = "honey", quantity = 3, availableUntil = until };

        var first = await client.SendAsync(Post(Listing(), "honey-short-window"));
        clock.Shift = until - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1);
        var retry = await client.SendAsync(Post(Listing(), "honey-short-window"));
        var fresh = await client.SendAsync(Post(Listing(), "honey-short-window-2"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(HttpStatusCode.BadRequest, fresh.StatusCode);
    }

    [Fact]
    public async Task A_min_lot_of_minus_zero_is_stored_as_zero()
    {
        var town = await factory.RegisterTownAsync();
        var client = factory.ClientAs(TestSettings.TownAuth(town.Town.Id));

        var published = await client.SendAsync(Post(new { kind = "offer", category = "honey", quantity = 3, minLot = -0.0 }));
        var view = (await published.Content.ReadFromJsonAsync<ListingView>())!;
        var changed = await client.PutAsJsonAsync($"/api/catalog/listings/{view.Id}", new { minLot = -0.0, quantity = 4 });

        Assert.False(double.IsNegative(view.MinLot));
        var body = await changed.Content.ReadAsStringAsync();
        Assert.True(!body.Contains("\"minLot\":-0"), body);
    }

    [Fact]
    public async Task A_listing_sent_again_with_the_same_key_comes_back_as_the_one_published_and_is_announced_once()
    {
        var town = await factory.RegisterTownAsync();
        var client = factory.ClientAs(TestSettings.TownAuth(town.Town.Id));

        var first = await client.SendAsync(Post(Offer(), "retry-me-1"));
        // The same terms, tags in another order and case: still the same request.
        var again = await client.SendAsync(Post(Offer(attributes: ["RAW", "organic"]), "retry-me-1"));

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (first.StatusCode, again.StatusCode));
        var (published, replayed) = (await first.Content.ReadFromJsonAsync<ListingView>(),
            await again.Content.ReadFromJsonAsync<ListingView>());
        Assert.Equal(published!.Id, replayed!.Id);
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", Assert.Single(again.Headers.GetValues("Idempotent-Replayed")));
        var ofTown = await client.GetFromJsonAsync<ListingView[]>($"/api/catalog/listings?town={town.Town.Id}");
        Assert.Equal(published.Id, Assert.Single(ofTown!).Id);
        await factory.PublishedAsync<ListingPublished>(e => e.Listing.Id == published.Id, "ListingPublished");
        Assert.Equal(1, factory.PublishedCount<ListingPublished>(e => e.Listing.TownId == town.Town.Id));
    }

    [Fact]
    public async Task Retries_sent_at_once_with_one_key_publish_one_listing()
    {
        var town = await factory.RegisterTownAsync();
        var client = factory.ClientAs(TestSettings.TownAuth(town.Town.Id));

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => client.SendAsync(Post(Offer(), "burst"))));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Created, a.StatusCode));
        var ids = await Task.WhenAll(answers.Select(async a => (await a.Content.ReadFromJsonAsync<ListingView>())!.Id));
        Assert.Single(ids.Distinct());
        Assert.Single((await client.GetFromJsonAsync<ListingView[]>($"/api/catalog/listings?town={town.Town.Id}"))!);
    }

    [Fact]
    public async Task A_key_reused_for_other_terms_is_a_409_and_publishes_nothing()
    {
        var town = await factory.RegisterTownAsync();
        var client = factory.ClientAs(TestSettings.TownAuth(town.Town.Id));
        (await client.SendAsync(Post(Offer(40), "k-2"))).EnsureSuccessStatusCode();

        var other = await client.SendAsync(Post(Offer(41), "k-2"));

        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Contains("Idempotency-Key 'k-2' was used for a listing with other terms", await other.Content.ReadAsStringAsync());
        Assert.Single((await client.GetFromJsonAsync<ListingView[]>($"/api/catalog/listings?town={town.Town.Id}"))!);
    }

    [Fact]
    public async Task Each_town_has_its_own_keys()
    {
        var (a, b) = (await factory.RegisterTownAsync(), await factory.RegisterTownAsync());

        var ofA = await factory.ClientAs(TestSettings.TownAuth(a.Town.Id)).SendAsync(Post(Offer(), "shared-key"));
        var ofB = await factory.ClientAs(TestSettings.TownAuth(b.Town.Id)).SendAsync(Post(Offer(), "shared-key"));

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (ofA.StatusCode, ofB.StatusCode));
        Assert.NotEqual((await ofA.Content.ReadFromJsonAsync<ListingView>())!.Id,
            (await ofB.Content.ReadFromJsonAsync<ListingView>())!.Id);
        Assert.False(ofB.Headers.Contains("Idempotent-Replayed"));
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("clé")]
    [InlineData("a-key-longer-than-two-hundred-and-fifty-five-characters-0123456789-0123456789-0123456789-0123456789-0123456789-0123456789-0123456789-0123456789-0123456789-0123456789-0123456789-0123456789-0123456789-0123456789-0123456789-0123456789-0123456789-0123456789-0123")]
    public async Task A_malformed_key_is_a_400_naming_the_header(string key)
    {
        var town = await factory.RegisterTownAsync();
        var response = await factory.ClientAs(TestSettings.TownAuth(town.Town.Id)).SendAsync(Post(Offer(), key));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Idempotency-Key", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Two_keys_on_one_request_are_a_400_naming_the_header()
    {
        var town = await factory.RegisterTownAsync();
        var response = await factory.ClientAs(TestSettings.TownAuth(town.Town.Id)).SendAsync(Post(Offer(), "one", "two"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Idempotency-Key", await response.Content.ReadAsStringAsync());
    }
}
