using System.Net;
using TradeNet.Testing;

namespace TradeNet.Gateway.Tests;

/// <summary>A town's key rotated at the catalog (<c>POST /api/catalog/towns/{id}/api-key</c>), seen from the edge: each
/// gateway that cached the old key drops it when the catalog's revoked-key feed lists it (<c>Gateway:ApiKeyCache:RevocationPoll</c>),
/// long before its cached identity would expire (<c>Gateway:ApiKeyCache:Valid</c>).</summary>
public sealed class KeyRotationEdgeTests : IAsyncLifetime
{
    private EchoBackend _backend = null!;

    public async Task InitializeAsync() => _backend = await EchoBackend.StartAsync();

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    private static HttpRequestMessage Request(HttpMethod method, string path, string? apiKey)
    {
        var request = new HttpRequestMessage(method, path);
        if (apiKey is not null) request.Headers.Add("X-Api-Key", apiKey);
        return request;
    }

    [Fact]
    public async Task A_rotation_takes_the_catalog_route_with_the_towns_identity_and_not_the_registration_limit()
    {
        var catalog = new FakeCatalog();
        var key = catalog.RegisterTown("42187", "Roanne");
        await using var gateway = new GatewayFactory(_backend, catalog,
            new Dictionary<string, string?> { ["Gateway:RateLimit:RegistrationsPerMinute"] = "1" });
        var client = gateway.CreateClient();
        await EdgeAssert.Forwarded(await client.SendAsync(Request(HttpMethod.Post, "/api/catalog/towns", null)));
        await EdgeAssert.Problem(await client.SendAsync(Request(HttpMethod.Post, "/api/catalog/towns", null)), HttpStatusCode.TooManyRequests);

        for (var i = 0; i < 3; i++)
        {
            var echo = await EdgeAssert.Forwarded(await client.SendAsync(Request(HttpMethod.Post, "/api/catalog/towns/42187/api-key", key)));

            Assert.Equal(("POST", "/api/catalog/towns/42187/api-key"), (echo.Method, echo.Path));
            Assert.Equal("42187", (await EdgeAssert.InternalToken(echo)).Claim("sub"));
        }
    }

    [Fact]
    public async Task A_key_rotated_elsewhere_is_refused_by_an_edge_that_cached_it_within_the_poll_and_the_new_key_passes_at_once()
    {
        var catalog = new FakeCatalog();
        var old = catalog.RegisterTown("42187", "Roanne");
        var neighbour = catalog.RegisterTown("42184", "Riorges");
        // Cached for ten minutes: only the revoked-key feed (read every 2 s, the default) can refuse the old key in time.
        await using var gateway = new GatewayFactory(_backend, catalog, new Dictionary<string, string?> { ["Gateway:ApiKeyCache:Valid"] = "00:10:00" });
        var client = gateway.CreateClient();
        await EdgeAssert.Forwarded(await client.SendAsync(Request(HttpMethod.Get, "/api/catalog/listings", old)));
        await EdgeAssert.Forwarded(await client.SendAsync(Request(HttpMethod.Get, "/api/catalog/listings", neighbour)));

        var fresh = catalog.RotateKey(old); // by an operator, or through another gateway

        var renewed = await EdgeAssert.Forwarded(await client.SendAsync(Request(HttpMethod.Get, "/api/catalog/listings", fresh)));
        Assert.Equal("42187", (await EdgeAssert.InternalToken(renewed)).Claim("sub"));
        var refused = await Eventually.Until(() => client.SendAsync(Request(HttpMethod.Get, "/api/catalog/listings", old)),
            r => r.StatusCode == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(4), "the rotated key refused within about a poll");
        await EdgeAssert.Problem(refused, HttpStatusCode.Unauthorized);
        Assert.Equal(2, catalog.CallsFor(old)); // dropped, asked once more, and its refusal cached
        // Only the revoked key was dropped: the neighbour's is still answered from the cache.
        await EdgeAssert.Forwarded(await client.SendAsync(Request(HttpMethod.Get, "/api/catalog/listings", neighbour)));
        Assert.Equal(1, catalog.CallsFor(neighbour));
    }

