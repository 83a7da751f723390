using System.Net;

namespace TradeNet.Gateway.Tests;

/// <summary>A town's key rotated at the catalog (<c>POST /api/catalog/towns/{id}/api-key</c>), seen from the edge:
/// each gateway may honour the old key until its cached identity expires (<c>Gateway:ApiKeyCache:Valid</c>).</summary>
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
    public async Task A_rotated_key_still_passes_an_edge_that_cached_it_and_the_new_key_passes_at_once()
    {
        var catalog = new FakeCatalog();
        var old = catalog.RegisterTown("42187", "Roanne");
        await using var gateway = new GatewayFactory(_backend, catalog);
        var client = gateway.CreateClient();
        await EdgeAssert.Forwarded(await client.SendAsync(Request(HttpMethod.Post, "/api/catalog/towns/42187/api-key", old)));

        var fresh = catalog.RotateKey(old);

        // Within Gateway:ApiKeyCache:Valid (30 s here) this edge does not ask the catalog again: the old key still passes.
        var stale = await EdgeAssert.Forwarded(await client.SendAsync(Request(HttpMethod.Get, "/api/catalog/listings", old)));
        var renewed = await EdgeAssert.Forwarded(await client.SendAsync(Request(HttpMethod.Get, "/api/catalog/listings", fresh)));
        Assert.Equal(1, catalog.CallsFor(old));
        Assert.Equal("42187", (await EdgeAssert.InternalToken(stale)).Claim("sub"));
        Assert.Equal("42187", (await EdgeAssert.InternalToken(renewed)).Claim("sub"));
    }

    [Fact]
    public async Task A_rotated_key_is_refused_once_the_edges_cached_identity_expires()
    {
        var catalog = new FakeCatalog();
        var old = catalog.RegisterTown("42187", "Roanne");
        await using var gateway = new GatewayFactory(_backend, catalog,
            new Dictionary<string, string?> { ["Gateway:ApiKeyCache:Valid"] = "00:00:01" });
        var client = gateway.CreateClient();
        await EdgeAssert.Forwarded(await client.SendAsync(Request(HttpMethod.Get, "/api/catalog/listings", old)));

        catalog.RotateKey(old);
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        await EdgeAssert.Problem(await client.SendAsync(Request(HttpMethod.Get, "/api/catalog/listings", old)), HttpStatusCode.Unauthorized);
        Assert.Equal(2, catalog.CallsFor(old));
    }
}
