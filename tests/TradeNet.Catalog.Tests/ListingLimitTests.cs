using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TradeNet.Catalog.Api;
using TradeNet.Catalog.Storage;
using TradeNet.Testing;

namespace TradeNet.Catalog.Tests;

/// <summary>A town may have at most <c>Catalog:MaxOpenListingsPerTown</c> open listings, so one town cannot flood the
/// order book every clearing round reads.</summary>
public sealed class ListingLimitTests : IAsyncLifetime
{
    private const int Limit = 3;
    private readonly ShiftedClock _clock = new();
    private readonly CatalogFactory _factory;

    public ListingLimitTests() =>
        _factory = new() { ExtraSettings = { ["Catalog:MaxOpenListingsPerTown"] = $"{Limit}" }, Clock = _clock };

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _factory.DisposeAsync().AsTask();

    private static object Offer(DateTimeOffset? until = null) =>
        new { kind = "offer", category = "honey", quantity = 10, availableUntil = until };

    private static HttpRequestMessage Post(object listing, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/catalog/listings") { Content = JsonContent.Create(listing) };
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    private async Task<(HttpClient Client, string Town)> TownAsync()
    {
        var town = (await _factory.RegisterTownAsync()).Town.Id;
        return (_factory.ClientAs(TestSettings.TownAuth(town)), town);
    }

    private async Task<int> OpenCountAsync(string town) =>
        (await _factory.Store.FindListingsAsync(new ListingQuery(TownId: town, Status: "active", At: _clock.GetUtcNow()))).Count;

    [Fact]
    public async Task One_listing_more_than_the_limit_is_a_409_saying_to_withdraw_some_and_a_withdrawal_makes_room()
    {
        var (client, town) = await TownAsync();
        var published = new List<ListingView>();
        for (var i = 0; i < Limit; i++) published.Add(await _factory.PublishAsync(town, Offer()));

        var refused = await client.SendAsync(Post(Offer()));

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var detail = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;
        Assert.Contains($"{Limit} open listings", detail);
        Assert.Contains("withdraw", detail);
        Assert.Equal(Limit, await OpenCountAsync(town));

        Assert.Equal(HttpStatusCode.OK, (await client.DeleteAsync($"/api/catalog/listings/{published[0].Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(Post(Offer()))).StatusCode);
    }

    [Fact]
    public async Task The_limit_is_per_town()
    {
        var (_, full) = await TownAsync();
        for (var i = 0; i < Limit; i++) await _factory.PublishAsync(full, Offer());
        var (other, _) = await TownAsync();

        Assert.Equal(HttpStatusCode.Created, (await other.SendAsync(Post(Offer()))).StatusCode);
    }

    [Fact]
    public async Task A_replay_of_a_listing_already_published_is_answered_at_the_limit()
    {
        var (client, town) = await TownAsync();
        var first = await client.SendAsync(Post(Offer(), "honey-1"));
        for (var i = 1; i < Limit; i++) await _factory.PublishAsync(town, Offer());

        var replay = await client.SendAsync(Post(Offer(), "honey-1"));
        var another = await client.SendAsync(Post(Offer(), "honey-2"));

        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.Headers.Location, replay.Headers.Location);
        Assert.Equal(HttpStatusCode.Conflict, another.StatusCode);
    }

    [Fact]
    public async Task Concurrent_publishes_by_one_town_cannot_together_pass_the_limit()
    {
        var (client, town) = await TownAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => client.SendAsync(Post(Offer()))));

        Assert.Equal(Limit, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        Assert.Equal(12 - Limit, answers.Count(a => a.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(Limit, await OpenCountAsync(town));
    }

    [Fact]
    public async Task A_listing_whose_window_ended_no_longer_counts_and_reopening_it_at_the_limit_is_a_409()
    {
        var (client, town) = await TownAsync();
        // The listings are published and the limit reached inside the window however slow the machine (a 2 s window
        // left four requests racing it): a minute, then the service's clock moves past it.
        var until = DateTimeOffset.UtcNow.AddMinutes(1);
        var ending = await _factory.PublishAsync(town, Offer(until));
        for (var i = 1; i < Limit; i++) await _factory.PublishAsync(town, Offer());
        Assert.Equal(HttpStatusCode.Conflict, (await client.SendAsync(Post(Offer()))).StatusCode);

        _clock.Shift = until - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1);
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(Post(Offer()))).StatusCode);

        var reopen = await client.PutAsJsonAsync($"/api/catalog/listings/{ending.Id}", new { availableUntil = (DateTimeOffset?)null });
        Assert.Equal(HttpStatusCode.Conflict, reopen.StatusCode);
        Assert.Equal(ending.Version, (await _factory.ListingAsync(ending.Id)).Version);
    }
}
