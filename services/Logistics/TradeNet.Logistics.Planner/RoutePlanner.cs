using System.Diagnostics;
using TradeNet.Logistics.Planner.Core;

namespace TradeNet.Logistics.Planner;

/// <summary>
/// Plans pickup-and-delivery routes: transfers impossible on their own are reported first,
/// the rest are routed by the own ruin-and-recreate search, polished by OR-Tools guided local
/// search, within the time limit (docs/logistics.md).
/// </summary>
public static class RoutePlanner
{
    // Capacities and costs above this would overflow the solver's scaled integers (fixed costs in micro-credits).
    private const double MaxScaled = 1e9;

    public static RoutePlan Plan(PlanRequest request, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Validate(request);
        var options = request.Options ?? PlannerOptions.Default;
        var clock = Stopwatch.StartNew();
        var distances = new DistanceModel(request.Distances);
        var unserved = new List<UnservedTransfer>();
        var servable = new List<Transfer>();
        foreach (var t in request.Transfers)
        {
            if (Feasibility.Check(t, request.Vehicles, distances) is { } reason) unserved.Add(reason);
            else servable.Add(t);
        }
        if (servable.Count == 0 || request.Vehicles.Count == 0)
            return new RoutePlan([], unserved, 0, 0);

        var model = new PlanningModel(request, servable, distances);
        // The budget covers the whole call: model building so far, and a small reserve for turning routes into stops.
        var reserve = TimeSpan.FromMilliseconds(Math.Min(50, options.TimeLimit.TotalMilliseconds * 0.03));
        var left = options.TimeLimit - clock.Elapsed - reserve;
        if (left < TimeSpan.FromMilliseconds(20)) left = TimeSpan.FromMilliseconds(20);
        var solution = RoutingEngine.Solve(model.Problem,
            new SolverOptions(left, options.Strategy, options.Seed, Iterations: options.Iterations), cancel);

        var routes = new List<VehicleRoute>();
        for (int v = 0; v < solution.Routes.Length; v++)
        {
            if (solution.Routes[v].Length == 0) continue;
            routes.Add(BuildRoute(model, v, solution.Routes[v]));
        }
        foreach (int node in solution.Unassigned.Where(model.IsPickupNode))
            unserved.Add(new UnservedTransfer(model.TransferAt(node).Id, UnservedReason.NoRoomInPlan,
                "feasible alone, but the fleet's capacity and hours are taken by the other transfers"));
        return new RoutePlan(routes, unserved, routes.Sum(r => r.Cost), routes.Sum(r => r.DistanceMeters));
    }

    private static VehicleRoute BuildRoute(PlanningModel model, int v, int[] nodes)
    {
        var p = model.Problem;
        var vehicle = model.Request.Vehicles[v];
        // The solver may load before it unloads at one town (no cost either way); a driver unloads first, in one stop.
        nodes = StopOrder.UnloadFirst(p, v, nodes, node => model.Places[node].TownId);
        var schedule = RouteEvaluator.Schedule(p, v, nodes)
                       ?? throw new InvalidOperationException($"the solver returned an infeasible route for vehicle {vehicle.Id}");
        var stops = new List<RouteStop>();
        // Leave home as late as the first service allows, rather than waiting at the first stop.
        int first = nodes[0];
        long leave = Math.Max(schedule.Start, schedule.ServiceStart[0] - p.TravelTime[p.Vehicles[v].StartNode][first]);
        stops.Add(new RouteStop(vehicle.Home.TownId, [], [], 0, 0, model.Time(leave), model.Time(leave)));
        for (int i = 0; i < nodes.Length; i++)
        {
            int node = nodes[i];
            var transfer = model.TransferAt(node);
            var place = model.Places[node];
            bool pickup = model.IsPickupNode(node);
            double loadKg = schedule.LoadAfter[i][0] / 1000.0;
            double loadM3 = p.Dimensions > 1 ? schedule.LoadAfter[i][1] / 1000.0 : 0;
            var departure = model.Time(schedule.ServiceStart[i] + p.ServiceTime[node]);
            var last = stops[^1];
            // A ride or route-duration limit may start a service later than arriving and its window allow. Its stop
            // then begins at that start (the vehicle waited on the way), so that every stop's services run back to
            // back from its arrival, as the validator times them.
            bool held = i > 0 && schedule.ServiceStart[i] > Math.Max(schedule.Arrival[i], p.WindowStart[node]);
            // Consecutive actions in one town form one stop, unloading before loading (as the
            // validator and a route sheet read it); an unload after a load starts a new stop.
            if (!held && stops.Count > 1 && last.TownId == place.TownId && (pickup || last.PickedUp.Count == 0))
            {
                stops[^1] = last with
                {
                    PickedUp = pickup ? [.. last.PickedUp, transfer.Id] : last.PickedUp,
                    Dropped = pickup ? last.Dropped : [.. last.Dropped, transfer.Id],
                    LoadKg = loadKg,
                    LoadM3 = loadM3,
                    Departure = departure,
                };
                continue;
            }
            long arrival = i == 0 ? leave + p.TravelTime[p.Vehicles[v].StartNode][first] : held ? schedule.ServiceStart[i] : schedule.Arrival[i];
            stops.Add(new RouteStop(place.TownId, pickup ? [transfer.Id] : [], pickup ? [] : [transfer.Id], loadKg, loadM3,
                model.Time(arrival), departure));
        }
        stops.Add(new RouteStop(vehicle.Home.TownId, [], [], 0, 0, model.Time(schedule.End), model.Time(schedule.End)));
        long meters = RouteEvaluator.RouteDistance(p, v, nodes);
        return new VehicleRoute(vehicle.Id, stops, meters, meters / 1000.0 * vehicle.CostPerKm + vehicle.FixedCost);
    }

