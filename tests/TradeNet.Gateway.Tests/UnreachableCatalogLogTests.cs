using Microsoft.Extensions.Logging;
using TradeNet.Testing;

namespace TradeNet.Gateway.Tests;

/// <summary>The real gRPC client against a catalog that does not answer: docs/gateway.md promises one warning per outage
/// from the revoked-key poller, but the gRPC client logged every failed read itself, a stack trace at Information every
/// RevocationPoll (2 s) for as long as the outage lasted.</summary>
public sealed class UnreachableCatalogLogTests : IAsyncLifetime
{
    private const string GrpcCall = "Grpc.Net.Client.Internal.GrpcCall";
    private EchoBackend _backend = null!;
    private readonly ClosedPort _catalog = new();

    public async Task InitializeAsync() => _backend = await EchoBackend.StartAsync();

    public async Task DisposeAsync()
    {
        await _backend.DisposeAsync();
        _catalog.Dispose();
    }

    [Fact]
    public async Task An_unreachable_catalog_is_logged_once_by_the_poller_not_by_the_grpc_client_at_every_read()
    {
        await using var gateway = new GatewayFactory(_backend, catalog: null, new Dictionary<string, string?>
        {
            ["Services:Catalog:Grpc"] = $"http://127.0.0.1:{_catalog.Port}",
            ["Gateway:ApiKeyCache:RevocationPoll"] = "00:00:00.100",
        });
        gateway.CreateClient();
        string[] Warned() => gateway.Logs.At<RevokedKeyPoller>(LogLevel.Warning);

        await Eventually.True(() => Task.FromResult(Warned().Length > 0), what: "the poller's warning");
        await Task.Delay(TimeSpan.FromSeconds(1)); // about ten more failed reads

        Assert.Single(Warned());
        Assert.Empty(gateway.Logs.Of(GrpcCall, LogLevel.Information));
    }

    [Fact]
    public async Task The_grpc_clients_own_lines_come_back_when_configuration_asks_for_them()
    {
        await using var gateway = new GatewayFactory(_backend, catalog: null, new Dictionary<string, string?>
        {
            ["Services:Catalog:Grpc"] = $"http://127.0.0.1:{_catalog.Port}",
            ["Gateway:ApiKeyCache:RevocationPoll"] = "00:00:00.100",
            [$"Logging:LogLevel:{GrpcCall}"] = "Information",
        });
        gateway.CreateClient();

        await Eventually.True(() => Task.FromResult(gateway.Logs.Of(GrpcCall, LogLevel.Information).Length > 0), what: "the gRPC client's line");
    }
}
