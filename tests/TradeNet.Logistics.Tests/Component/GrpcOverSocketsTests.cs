using Grpc.Core;
using Grpc.Net.Client;
using TradeNet.AppHost;
using TradeNet.Contracts.Grpc;
using TradeNet.Testing;
using LogisticsGrpc = TradeNet.Contracts.Grpc.Logistics;

namespace TradeNet.Logistics.Tests.Component;

/// <summary>The Logistics gRPC service on Kestrel's HTTP/2-only port, as matching reaches it: the test server has no request
/// body limit, so the services' 256 KB one for REST bodies never showed in the other gRPC tests.</summary>
public sealed class GrpcOverSocketsTests
{
    private static Metadata AsMatching => new() { { "authorization", TestSettings.ServiceAuth("matching").ToString() } };

    private static TransportPair Pair(string from, string to) => new()
    {
        From = new TownPoint { TownId = from, Lat = 46.0333, Lon = 4.0667 },
        To = new TownPoint { TownId = to, Lat = 45.764, Lon = 4.8357 },
        WeightKg = 100,
    };

    private static (LogisticsApp App, LogisticsGrpc.LogisticsClient Client) Start()
    {
        var grpc = $"http://127.0.0.1:{ListenPorts.Next()}";
        var app = new LogisticsApp();
        app.Settings["Endpoints:Rest"] = $"http://127.0.0.1:{ListenPorts.Next()}";
        app.Settings["Endpoints:Grpc"] = grpc;
        app.UseKestrel();
        app.StartServer();
        var channel = GrpcChannel.ForAddress(grpc, new GrpcChannelOptions { MaxReceiveMessageSize = null });
        return (app, new LogisticsGrpc.LogisticsClient(channel));
    }

    [Fact]
    public async Task A_batch_as_large_as_matching_sends_is_estimated_over_a_real_connection_not_failed_as_Unknown_past_256_KB()
    {
        var (app, client) = Start();
        await using var _ = app;
        // Matching's batch (TransportCosts.PairsPerCall), town ids as long as catalog's GUIDs: about 1.3 MB. Past 256 KB
        // Kestrel's REST body limit cut the read off, the call failed as Unknown and every round ran without transport cost.
        var request = new EstimateTransportRequest();
        for (var i = 0; i < 10_000; i++) request.Pairs.Add(Pair($"{Guid.NewGuid()}", $"{Guid.NewGuid()}"));
        Assert.True(request.CalculateSize() > 1_000_000);

        var reply = await client.EstimateTransportAsync(request, AsMatching, DateTime.UtcNow.AddSeconds(30));

        Assert.Equal(10_000, reply.Estimates.Count);
        Assert.Equal(request.Pairs[^1].To.TownId, reply.Estimates[^1].ToTownId);
    }

    [Fact]
    public async Task A_message_over_the_services_limit_is_ResourceExhausted_naming_the_size_not_Unknown()
    {
        var (app, client) = Start();
        await using var _ = app;
        var request = new EstimateTransportRequest();
        var longId = new string('t', 2_000);
        for (var i = 0; i < 4_500; i++) request.Pairs.Add(Pair(longId, longId));
        Assert.True(request.CalculateSize() > Grpc.LogisticsGrpcService.MaxReceiveMessageBytes);

        var refused = await Assert.ThrowsAsync<RpcException>(() =>
            client.EstimateTransportAsync(request, AsMatching, DateTime.UtcNow.AddSeconds(30)).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Contains("message size", refused.Status.Detail);
    }
}