    private static void Validate(PlanRequest request)
    {
        var dupT = request.Transfers.GroupBy(t => t.Id).FirstOrDefault(g => g.Count() > 1);
        if (dupT is not null) throw new ArgumentException($"transfer id {dupT.Key} appears twice");
        var dupV = request.Vehicles.GroupBy(v => v.Id).FirstOrDefault(g => g.Count() > 1);
        if (dupV is not null) throw new ArgumentException($"vehicle id {dupV.Key} appears twice");
        foreach (var t in request.Transfers)
            if (!(t.WeightKg >= 0) || t.VolumeM3 is < 0 || t.ServiceTime < TimeSpan.Zero || t.MaxRideTime < TimeSpan.Zero)
                throw new ArgumentException($"transfer {t.Id}: weight, volume, service time and maximum ride time cannot be negative");
        foreach (var v in request.Vehicles)
        {
            // An empty availability would reach OR-Tools as an empty range, which aborts the process.
            if (v.Availability.IsEmpty || !Feasibility.HoldsWholeSecond(v.Availability))
                throw new ArgumentException($"vehicle {v.Id}: availability ends before it starts (or holds no whole second)");
            if (!(v.CapacityKg >= 0) || v.VolumeM3 is < 0 || !(v.CostPerKm >= 0) || !(v.FixedCost >= 0) || v.MaxRouteDuration < TimeSpan.Zero)
                throw new ArgumentException($"vehicle {v.Id}: capacity, costs and maximum route duration cannot be negative");
            // The solver works in grams, litres and milli-credits per metre on 64-bit integers.
            if (v.CapacityKg > MaxScaled || v.VolumeM3 > MaxScaled || v.CostPerKm > MaxScaled || v.FixedCost > MaxScaled)
                throw new ArgumentException($"vehicle {v.Id}: capacity and costs must be at most {MaxScaled:0}");
        }
        // The model knows a place by its town (one depot per home town, 0 m within a town): a town at two points had some
        // trips measured from the other point, and a point off the globe (NaN) read as 0 m from everywhere.
        var points = new Dictionary<string, GeoPoint>();
        foreach (var place in request.Transfers.SelectMany(t => new[] { t.Pickup, t.Delivery }).Concat(request.Vehicles.Select(v => v.Home)))
        {
            var (lat, lon) = (place.Point.Latitude, place.Point.Longitude);
            if (!(lat is >= -90 and <= 90) || !(lon is >= -180 and <= 180))
                throw new ArgumentException($"town {place.TownId}: latitude must be in [-90, 90] and longitude in [-180, 180], not {lat}, {lon}");
            if (!points.TryAdd(place.TownId, place.Point) && points[place.TownId] != place.Point)
                throw new ArgumentException($"town {place.TownId} is given at two points ({points[place.TownId]} and {place.Point}); give each point a town id of its own");
        }
        if (request.Options is { } o && o.TimeLimit <= TimeSpan.Zero)
            throw new ArgumentException("the time limit must be positive");
    }
}