    [Fact]
    public async Task A_key_rotated_through_one_gateway_is_refused_there_at_once_and_by_a_second_gateway_within_about_a_poll()
    {
        var catalog = new FakeCatalog();
        var old = catalog.RegisterTown("42187", "Roanne");
        // Two replicas of the edge in front of one catalog, each caching for ten minutes and reading the feed every 2 s.
        var settings = new Dictionary<string, string?> { ["Gateway:ApiKeyCache:Valid"] = "00:10:00" };
        await using var first = new GatewayFactory(_backend, catalog, settings);
        await using var second = new GatewayFactory(_backend, catalog, settings);
        var (one, two) = (first.CreateClient(), second.CreateClient());
        await EdgeAssert.Forwarded(await one.SendAsync(Request(HttpMethod.Get, "/api/catalog/listings", old)));
        await EdgeAssert.Forwarded(await two.SendAsync(Request(HttpMethod.Get, "/api/catalog/listings", old)));

        await EdgeAssert.Forwarded(await one.SendAsync(Request(HttpMethod.Post, "/api/catalog/towns/42187/api-key", old)));
        var fresh = catalog.RotateKey(old); // what the catalog did behind the echo
        var rotated = System.Diagnostics.Stopwatch.StartNew();

        await EdgeAssert.Problem(await one.SendAsync(Request(HttpMethod.Get, "/api/catalog/listings", old)), HttpStatusCode.Unauthorized);
        await EdgeAssert.Forwarded(await two.SendAsync(Request(HttpMethod.Get, "/api/catalog/listings", fresh)));
        await Eventually.Until(() => two.SendAsync(Request(HttpMethod.Get, "/api/catalog/listings", old)),
            r => r.StatusCode == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(10), "the second gateway refuses the rotated key");
        // A poll (2 s) and a read of the feed; the slack is for a busy test machine, far below the cached ten minutes.
        Assert.InRange(rotated.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_key_the_catalog_replaced_cannot_rotate_again_from_the_edges_cache()
    {
        var catalog = new FakeCatalog();
        var leaked = catalog.RegisterTown("42187", "Roanne");
        await using var gateway = new GatewayFactory(_backend, catalog);
        var client = gateway.CreateClient();
        await EdgeAssert.Forwarded(await client.SendAsync(Request(HttpMethod.Get, "/api/catalog/listings", leaked)));

        var owners = catalog.RotateKey(leaked); // the owner (or an operator) rotated the leaked key away

        await EdgeAssert.Problem(await client.SendAsync(Request(HttpMethod.Post, "/api/catalog/towns/42187/api-key", leaked)),
            HttpStatusCode.Unauthorized);
        // The refusal replaced the cached identity: the leaked key stops here at once, without waiting for the feed.
        await EdgeAssert.Problem(await client.SendAsync(Request(HttpMethod.Get, "/api/catalog/listings", leaked)), HttpStatusCode.Unauthorized);
        await EdgeAssert.Forwarded(await client.SendAsync(Request(HttpMethod.Post, "/api/catalog/towns/42187/api-key", owners)));
        Assert.Equal(2, catalog.CallsFor(leaked));
        Assert.Single(_backend.Received, e => e.Path == "/api/catalog/towns/42187/api-key"); // the owner's only
    }

    [Fact]
    public async Task After_a_rotation_through_the_edge_the_old_key_is_asked_about_again_at_once()
    {
        var catalog = new FakeCatalog();
        var old = catalog.RegisterTown("42187", "Roanne");
        await using var gateway = new GatewayFactory(_backend, catalog);
        var client = gateway.CreateClient();
        await EdgeAssert.Forwarded(await client.SendAsync(Request(HttpMethod.Get, "/api/catalog/listings", old)));

        await EdgeAssert.Forwarded(await client.SendAsync(Request(HttpMethod.Post, "/api/catalog/towns/42187/api-key", old)));
        catalog.RotateKey(old); // what the catalog did behind the echo

        await EdgeAssert.Problem(await client.SendAsync(Request(HttpMethod.Get, "/api/catalog/listings", old)), HttpStatusCode.Unauthorized);
        Assert.Equal(3, catalog.CallsFor(old));
    }

    [Theory]
    [InlineData("POST", "/api/catalog/towns/42187/api-key", true)]
    [InlineData("POST", "/api/catalog/towns/42187/api-key/", true)]
    [InlineData("POST", "/API/Catalog/Towns/42187/Api-Key", true)]
    [InlineData("GET", "/api/catalog/towns/42187/api-key", false)]
    [InlineData("POST", "/api/catalog/towns", false)]
    [InlineData("POST", "/api/catalog/towns/42187/listings", false)]
    public void Only_a_post_to_a_towns_api_key_counts_as_a_rotation(string method, string path, bool rotation)
    {
        var http = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        http.Request.Method = method;
        http.Request.Path = path;

        Assert.Equal(rotation, EdgeGuard.IsKeyRotation(http.Request));
    }

    [Fact]
    public async Task A_rotated_key_is_refused_once_the_edges_cached_identity_expires()
    {
        var catalog = new FakeCatalog();
        var old = catalog.RegisterTown("42187", "Roanne");
        // The feed read hourly: only the expiry can refuse the key here.
        await using var gateway = new GatewayFactory(_backend, catalog, new Dictionary<string, string?>
        {
            ["Gateway:ApiKeyCache:Valid"] = "00:00:01",
            ["Gateway:ApiKeyCache:RevocationPoll"] = "01:00:00",
        });
        var client = gateway.CreateClient();
        await EdgeAssert.Forwarded(await client.SendAsync(Request(HttpMethod.Get, "/api/catalog/listings", old)));

        catalog.RotateKey(old);
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        await EdgeAssert.Problem(await client.SendAsync(Request(HttpMethod.Get, "/api/catalog/listings", old)), HttpStatusCode.Unauthorized);
        Assert.Equal(2, catalog.CallsFor(old));
    }
}
