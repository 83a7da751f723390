using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using TradeNet.Contracts.Grpc;
using TradeNet.Logistics.Planner;
using TradeNet.Logistics.Storage;
using TradeNet.Testing;
using LogisticsGrpc = TradeNet.Contracts.Grpc.Logistics;
using Vehicle = TradeNet.Logistics.Domain.Vehicle;

namespace TradeNet.Logistics.Tests.Component;

/// <summary>EstimateTransport prices from the fleet that planning runs use: its median cost per km and fixed cost.</summary>
/// <remarks>A host per test: the fleet is global to a host.</remarks>
public sealed class EstimateTransportFleetTests : IDisposable
{
    private readonly LogisticsApp app = new();

    public void Dispose() => app.Dispose();

    private static readonly DistanceModel Distances = new(new DistanceSettings(1.3, 60));

    private async Task<(double Km, double Cost)> RoanneToLyonAsync()
    {
        var (from, to) = (new TownPoint { TownId = "42187", Lat = Towns.Roanne.Lat, Lon = Towns.Roanne.Lon },
            new TownPoint { TownId = "69123", Lat = Towns.Lyon.Lat, Lon = Towns.Lyon.Lon });
        var channel = GrpcChannel.ForAddress(app.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = app.Server.CreateHandler() });
        var reply = await new LogisticsGrpc.LogisticsClient(channel).EstimateTransportAsync(
            new EstimateTransportRequest { Pairs = { new TransportPair { From = from, To = to, WeightKg = 100 } } },
            new Metadata { { "authorization", TestSettings.ServiceAuth("matching").ToString() } }, DateTime.UtcNow.AddSeconds(30));
        var km = Distances.Meters(new Place(from.TownId, new GeoPoint(from.Lat, from.Lon)), new Place(to.TownId, new GeoPoint(to.Lat, to.Lon))) / 1000.0;
        return (km, reply.Estimates.Single().Cost);
    }

    [Fact]
    public async Task With_a_van_registered_a_leg_is_priced_at_its_cost_per_km_with_the_empty_return_and_a_quarter_of_its_fixed_cost()
    {
        var (roanne, _, _) = Towns.Fresh();
        await app.RegisterAsync(TestSettings.TownAuth(roanne), Fleet.Van(Towns.Roanne, costPerKm: 0.8, fixedCost: 40));

        var (km, cost) = await RoanneToLyonAsync();

        Assert.Equal(km * 0.8 * 1.5 + 40 / 4.0, cost, 9);
    }

    /// <summary>A van registered for a week that has passed is never planned again: its legs go as direct trips, so they are
    /// quoted as direct trips, not at the costs of a van that will carry nothing.</summary>
    [Fact]
    public async Task A_van_whose_availability_has_ended_does_not_price_the_estimates_which_are_then_the_direct_trip_price()
    {
        var (roanne, _, _) = Towns.Fresh();
        var now = DateTimeOffset.UtcNow;
        var gone = new Vehicle($"veh-{Guid.NewGuid():N}", roanne, Towns.Roanne, "van", 2000, null, true, 10, 500, now.AddDays(-8), now.AddDays(-1),
            now.AddDays(-9), now.AddDays(-9));
        await using (var session = await app.Services.GetRequiredService<ILogisticsStore>().BeginAsync())
        {
            await session.AddVehicleAsync(gone);
            await session.CommitAsync();
        }

        var (km, cost) = await RoanneToLyonAsync();

        Assert.Equal(km * 0.5, cost, 9);
    }
}
