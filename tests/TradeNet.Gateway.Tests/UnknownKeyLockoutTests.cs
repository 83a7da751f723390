using System.Net;

namespace TradeNet.Gateway.Tests;

/// <summary>Tiny limits and key answers kept only briefly, so a key falls out of the cache within a test.</summary>
public sealed class ShortMemoryEdgeFixture : EdgeFixture
{
    public const int Permits = 3;
    public static readonly TimeSpan ValidFor = TimeSpan.FromMilliseconds(300);

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Gateway:RateLimit:PermitsPerMinute"] = Permits.ToString(),
        ["Gateway:ApiKeyCache:Valid"] = ValidFor.ToString(),
        ["Gateway:ApiKeyCache:Invalid"] = ValidFor.ToString(),
    };
}

/// <summary>Each test class has its own gateway: a test spends the one client's budget of unknown keys for the minute.</summary>
public abstract class SpentBudgetTests(ShortMemoryEdgeFixture edge)
{
    protected ShortMemoryEdgeFixture Edge { get; } = edge;
    private readonly HttpClient _client = edge.Gateway.CreateClient();

    protected Task<HttpResponseMessage> GetAsync(string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/catalog/listings");
        request.Headers.Add("X-Api-Key", key);
        return _client.SendAsync(request);
    }

    protected async Task SpendTheBudgetAsync()
    {
        for (var i = 0; i < ShortMemoryEdgeFixture.Permits + 2; i++) await GetAsync($"tn_guess-{Guid.NewGuid():N}");
    }
}

public sealed class UnknownKeyLockoutTests(ShortMemoryEdgeFixture edge) : SpentBudgetTests(edge), IClassFixture<ShortMemoryEdgeFixture>
{

    [Fact]
    public async Task Guessing_keys_from_a_shared_address_does_not_lock_out_a_town_whose_key_this_gateway_knows_valid()
    {
        var town = Edge.Catalog.RegisterTown("42187", "Roanne");
        var stranger = Edge.Catalog.RegisterTown("42184", "Riorges");
        await EdgeAssert.Forwarded(await GetAsync(town));
        await SpendTheBudgetAsync();
        await Task.Delay(ShortMemoryEdgeFixture.ValidFor * 2); // the town's answer has left the cache

        await EdgeAssert.Forwarded(await GetAsync(town));
        Assert.Equal(2, Edge.Catalog.CallsFor(town));
        // A key this gateway never saw valid waits for the budget, as a guess does: the catalog is not asked.
        await EdgeAssert.Problem(await GetAsync(stranger), HttpStatusCode.TooManyRequests);
        Assert.Equal(0, Edge.Catalog.CallsFor(stranger));
    }

}

public sealed class RotatedRememberedKeyTests(ShortMemoryEdgeFixture edge) : SpentBudgetTests(edge), IClassFixture<ShortMemoryEdgeFixture>
{
    [Fact]
    public async Task A_remembered_key_its_town_rotated_away_is_refused_and_then_held_to_the_budget_like_any_guess()
    {
        var town = Edge.Catalog.RegisterTown("42071", "Charlieu");
        await EdgeAssert.Forwarded(await GetAsync(town));
        // Pruned from the feed: the gateway cannot name the key, so only the catalog's answer can refuse it.
        Edge.Catalog.RotateKey(town, pruned: true);
        await SpendTheBudgetAsync();
        await Task.Delay(ShortMemoryEdgeFixture.ValidFor * 2);

        await EdgeAssert.Problem(await GetAsync(town), HttpStatusCode.Unauthorized);
        await Task.Delay(ShortMemoryEdgeFixture.ValidFor * 2); // the refusal has left the cache
        await EdgeAssert.Problem(await GetAsync(town), HttpStatusCode.TooManyRequests);
    }
}
