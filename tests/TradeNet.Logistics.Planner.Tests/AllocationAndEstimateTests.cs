using TradeNet.Logistics.Planner;
using static TradeNet.Logistics.Planner.Tests.Fixtures;

namespace TradeNet.Logistics.Planner.Tests;

public class AllocationAndEstimateTests
{
    [Fact]
    public void Cost_shares_add_up_to_the_route_cost()
    {
        var request = Request([Leg("a", 1, 3), Leg("b", 2, 3), Leg("c", 1, 2)], [Van("v1", 0)]);
        var route = Assert.Single(PlanValid(request).Routes);
        var shares = CostAllocator.Allocate(request, route);
        Assert.Equal(3, shares.Count);
        Assert.Equal(route.Cost, shares.Sum(s => s.Share), 9);
        Assert.All(shares, s => Assert.True(s.Share < s.StandAloneCost, "sharing a route is cheaper than going alone"));
    }

    [Fact]
    public void A_longer_transfer_pays_a_larger_share()
    {
        var request = Request([Leg("near", 1, 2), Leg("far", 1, 6)], [Van("v1", 0)]);
        var route = Assert.Single(PlanValid(request).Routes);
        var shares = CostAllocator.Allocate(request, route).ToDictionary(s => s.TransferId, s => s.Share);
        Assert.True(shares["far"] > shares["near"]);
    }

    [Fact]
    public void Shares_per_trade_sum_the_shares_of_its_legs()
    {
        var request = Request([Leg("x1", 1, 3), Leg("x2", 3, 1), Leg("y1", 2, 3)], [Van("v1", 0)]);
        var route = Assert.Single(PlanValid(request).Routes);
        var byTrade = CostAllocator.AllocateByGroup(request, route, id => id[..1]);
        var legs = CostAllocator.Allocate(request, route);
        Assert.Equal(legs.Where(l => l.TransferId.StartsWith('x')).Sum(l => l.Share), byTrade.Single(g => g.Key == "x").Share, 9);
        Assert.Equal(route.Cost, byTrade.Sum(g => g.Share), 9);
    }

    [Fact]
    public void Haversine_gives_the_known_distance_from_Paris_to_Lyon()
    {
        double m = DistanceModel.HaversineMeters(new GeoPoint(48.8566, 2.3522), new GeoPoint(45.7640, 4.8357));
        Assert.InRange(m, 390_000, 394_000); // about 392 km great-circle
    }

    [Fact]
    public void Road_distance_is_the_detour_factor_times_the_great_circle_in_whole_metres()
    {
        var d = new DistanceModel(new DistanceSettings(DetourFactor: 1.3, SpeedKmh: 60));
        double crow = DistanceModel.HaversineMeters(Town(0).Point, Town(1).Point);
        Assert.Equal((long)Math.Round(crow * 1.3), d.Meters(Town(0), Town(1)));
        Assert.Equal((long)Math.Ceiling(d.Meters(Town(0), Town(1)) / (60 / 3.6)), d.Seconds(Town(0), Town(1)));
    }

    [Fact]
    public void A_known_road_distance_overrides_the_estimate_in_both_directions()
    {
        var d = new DistanceModel(new DistanceSettings(Overrides: [new RoadDistance("T0", "T1", 12_345, TimeSpan.FromMinutes(20))]));
        Assert.Equal(12_345, d.Meters(Town(0), Town(1)));
        Assert.Equal(12_345, d.Meters(Town(1), Town(0)));
        Assert.Equal(1200, d.Seconds(Town(1), Town(0)));
    }

    [Fact]
    public void The_planner_uses_known_road_distances()
    {
        var settings = new DistanceSettings(Overrides: [new RoadDistance("T0", "T1", 50_000), new RoadDistance("T1", "T2", 50_000), new RoadDistance("T0", "T2", 50_000)]);
        var request = new PlanRequest([Leg("a", 1, 2)], [Van("v1", 0)], settings, new PlannerOptions(TimeSpan.FromSeconds(1)));
        var plan = RoutePlanner.Plan(request);
        Assert.Empty(PlanValidator.Validate(request, plan));
        Assert.Equal(150_000, plan.TotalDistanceMeters);
    }

    [Fact]
    public void Transport_estimates_grow_with_distance_and_carry_a_share_of_the_fixed_cost()
    {
        var settings = new EstimatorSettings(CostPerKm: 1, FixedCostPerTrip: 40, LegsPerRoute: 4, EmptyReturnShare: 0);
        var estimator = new TransportEstimator(new DistanceModel(), settings);
        var results = estimator.EstimateMany([(Town(0), Town(0)), (Town(0), Town(1)), (Town(0), Town(5))]);
        Assert.Equal(10, results[0].Cost, 9); // same town: the fixed share only
        Assert.Equal(results[1].DistanceMeters / 1000.0 + 10, results[1].Cost, 9);
        Assert.True(results[2].Cost > results[1].Cost && results[2].Duration > results[1].Duration);
    }

    [Fact]
    public void Estimator_settings_follow_the_fleet_medians()
    {
        var s = TransportEstimator.SettingsFromFleet([Van("a", 0, costPerKm: 0.4, fixedCost: 10), Van("b", 0, costPerKm: 0.6, fixedCost: 30), Van("c", 0, costPerKm: 2, fixedCost: 20)]);
        Assert.Equal((0.6, 20.0), (s.CostPerKm, s.FixedCostPerTrip));
    }
}
