using System.Net;
using TradeNet.Testing;

namespace TradeNet.Gateway.Tests;

public sealed class CatalogOutageTests : IAsyncLifetime
{
    private EchoBackend _backend = null!;

    public async Task InitializeAsync() => _backend = await EchoBackend.StartAsync();

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    [Fact]
    public async Task A_key_that_cannot_be_checked_because_the_catalog_is_down_gets_503_problem_details()
    {
        var catalog = new FakeCatalog();
        var key = catalog.RegisterTown("42187", "Roanne");
        catalog.Down = true;
        await using var gateway = new GatewayFactory(_backend, catalog);
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/catalog/listings");
        request.Headers.Add("X-Api-Key", key);

        var problem = await EdgeAssert.Problem(await gateway.CreateClient().SendAsync(request), HttpStatusCode.ServiceUnavailable);

        Assert.Empty(_backend.Received);
        Assert.DoesNotContain("catalog is down", problem.ToString());
    }

    [Fact]
    public async Task A_catalog_outage_is_not_remembered_once_the_catalog_is_back()
    {
        var catalog = new FakeCatalog { Down = true };
        var key = catalog.RegisterTown("42187", "Roanne");
        await using var gateway = new GatewayFactory(_backend, catalog);
        var client = gateway.CreateClient();
        HttpRequestMessage Request()
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/api/catalog/listings");
            request.Headers.Add("X-Api-Key", key);
            return request;
        }
        await EdgeAssert.Problem(await client.SendAsync(Request()), HttpStatusCode.ServiceUnavailable);

        catalog.Down = false;

        var token = await EdgeAssert.InternalToken(await EdgeAssert.Forwarded(await client.SendAsync(Request())));
        Assert.Equal("42187", token.Claim("sub"));
    }

    [Fact]
    public async Task An_unreachable_catalog_over_real_grpc_gives_503_not_500()
    {
        // Nothing listens on port 9 (discard) on loopback: the real client fails to connect.
        await using var gateway = new GatewayFactory(_backend, catalog: null,
            new Dictionary<string, string?> { ["Services:Catalog:Grpc"] = "http://127.0.0.1:9" });
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/catalog/listings");
        request.Headers.Add("X-Api-Key", "tn_some-town-key");

        await EdgeAssert.Problem(await gateway.CreateClient().SendAsync(request), HttpStatusCode.ServiceUnavailable);
    }
}
