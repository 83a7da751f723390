using CsCheck;
using TradeNet.Contracts;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Planning;
using TradeNet.Shared.Hosting;

namespace TradeNet.Logistics.Tests.Planning;

public class DirectTripPlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);
    private static readonly TransportModel Model = TransportModel.From(new LogisticsOptions());

    private static TransferOrder Transfer(int leg, string from, string to, TradePoint a, TradePoint b, DateTimeOffset? opens = null) =>
        new(Guid.NewGuid(), Guid.NewGuid(), leg, from, to, a, b, "cheese", 10, 10, opens, null, TransferStatus.Pending, Now);

    [Fact]
    public async Task Every_transfer_gets_its_own_direct_trip_carried_by_the_giving_town()
    {
        var transfers = new[]
        {
            Transfer(0, "roanne", "lyon", Towns.Roanne, Towns.Lyon),
            Transfer(1, "lyon", "roanne", Towns.Lyon, Towns.Roanne),
            Transfer(2, "saint-etienne", "roanne", Towns.SaintEtienne, Towns.Roanne),
        };

        var planned = await new DirectTripPlanner(Model).PlanAsync(transfers, new PlanningContext(Now), CancellationToken.None);

        Assert.Equal(transfers.Select(t => t.Id), planned.Select(p => p.Transfer.Id));
        Assert.All(planned, p =>
        {
            Assert.Equal(p.Transfer.FromTown, p.CarrierTown);
            Assert.Equal($"direct-{p.Transfer.FromTown}", p.VehicleId);
        });
        Assert.Equal(3, planned.Select(p => p.RouteId).Distinct().Count());
    }

    [Fact]
    public void Roanne_to_Lyon_is_priced_and_timed_from_the_road_distance()
    {
        var plan = new DirectTripPlanner(Model).Plan(Transfer(0, "roanne", "lyon", Towns.Roanne, Towns.Lyon), Now);

        var km = Geo.HaversineKm(Towns.Roanne.Lat, Towns.Roanne.Lon, Towns.Lyon.Lat, Towns.Lyon.Lon) * 1.3;
        Assert.InRange(km, 80, 95); // ~66 km as the crow flies
        Assert.Equal(km, plan.DistanceKm, 9);
        Assert.Equal(km * 0.5, plan.Cost, 9);
        // To the second, rounded up: never earlier than the drive.
        Assert.InRange(plan.Eta, Now + TimeSpan.FromHours(km / 60), Now + TimeSpan.FromHours(km / 60) + TimeSpan.FromSeconds(1));
        Assert.Equal(0, plan.Eta.UtcTicks % TimeSpan.TicksPerSecond);
        Assert.Collection(plan.Stops,
            first => Assert.Equal(new ShipmentStop(1, "roanne", "pickup", Now), first),
            last => Assert.Equal(new ShipmentStop(2, "lyon", "delivery", plan.Eta), last));
    }

    [Fact]
    public void A_leg_that_becomes_available_later_leaves_when_its_window_opens()
    {
        var opens = Now.AddDays(2);
        var plan = new DirectTripPlanner(Model).Plan(Transfer(0, "roanne", "lyon", Towns.Roanne, Towns.Lyon, opens), Now);

        Assert.Equal(opens, plan.Stops[0].Eta);
        Assert.InRange(plan.Eta, opens + TimeSpan.FromHours(plan.DistanceKm / 60), opens + TimeSpan.FromHours(plan.DistanceKm / 60) + TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Configured_speed_and_price_change_the_estimate()
    {
        var model = TransportModel.From(new LogisticsOptions { SpeedKmh = 80, CostPerKm = 1.2 });

        var trip = model.Estimate(Towns.Roanne, Towns.SaintEtienne);

        Assert.Equal(trip.DistanceKm * 1.2, trip.Cost, 9);
        Assert.Equal(trip.DistanceKm / 80, trip.Duration.TotalHours, 6);
    }

    [Theory]
    [InlineData(0, 0.5)]
    [InlineData(-10, 0.5)]
    [InlineData(60, -1)]
    [InlineData(double.NaN, 0.5)]
    public void A_model_with_a_non_positive_speed_or_negative_price_is_refused(double speed, double costPerKm) =>
        Assert.Throws<ArgumentException>(() => TransportModel.From(new LogisticsOptions { SpeedKmh = speed, CostPerKm = costPerKm }));

    [Fact]
    public void Cost_and_time_always_follow_distance_in_proportion()
    {
        var coordinate = Gen.Select(Gen.Double[-89.9, 89.9], Gen.Double[-179.9, 179.9]);
        Gen.Select(coordinate, coordinate, Gen.Double[5, 130], Gen.Double[0, 3]).Sample((a, b, speed, price) =>
        {
            var model = new TransportModel(speed, price);
            var trip = model.Estimate(a.Item1, a.Item2, b.Item1, b.Item2);
            var back = model.Estimate(b.Item1, b.Item2, a.Item1, a.Item2);
            return trip.DistanceKm >= 0
                && Math.Abs(trip.DistanceKm - back.DistanceKm) < 1e-6
                && Math.Abs(trip.Cost - trip.DistanceKm * price) < 1e-6
                && Math.Abs(trip.Duration.TotalHours - trip.DistanceKm / speed) < 1e-6;
        });
    }
}
