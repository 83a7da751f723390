using Grpc.Core;
using Grpc.Net.Client;
using TradeNet.Contracts.Grpc;
using TradeNet.Logistics.Planner;
using TradeNet.Shared.Hosting;
using TradeNet.Testing;
using LogisticsGrpc = TradeNet.Contracts.Grpc.Logistics;

namespace TradeNet.Logistics.Tests.Component;

/// <summary>EstimateTransport through a real gRPC client over the test server.</summary>
public class EstimateTransportTests(LogisticsApp app) : IClassFixture<LogisticsApp>
{
    private LogisticsGrpc.LogisticsClient Client()
    {
        var channel = GrpcChannel.ForAddress(app.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = app.Server.CreateHandler() });
        return new LogisticsGrpc.LogisticsClient(channel);
    }

    private static Metadata Token(System.Net.Http.Headers.AuthenticationHeaderValue auth) => new() { { "authorization", auth.ToString() } };

    private static TransportPair Pair(string from, double fromLat, double fromLon, string to, double toLat, double toLon) => new()
    {
        From = new TownPoint { TownId = from, Lat = fromLat, Lon = fromLon },
        To = new TownPoint { TownId = to, Lat = toLat, Lon = toLon },
        WeightKg = 100,
    };

    private static readonly DistanceModel Distances = new(new DistanceSettings(1.3, 60));

    private static Place Place(TownPoint p) => new(p.TownId, new GeoPoint(p.Lat, p.Lon));

    private static DateTime Deadline => DateTime.UtcNow.AddSeconds(30);

    [Fact]
    public async Task A_batch_of_two_thousand_pairs_is_estimated_with_the_planners_distances_at_the_direct_trip_price_in_order()
    {
        var random = new Random(42);
        var request = new EstimateTransportRequest();
        for (var i = 0; i < 2000; i++)
            request.Pairs.Add(Pair($"from-{i}", 44.2 + random.NextDouble() * 2.2, 3.7 + random.NextDouble() * 3.4,
                $"to-{i}", 44.2 + random.NextDouble() * 2.2, 3.7 + random.NextDouble() * 3.4));

        var reply = await Client().EstimateTransportAsync(request, Token(TestSettings.ServiceAuth("matching")), Deadline);

        Assert.Equal(2000, reply.Estimates.Count);
        for (var i = 0; i < 2000; i++)
        {
            var (pair, estimate) = (request.Pairs[i], reply.Estimates[i]);
            var (from, to) = (Place(pair.From), Place(pair.To));
            var km = Distances.Meters(from, to) / 1000.0;
            Assert.Equal((pair.From.TownId, pair.To.TownId), (estimate.FromTownId, estimate.ToTownId));
            Assert.Equal(km, estimate.DistanceKm, 9);
            // No fleet registered: the price of a direct trip, km × Logistics:CostPerKm.
            Assert.Equal(km * 0.5, estimate.Cost, 9);
            Assert.Equal(Distances.Seconds(from, to), estimate.Seconds, 3);
            Assert.Equal(Geo.RoadKm(pair.From.Lat, pair.From.Lon, pair.To.Lat, pair.To.Lon), estimate.DistanceKm, tolerance: 0.002); // whole metres
        }
    }

    [Fact]
    public async Task Roanne_to_Lyon_is_about_an_hour_and_a_half_by_road()
    {
        var request = new EstimateTransportRequest { Pairs = { Pair("42187", Towns.Roanne.Lat, Towns.Roanne.Lon, "69123", Towns.Lyon.Lat, Towns.Lyon.Lon) } };

        var estimate = (await Client().EstimateTransportAsync(request, Token(TestSettings.ServiceAuth()), Deadline)).Estimates.Single();

        Assert.InRange(estimate.DistanceKm, 80, 95);
        Assert.InRange(TimeSpan.FromSeconds(estimate.Seconds).TotalMinutes, 80, 95);
    }

    [Fact]
    public async Task An_empty_batch_has_an_empty_answer()
    {
        var reply = await Client().EstimateTransportAsync(new EstimateTransportRequest(), Token(TestSettings.ServiceAuth()), Deadline);

        Assert.Empty(reply.Estimates);
    }

    [Theory]
    [InlineData(91, 4, 45, 4, "pairs[1].from.lat")]
    [InlineData(45, 4, -90.5, 4, "pairs[1].to.lat")]
    [InlineData(45, 181, 45, 4, "pairs[1].from.lon")]
    [InlineData(45, 4, 45, double.NaN, "pairs[1].to.lon")]
    public async Task A_coordinate_off_the_globe_is_an_invalid_argument_naming_the_pair(
        double fromLat, double fromLon, double toLat, double toLon, string field)
    {
        var request = new EstimateTransportRequest
        {
            Pairs = { Pair("a", 45, 4, "b", 45.5, 4.5), Pair("c", fromLat, fromLon, "d", toLat, toLon) },
        };

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            Client().EstimateTransportAsync(request, Token(TestSettings.ServiceAuth()), Deadline).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(field, error.Status.Detail);
    }

    [Fact]
    public async Task A_pair_without_a_town_point_is_an_invalid_argument()
    {
        var request = new EstimateTransportRequest { Pairs = { new TransportPair { From = new TownPoint { TownId = "a", Lat = 45, Lon = 4 } } } };

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            Client().EstimateTransportAsync(request, Token(TestSettings.ServiceAuth()), Deadline).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("pairs[0].to", error.Status.Detail);
    }

    [Fact]
    public async Task More_than_a_hundred_thousand_pairs_in_one_call_is_an_invalid_argument()
    {
        var request = new EstimateTransportRequest();
        var pair = Pair("a", 45, 4, "b", 45.5, 4.5);
        for (var i = 0; i < 100_001; i++) request.Pairs.Add(pair);

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            Client().EstimateTransportAsync(request, Token(TestSettings.ServiceAuth()), Deadline).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("pairs", error.Status.Detail);
    }

    [Fact]
    public async Task A_call_without_a_service_token_is_refused()
    {
        var request = new EstimateTransportRequest { Pairs = { Pair("a", 45, 4, "b", 45.5, 4.5) } };

        var anonymous = await Assert.ThrowsAsync<RpcException>(() =>
            Client().EstimateTransportAsync(request, deadline: Deadline).ResponseAsync);
        var asTown = await Assert.ThrowsAsync<RpcException>(() =>
            Client().EstimateTransportAsync(request, Token(TestSettings.TownAuth("roanne")), Deadline).ResponseAsync);
        var forged = await Assert.ThrowsAsync<RpcException>(() => Client().EstimateTransportAsync(request,
            Token(new("Bearer", TestSettings.TokenFor("matching", "service", key: "another-key-that-is-long-enough-0123456789"))), Deadline).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, asTown.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, forged.StatusCode);
    }
}
