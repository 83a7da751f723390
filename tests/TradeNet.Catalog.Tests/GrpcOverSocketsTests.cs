using System.Net.Http.Json;
using Grpc.Core;
using Grpc.Net.Client;
using TradeNet.AppHost;
using TradeNet.Catalog.Api;
using TradeNet.Catalog.Grpc;
using TradeNet.Contracts.Grpc;
using TradeNet.Testing;
using CatalogGrpc = TradeNet.Contracts.Grpc.Catalog;

namespace TradeNet.Catalog.Tests;

/// <summary>The Catalog gRPC service on Kestrel's HTTP/2-only port, as the other services reach it: the test server has no
/// request body limit, so the services' 256 KB one for REST bodies never showed in the other gRPC tests.</summary>
public sealed class GrpcOverSocketsTests
{
    private static Metadata As(string service) => new() { { "authorization", TestSettings.ServiceAuth(service).ToString() } };

    [Fact]
    public async Task As_many_ids_as_one_call_takes_are_answered_over_a_real_connection_not_failed_as_Unknown_past_256_KB()
    {
        var (rest, grpc) = ($"http://127.0.0.1:{ListenPorts.Next()}", $"http://127.0.0.1:{ListenPorts.Next()}");
        await using var factory = new CatalogFactory { ExtraSettings = { ["Endpoints:Rest"] = rest, ["Endpoints:Grpc"] = grpc } };
        factory.UseKestrel();
        factory.StartServer();
        using var http = new HttpClient { BaseAddress = new Uri(rest) };
        var registered = await http.PostAsJsonAsync("/api/catalog/towns", new RegisterTownRequest($"Town {Guid.NewGuid():N}", 46.0333, 4.0667, null, ["cheese"]));
        var town = (await registered.Content.ReadFromJsonAsync<TownRegistration>())!.Town;
        var client = new CatalogGrpc.CatalogClient(GrpcChannel.ForAddress(grpc));
        // Ids as long as catalog's own, as many as one call takes: about 400 KB. Past 256 KB Kestrel's REST body limit cut
        // the read off and the call failed as Unknown, "Exception was thrown by handler.".
        var request = new GetTownsRequest { TownIds = { Enumerable.Range(1, CatalogGrpcService.MaxIdsPerCall - 1).Select(_ => Guid.NewGuid().ToString()) } };
        request.TownIds.Add(town.Id);
        Assert.True(request.CalculateSize() > 256 * 1024);

        var reply = await client.GetTownsAsync(request, As("logistics"), DateTime.UtcNow.AddSeconds(30));

        Assert.Equal(town.Id, Assert.Single(reply.Towns).Id);
        // Past gRPC's own limit (4 MB), the answer says so, as ResourceExhausted rather than Unknown.
        var refused = await Assert.ThrowsAsync<RpcException>(() => client.AuthenticateApiKeyAsync(
            new AuthenticateApiKeyRequest { ApiKey = new string('k', 5 * 1024 * 1024) }, As("gateway"), DateTime.UtcNow.AddSeconds(30)).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Contains("message size", refused.Status.Detail);
    }
}
