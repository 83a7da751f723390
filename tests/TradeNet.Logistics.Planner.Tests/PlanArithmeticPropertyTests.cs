using TradeNet.Logistics.Planner;
using TradeNet.Logistics.Planner.Core;

namespace TradeNet.Logistics.Planner.Tests;

/// <summary>
/// Random small requests at the edges the service meets (towns at one spot, zero-length and fractional-second windows,
/// no service time, a leg filling a van, ride and shift limits, known road distances, every strategy), each plan checked
/// by <see cref="PlanValidator"/> and, independently of it, for what the validator does not look at: each route's
/// distance as its stops add it up, its cost from that distance, the plan's totals, the load after each stop, and time
/// running forward.
/// </summary>
public class PlanArithmeticPropertyTests
{
    private static readonly DateTimeOffset Day = new(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Every_plan_is_valid_and_its_distances_costs_loads_and_times_add_up_as_its_stops_give_them()
    {
        var failures = new List<string>();
        for (int seed = 1; seed <= 40; seed++)
        {
            var request = RandomRequest(new Random(seed), seed);
            var plan = RoutePlanner.Plan(request);
            var errors = PlanValidator.Validate(request, plan).Concat(Arithmetic(request, plan)).ToList();
            if (errors.Count > 0) failures.Add($"seed {seed}: {string.Join("; ", errors)}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static PlanRequest RandomRequest(Random rng, int seed)
    {
        int townCount = rng.Next(3, 10);
        var towns = new List<Place>();
        for (int i = 0; i < townCount; i++)
        {
            // Some towns share a spot with another (0 m apart, different ids), the rest spread over about 40 km.
            var at = i > 0 && rng.Next(5) == 0 ? towns[rng.Next(i)].Point : new GeoPoint(46 + rng.NextDouble() * 0.3, 4 + rng.NextDouble() * 0.4);
            towns.Add(new Place($"T{i}", at));
        }
        double Fraction() => rng.Next(3) == 0 ? rng.NextDouble() : 0;
        TimeWindow Window(double from, double hours) => new(Day.AddHours(from).AddSeconds(Fraction()), Day.AddHours(from + hours).AddSeconds(Fraction()));
        var transfers = Enumerable.Range(0, rng.Next(1, 13)).Select(k =>
        {
            double ready = 6 + rng.Next(8), hours = rng.Next(4) == 0 ? 0 : rng.Next(1, 8);
            double kg = rng.Next(5) switch { 0 => 0, 1 => 1000, 2 => 1000 / 3.0, _ => rng.Next(1, 900) };
            return new Transfer($"t{k}", towns[rng.Next(townCount)], towns[rng.Next(townCount)], kg, rng.Next(3) == 0 ? rng.Next(0, 5) : null,
                rng.Next(4) == 0, Window(ready, hours), Window(ready, hours + rng.Next(0, 6)),
                TimeSpan.FromSeconds(rng.Next(3) switch { 0 => 0, 1 => 90.5, _ => 600 }),
                rng.Next(3) == 0 ? TimeSpan.FromMinutes(rng.Next(5, 180)) : null);
        }).ToArray();
        var vehicles = Enumerable.Range(0, rng.Next(1, 4)).Select(k => new Vehicle($"v{k}", towns[rng.Next(townCount)],
            rng.Next(3) == 0 ? 1000 : rng.Next(100, 3000), rng.Next(3) == 0 ? rng.Next(1, 10) : null, rng.Next(2) == 0,
            rng.Next(0, 3) * 0.45, rng.Next(0, 40), Window(rng.Next(0, 10), rng.Next(4, 16)),
            rng.Next(3) == 0 ? TimeSpan.FromHours(rng.Next(1, 10)) : null)).ToArray();
        var known = rng.Next(2) == 0 ? null : Enumerable.Range(0, 3).Select(_ => new RoadDistance($"T{rng.Next(townCount)}", $"T{rng.Next(townCount)}",
            rng.Next(0, 60_000), rng.Next(2) == 0 ? null : TimeSpan.FromSeconds(rng.Next(0, 4000)))).ToList();
        // An iteration budget (OR-Tools: a solution budget) keeps each case repeatable; a 2.5 s limit lets the hybrid run OR-Tools.
        return new PlanRequest(transfers, vehicles, new DistanceSettings(Overrides: known),
            new PlannerOptions(TimeSpan.FromSeconds(rng.Next(3) == 0 ? 2.5 : 0.5), seed, Iterations: 40, Strategy: (SearchStrategy)rng.Next(3)));
    }

    private static IEnumerable<string> Arithmetic(PlanRequest request, RoutePlan plan)
    {
        var distances = new DistanceModel(request.Distances);
        var transfers = request.Transfers.ToDictionary(t => t.Id);
        // Each town has one point (the planner refuses two), so a stop's town is its place.
        var places = request.Transfers.SelectMany(t => new[] { t.Pickup, t.Delivery }).Concat(request.Vehicles.Select(v => v.Home))
            .GroupBy(p => p.TownId).ToDictionary(g => g.Key, g => g.First());
        foreach (var route in plan.Routes)
        {
            var vehicle = request.Vehicles.Single(v => v.Id == route.VehicleId);
            long meters = route.Stops.Zip(route.Stops.Skip(1)).Sum(p => distances.Meters(places[p.First.TownId], places[p.Second.TownId]));
            if (meters != route.DistanceMeters) yield return $"{route.VehicleId}: {route.DistanceMeters} m reported, its stops add up to {meters} m";
            double cost = meters / 1000.0 * vehicle.CostPerKm + vehicle.FixedCost;
            if (Math.Abs(route.Cost - cost) > 1e-6) yield return $"{route.VehicleId}: cost {route.Cost}, its distance and prices give {cost}";
            double kg = 0;
            foreach (var stop in route.Stops)
            {
                kg += stop.PickedUp.Sum(id => transfers[id].WeightKg) - stop.Dropped.Sum(id => transfers[id].WeightKg);
                // The plan reports loads in the solver's thousandths, each leg rounded up.
                if (Math.Abs(stop.LoadKg - kg) > 0.001 * request.Transfers.Count) yield return $"{route.VehicleId}: {stop.LoadKg} kg reported at {stop.TownId}, {kg} kg on board";
                if (stop.Departure < stop.Arrival) yield return $"{route.VehicleId}: leaves {stop.TownId} before arriving";
            }
            if (route.Stops.Zip(route.Stops.Skip(1)).Any(p => p.Second.Arrival < p.First.Departure)) yield return $"{route.VehicleId}: arrives before leaving the stop before";
        }
        if (Math.Abs(plan.TotalCost - plan.Routes.Sum(r => r.Cost)) > 1e-6) yield return $"total cost {plan.TotalCost} is not the routes' {plan.Routes.Sum(r => r.Cost)}";
        if (plan.TotalDistanceMeters != plan.Routes.Sum(r => r.DistanceMeters)) yield return "total distance is not the routes'";
    }
}
