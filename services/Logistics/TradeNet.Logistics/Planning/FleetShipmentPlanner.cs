using System.Diagnostics;
using Microsoft.Extensions.Options;
using TradeNet.Contracts;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Planner;
using TradeNet.Shared.Hosting;
using PlannerTransfer = TradeNet.Logistics.Planner.Transfer;
using PlannerVehicle = TradeNet.Logistics.Planner.Vehicle;
using Vehicle = TradeNet.Logistics.Domain.Vehicle;

namespace TradeNet.Logistics.Planning;

/// <summary>
/// The default planner: the registered fleet's routes from <see cref="RoutePlanner"/>, so legs of different trades
/// share vehicles. Each transfer becomes one shipment on its vehicle's route, carrying the whole stop sequence and
/// its share of the route cost (<see cref="CostAllocator"/>: in proportion to its stand-alone cost). Without any
/// vehicle, and for transfers the fleet cannot serve, the giving town drives itself (<see cref="DirectTripPlanner"/>),
/// so nothing waits forever for a vehicle that may never come.
/// </summary>
public sealed class FleetShipmentPlanner(DirectTripPlanner direct, IOptions<LogisticsOptions> options, ILogger<FleetShipmentPlanner> logger)
    : IShipmentPlanner
{
    /// <summary>Actions on a route stop, seen from one shipment: its own pickup and delivery, the vehicle leaving and
    /// coming home, and stops that serve other shipments ("via").</summary>
    public const string DepartAction = "depart";
    public const string ReturnAction = "return";
    public const string ViaAction = "via";

    public async Task<IReadOnlyList<PlannedShipment>> PlanAsync(IReadOnlyList<TransferOrder> pending, PlanningContext ctx, CancellationToken ct)
    {
        var settings = options.Value;
        var horizon = ctx.Now + settings.PlanningHorizon;
        var fleet = Offered(ctx, settings, logger);
        if (pending.Count == 0 || fleet.Count == 0) return ctx.FleetOnly ? [] : await direct.PlanAsync(pending, ctx, ct);
        // A leg whose goods are ready only once every offered vehicle's hours in this run are over (after the horizon, or
        // after the one working day its vans are offered) is no leg for this run: the planner would call it unservable and
        // the giving town would drive it, though a later run offers the fleet when the goods are ready. It stays pending.
        var reach = Reach(fleet, horizon);
        var later = pending.Where(t => t.WindowFrom >= reach).ToList();
        if (later.Count > 0)
        {
            logger.LogInformation("{Count} transfers are ready only from {Reach:u} or later, past the vehicles this run offers: they wait for a later run",
                later.Count, reach);
            pending = [.. pending.Where(t => !(t.WindowFrom >= reach))];
            if (pending.Count == 0) return [];
        }

        using var activity = TradeNetTelemetry.Source.StartActivity("route planning");
        activity?.SetTag("tradenet.transfers", pending.Count);
        activity?.SetTag("tradenet.vehicles", fleet.Count);
        var clock = Stopwatch.StartNew();
        var request = Request(pending, fleet, ctx.Now, settings, ctx.TimeLimit);
        // CPU-bound for up to the time limit: off the caller's thread.
        var plan = await Task.Run(() => RoutePlanner.Plan(request, ct), ct);
        NativeHeap.ReturnFreed(); // the solver's native memory, freed but kept by glibc otherwise
        var problems = PlanValidator.Validate(request, plan);
        if (problems.Count > 0)
            throw new InvalidOperationException($"The route planner returned an invalid plan: {string.Join("; ", problems)}");

        var byId = pending.ToDictionary(t => t.Id.ToString());
        var vehicles = fleet.ToDictionary(v => v.Id);
        var townOf = TownOf(request, byId, vehicles);
        var distances = new DistanceModel(request.Distances);
        var result = new List<PlannedShipment>(pending.Count);
        foreach (var route in plan.Routes)
        {
            var vehicle = vehicles[route.VehicleId];
            var routeId = Guid.NewGuid();
            var shares = CostAllocator.Allocate(request, route).ToDictionary(s => s.TransferId, s => s.Share);
            foreach (var id in route.Stops.SelectMany(s => s.PickedUp))
            {
                var transfer = byId[id];
                var planned = request.Transfers.First(t => t.Id == id);
                var stops = StopsFor(route, id, townOf);
                var eta = route.Stops.First(s => s.Dropped.Contains(id)).Departure;
                result.Add(new PlannedShipment(transfer, vehicle.HomeTown, vehicle.Id, routeId,
                    distances.Meters(planned.Pickup, planned.Delivery) / 1000.0, shares[id], eta, stops));
            }
        }
        var unserved = plan.Unserved.Select(u => byId[u.TransferId]).ToList();
        foreach (var u in plan.Unserved)
            if (ctx.FleetOnly)
                logger.LogInformation("Transfer {Transfer} (trade {Trade}) does not fit the vehicles offered: {Reason} ({Detail})",
                    u.TransferId, byId[u.TransferId].TradeId, u.Reason, u.Detail);
            else
                logger.LogInformation("Transfer {Transfer} (trade {Trade}) goes as a direct trip: {Reason} ({Detail})",
                    u.TransferId, byId[u.TransferId].TradeId, u.Reason, u.Detail);
        // The planner's reason goes with the shipment, so a coordinator sees it on the leg, not only in this log.
        var reasons = plan.Unserved.ToDictionary(u => u.TransferId, u => new DirectTripReason(u.Reason.ToString(), u.Detail));
        if (!ctx.FleetOnly) result.AddRange(await direct.PlanAsync(unserved, ctx, t => reasons[t.Id.ToString()], ct));

        clock.Stop();
        activity?.SetTag("tradenet.routes", plan.Routes.Count);
        activity?.SetTag("tradenet.route_cost", plan.TotalCost);
        activity?.SetTag("tradenet.unserved", unserved.Count);
        activity?.SetTag("tradenet.planning_ms", clock.Elapsed.TotalMilliseconds);
        logger.LogInformation(
            "Route planning: {Transfers} transfers on {Vehicles} vehicles → {Routes} routes, cost {Cost:F2}, {Km:F1} km, {Direct} direct trips, {Unplaced} left out, in {Ms:F0} ms",
            pending.Count, fleet.Count, plan.Routes.Count, plan.TotalCost, plan.TotalDistanceMeters / 1000.0,
            ctx.FleetOnly ? 0 : unserved.Count, ctx.FleetOnly ? unserved.Count : 0,
            clock.Elapsed.TotalMilliseconds);
        return result;
    }

    /// <summary>The end of the hours the run offers its vehicles (<see cref="Reach"/>): legs ready later wait, unread. With
    /// vehicles registered but none free in this run, the horizon: legs ready sooner go as direct trips, later ones wait for
    /// the fleet. Without any vehicle registered every leg goes as a direct trip, so all are read.</summary>
    public DateTimeOffset? ReadyBefore(PlanningContext ctx)
    {
        var horizon = ctx.Now + options.Value.PlanningHorizon;
        if (Offered(ctx, options.Value, logger: null) is { Count: > 0 } fleet) return Reach(fleet, horizon);
        return (ctx.Registered ?? ctx.Vehicles.Count) > 0 ? horizon : null;
    }

    /// <summary>The vehicles a run plans with: those still available, with time before the horizon, and within the limits.</summary>
    private static List<Vehicle> Offered(PlanningContext ctx, LogisticsOptions settings, ILogger? logger)
    {
        var fleet = ctx.Vehicles.Where(v => v.AvailableUntil is not { } until || until > ctx.Now).ToList();
        // An open-ended vehicle is available until the horizon: one starting at or after it (registered for next month)
        // has no time in this run, and its empty window would fail the whole run. It is planned once the horizon reaches it.
        var horizon = ctx.Now + settings.PlanningHorizon;
        fleet.RemoveAll(v => v.AvailableUntil is null && v.AvailableFrom is { } from && from >= horizon - TimeSpan.FromSeconds(1));
        foreach (var v in fleet.Where(v => !v.WithinLimits))
            logger?.LogWarning("Vehicle {VehicleId} is left out of planning: its capacity or costs are outside the limits", v.Id);
        fleet.RemoveAll(v => !v.WithinLimits);
        return fleet;
    }

    /// <summary>The end of the hours this run offers any vehicle: the latest end of their windows (an open-ended one runs to
    /// the horizon), never past the horizon, as <see cref="Request"/> gives them to the planner.</summary>
    private static DateTimeOffset Reach(IReadOnlyList<Vehicle> fleet, DateTimeOffset horizon) =>
        fleet.Max(v => v.AvailableUntil is { } until && until < horizon ? until : horizon);

    /// <summary>The route's stops that concern this one transfer — departure, its pickup, its delivery, return — with
    /// their places in the route. Not every stop: a shipment storing the whole route made a route of n shipments n² stops
    /// (a 250-shipment route wrote 29 KB per shipment and took 280 ms to read; load QA), and told each town where the
    /// vehicle calls for others. The route's own view joins its shipments' stops.</summary>
    private static ShipmentStop[] StopsFor(VehicleRoute route, string transferId, IReadOnlyDictionary<string, string> townOf)
    {
        var stops = new List<ShipmentStop>(4);
        for (var i = 0; i < route.Stops.Count; i++)
        {
            var stop = route.Stops[i];
            var action = i == 0 ? DepartAction
                : i == route.Stops.Count - 1 ? ReturnAction
                : stop.PickedUp.Contains(transferId) ? DirectTripPlanner.PickupAction
                : stop.Dropped.Contains(transferId) ? DirectTripPlanner.DeliveryAction
                : null;
            if (action is not null) stops.Add(new ShipmentStop(i + 1, townOf[stop.TownId], action, i == 0 ? stop.Departure : stop.Arrival));
        }
        return [.. stops];
    }

    /// <summary>
    /// Transfers: pickup from the leg's availability (not before now) until its end or the horizon; delivery any time
    /// after that within the horizon; at most <see cref="MaxRideTime"/> on board. Vehicles: their availability, clipped
    /// to [now, horizon] when open-ended; each route at most their <c>maxRouteHours</c> or <c>Logistics:MaxRouteHours</c>.
    /// </summary>
    public static PlanRequest Request(IReadOnlyList<TransferOrder> transfers, IReadOnlyList<Vehicle> fleet, DateTimeOffset now,
        LogisticsOptions settings, TimeSpan? timeLimit = null)
    {
        var horizon = now + settings.PlanningHorizon;
        // A window may reach the end of the calendar, where the planner's date arithmetic overflows and fails the whole
        // run. Legs and vehicles are clipped alike (the API refuses vehicles beyond it; older rows may hold more), so
        // clipping changes no plan.
        var farthest = now + Vehicle.MaxAvailabilityAhead;
        DateTimeOffset Clip(DateTimeOffset time) => time < farthest ? time : farthest;
        var distances = new DistanceModel(new DistanceSettings(settings.DetourFactor, settings.SpeedKmh));
        var places = new TownPlaces();
        var planned = transfers.Select(t =>
        {
            var opens = t.WindowFrom is { } from && from > now ? Clip(from) : now;
            var closes = t.WindowUntil is { } until ? Clip(until) : horizon;
            var deliveryCloses = closes > horizon ? closes : horizon;
            var (pickup, delivery, chilled) = (places.Of(t.FromTown, t.From), places.Of(t.ToTown, t.To), settings.IsChilled(t.Category));
            return new PlannerTransfer(t.Id.ToString(), pickup, delivery, t.WeightKg, null, chilled, new TimeWindow(opens, closes),
                new TimeWindow(opens, deliveryCloses), settings.ServiceTime, MaxRideTime(distances.Seconds(pickup, delivery), chilled, settings));
        }).ToList();
        var vehicles = fleet.Select(v =>
        {
            var from = v.AvailableFrom is { } f && f > now ? Clip(f) : now;
            return new PlannerVehicle(v.Id, places.Of(v.HomeTown, v.Home), v.CapacityKg, v.VolumeM3, v.Chilled, v.CostPerKm, v.FixedCost,
                new TimeWindow(from, v.AvailableUntil is { } until ? Clip(until) : horizon),
                settings.RouteHoursOf(v) is { } hours ? TimeSpan.FromHours(hours) : null);
        }).ToList();
        return new PlanRequest(planned, vehicles, new DistanceSettings(settings.DetourFactor, settings.SpeedKmh),
            new PlannerOptions(timeLimit is { } limit && limit > TimeSpan.Zero && limit < settings.PlanningTimeLimit ? limit : settings.PlanningTimeLimit));
    }

    /// <summary>
    /// The longest a leg may stay on board: <c>Logistics:RideTimeFactor</c> × its direct drive + the slack (tighter for
    /// chilled goods); null when the factor is 0. A factor and a slack rather than a fixed time: a leg across the region
    /// may take longer than one to the next village, but neither should ride hours out of its way (docs/logistics.md).
    /// The factor is at least 1, so a direct trip always keeps the limit.
    /// </summary>
    public static TimeSpan? MaxRideTime(long driveSeconds, bool chilled, LogisticsOptions settings) =>
        settings.RideTimeFactor > 0
            ? TimeSpan.FromSeconds(settings.RideTimeFactor * driveSeconds) + (chilled ? settings.ChilledRideTimeSlack : settings.RideTimeSlack)
            : null;

    /// <summary>
    /// The planner knows a place by its town id (no distance within a town, one depot per town, consecutive stops in one
    /// town merged), but one town may come with several points: legs agreed before and after the town moved keep the
    /// points they were agreed on, and a van's home is wherever its town registered it. The first point of a town keeps
    /// the town's id; each other point is a place of its own ("42187 at 46.0867,4.0683"), so the plan drives between
    /// them and its check measures the same drives. <see cref="TownOf"/> reads the town back.
    /// </summary>
    private sealed class TownPlaces
    {
        private readonly Dictionary<string, List<Place>> _byTown = new(StringComparer.Ordinal);

        public Place Of(string town, TradePoint point)
        {
            var at = new GeoPoint(point.Lat, point.Lon);
            if (!_byTown.TryGetValue(town, out var known)) _byTown[town] = known = [];
            if (known.Find(p => p.Point == at) is { } place) return place;
            // Coordinates in full (the shortest text that reads back as the same number): rounded, two points a hair apart
            // were one name at two points, which the planner refuses, failing every run while both were stored.
            place = new Place(known.Count == 0 ? town : FormattableString.Invariant($"{town} at {point.Lat:R},{point.Lon:R}"), at);
            known.Add(place);
            return place;
        }
    }

    /// <summary>The town of each place of <paramref name="request"/> (<see cref="TownPlaces"/>).</summary>
    private static Dictionary<string, string> TownOf(PlanRequest request, IReadOnlyDictionary<string, TransferOrder> transfers,
        IReadOnlyDictionary<string, Vehicle> vehicles)
    {
        var towns = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var t in request.Transfers)
        {
            towns[t.Pickup.TownId] = transfers[t.Id].FromTown;
            towns[t.Delivery.TownId] = transfers[t.Id].ToTown;
        }
        foreach (var v in request.Vehicles) towns[v.Home.TownId] = vehicles[v.Id].HomeTown;
        return towns;
    }
}
