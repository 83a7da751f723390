using TradeNet.Logistics.Planner;
using static TradeNet.Logistics.Planner.Tests.Fixtures;

namespace TradeNet.Logistics.Planner.Tests;

/// <summary>Input the model cannot read right is refused naming the culprit, rather than planned with wrong distances.</summary>
public class InputCheckTests
{
    private static PlanRequest Quick(IReadOnlyList<Transfer> transfers, IReadOnlyList<Vehicle> vehicles, DistanceSettings? distances = null) =>
        new(transfers, vehicles, distances, new PlannerOptions(TimeSpan.FromSeconds(1), Iterations: 20));

    [Fact]
    public void A_town_given_at_two_points_is_refused_naming_it()
    {
        // The model has one depot per home town and counts 0 m within a town: the second van's trips were measured from
        // the first van's home, 70 km away.
        var west = Van("west", 0) with { Home = new Place("H", new GeoPoint(46, 4.0)) };
        var east = Van("east", 0) with { Home = new Place("H", new GeoPoint(46, 4.9)) };

        var ex = Assert.Throws<ArgumentException>(() => RoutePlanner.Plan(Quick([Leg("a", 8, 9)], [west, east])));

        Assert.Contains("town H", ex.Message);
    }

    [Theory]
    [InlineData(double.NaN, 4.0)]
    [InlineData(46.0, double.PositiveInfinity)]
    [InlineData(91.0, 4.0)]
    [InlineData(46.0, -180.5)]
    public void A_place_off_the_globe_is_refused_naming_its_town(double latitude, double longitude)
    {
        // NaN coordinates read as 0 m from everywhere: the leg was planned as if the goods were at the van's door.
        var leg = Leg("a", 1, 2) with { Delivery = new Place("X", new GeoPoint(latitude, longitude)) };

        var ex = Assert.Throws<ArgumentException>(() => RoutePlanner.Plan(Quick([leg], [Van("v", 0)])));

        Assert.Contains("town X", ex.Message);
    }

    [Fact]
    public void A_known_road_distance_or_duration_below_zero_is_refused()
    {
        // A negative arc made the route cheaper than driving it (a 40 km route priced as 25 km).
        Assert.Throws<ArgumentException>(() => RoutePlanner.Plan(Quick([Leg("a", 1, 2)], [Van("v", 0)],
            new DistanceSettings(Overrides: [new RoadDistance("T1", "T2", -5000)]))));
        Assert.Throws<ArgumentException>(() => RoutePlanner.Plan(Quick([Leg("a", 1, 2)], [Van("v", 0)],
            new DistanceSettings(Overrides: [new RoadDistance("T1", "T2", 5000, TimeSpan.FromMinutes(-10))]))));
    }

    [Theory]
    [InlineData(double.NaN, 60)]
    [InlineData(double.PositiveInfinity, 60)]
    [InlineData(1.3, double.NaN)]
    [InlineData(1.3, double.PositiveInfinity)]
    public void A_detour_factor_or_speed_that_is_not_a_finite_number_is_refused(double detour, double speed)
    {
        // NaN made every distance 0 m; an infinite detour failed deep in the date arithmetic.
        var ex = Assert.Throws<ArgumentException>(() => new DistanceModel(new DistanceSettings(detour, speed)));

        Assert.Contains(double.IsFinite(detour) ? "speed" : "detour factor", ex.Message);
    }
}
