using System.Diagnostics;
using Microsoft.Extensions.Options;
using TradeNet.Contracts;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Storage;
using TradeNet.Shared.Hosting;

namespace TradeNet.Logistics.Planning;

/// <summary>What one planning run did.</summary>
public sealed record PlanningRun(int Pending, IReadOnlyList<Shipment> Shipments, int Skipped, TimeSpan Duration)
{
    public IReadOnlyList<Guid> Routes => Shipments.Select(s => s.RouteId).Distinct().ToList();
    public double Cost => Shipments.Sum(s => s.Cost);
}

/// <summary>
/// The Plan step. With no vehicle registered a trade's transfers are planned as direct trips as soon as it is agreed
/// (the foundation's behaviour); once carriers have vehicles, transfers wait for a planning run (scheduled or on
/// request) that routes ALL pending transfers together, so legs of different trades share vehicles. What the planner
/// placed is written with transfer status and ShipmentPlanned events in one session.
/// </summary>
public sealed class ShipmentPlanning(IShipmentPlanner planner, TimeProvider clock, IOptions<LogisticsOptions> options,
    ILogger<ShipmentPlanning> logger)
{
    private readonly DutyRules _duty = DutyRules.Of(options.Value);

    // One run at a time per process: a scheduled run and a requested one would otherwise plan the same transfers twice
    // (the second would then find them no longer pending and skip them, wasting its time budget).
    private readonly SemaphoreSlim _run = new(1, 1);

    public static readonly TimeSpan ReplanTimeLimit = TimeSpan.FromMilliseconds(300);

    /// <summary>Ended shipments a run reads for the drivers' duties: a delivery due up to a whole route before its return,
    /// so a day further back than the duty's lookback.</summary>
    public static DateTimeOffset EndedSince(DateTimeOffset now, DutyRules duty) => now - duty.Lookback - TimeSpan.FromHours(Vehicle.MaxRouteHoursLimit);

    /// <summary>On agreement: plans at once when there is no fleet; otherwise leaves the transfers to the next run.</summary>
    public async Task<IReadOnlyList<Shipment>> PlanAgreedAsync(ILogisticsSession session, IReadOnlyList<TransferOrder> created, CancellationToken ct)
    {
        if (created.Count == 0) return [];
        var fleet = await FleetAsync(session, ct);
        if (fleet.Count > 0)
        {
            logger.LogInformation("{Count} transfers of trade {Trade} wait for the next planning run", created.Count, created[0].TradeId);
            return [];
        }
        return await PlanAsync(session, created, fleet, ct);
    }

    /// <summary>The vehicles planning may use: all registered but those of towns the network suspended (withdrawn when
    /// logistics heard of it; one could only be left from the moments before, and is never given goods).</summary>
    private static async Task<IReadOnlyList<Vehicle>> FleetAsync(ILogisticsSession session, CancellationToken ct)
    {
        var (vehicles, suspended) = (await session.VehiclesAsync(ct), await session.SuspendedTownsAsync(ct));
        return suspended.Count == 0 ? vehicles : [.. vehicles.Where(v => !suspended.Contains(v.HomeTown))];
    }

    /// <summary>Plans the given transfers on the given fleet and records the shipments in the caller's session.</summary>
    public async Task<IReadOnlyList<Shipment>> PlanAsync(ILogisticsSession session, IReadOnlyList<TransferOrder> pending,
        IReadOnlyList<Vehicle> fleet, CancellationToken ct)
    {
        if (pending.Count == 0) return [];
        using var activity = TradeNetTelemetry.Source.StartActivity("plan shipments");
        var trades = pending.Select(t => t.TradeId).Distinct().ToList();
        if (trades.Count == 1) activity?.SetTag(TradeNetTelemetry.TradeId, trades[0].ToString());
        activity?.SetTag("tradenet.transfers", pending.Count);

        var now = clock.GetUtcNow();
        var watch = Stopwatch.StartNew();
        var planned = await planner.PlanAsync(pending, new PlanningContext(now, fleet), ct);
        TradeNetTelemetry.PlanningDuration.Record(watch.Elapsed.TotalSeconds);
        var shipments = await RecordAsync(session, pending, planned, now, ct);
        activity?.SetTag("tradenet.shipments", shipments.Count);
        return shipments;
    }

    private static async Task<IReadOnlyList<Shipment>> RecordAsync(ILogisticsSession session, IReadOnlyList<TransferOrder> pending,
        IReadOnlyList<PlannedShipment> planned, DateTimeOffset now, CancellationToken ct)
    {
        var known = pending.Select(t => t.Id).ToHashSet();
        var shipments = new List<Shipment>(planned.Count);
        foreach (var plan in planned)
        {
            if (!known.Remove(plan.Transfer.Id))
                throw new InvalidOperationException($"The planner placed transfer {plan.Transfer.Id} that was not pending or placed it twice.");
            var shipment = new Shipment(Guid.NewGuid(), plan.Transfer.TradeId, plan.Transfer.LegIndex, plan.Transfer.Id,
                plan.Transfer.FromTown, plan.Transfer.ToTown, plan.CarrierTown, plan.VehicleId, plan.RouteId, ShipmentStatus.Planned,
                plan.DistanceKm, plan.Cost, plan.Eta, plan.Stops, now, DirectTrip: plan.DirectTrip);
            await session.AddShipmentAsync(shipment, ct);
            TradeNetTelemetry.RouteCost.Record(shipment.Cost);
            await session.SetTransferStatusAsync(plan.Transfer.Id, TransferStatus.Planned, ct);
            session.Publish(Planned(shipment));
            shipments.Add(shipment);
        }
        return shipments;
    }

    private static ShipmentPlanned Planned(Shipment s) =>
        new(s.Id, s.TradeId, s.LegIndex, s.VehicleId, s.RouteId, [.. s.Stops], s.Eta);

    /// <summary>
    /// A planning run over all pending transfers (oldest first, at most <paramref name="max"/>). The planner runs
    /// outside any write so consumers are not held up for its time budget; the result is written afterwards, route by
    /// route, skipping a route if any of its transfers stopped being pending meanwhile (cancelled) or its vehicle was
    /// withdrawn, changed or booked by another run: those transfers stay for the next run.
    /// </summary>
    public async Task<PlanningRun> PlanPendingAsync(ILogisticsStore store, int max, CancellationToken ct)
    {
        await _run.WaitAsync(ct);
        // The schedule starts no trace: without a span of its own, each ShipmentPlanned a scheduled run wrote went out
        // from the outbox as a trace of its own, apart from the route planning and from the trade's agreement. Only a run
        // with something to plan, or one that failed, has one (from its first read), so an idle schedule adds nothing.
        var startedAt = DateTimeOffset.UtcNow;
        Activity? activity = null;
        try
        {
            var started = Stopwatch.StartNew();
            IReadOnlyList<TransferOrder> pending;
            IReadOnlyList<Vehicle> registered, fleet;
            await using (var read = await store.BeginAsync(ct))
            {
                registered = await FleetAsync(read, ct);
                var readAt = clock.GetUtcNow();
                fleet = VehicleBookings.FreeFrom(registered, await read.ActiveShipmentsAsync(ct), readAt, _duty,
                    await read.EndedShipmentsAsync(EndedSince(readAt, _duty), ct));
                // Legs ready only after the hours the run offers its vehicles wait (FleetShipmentPlanner): read, they took
                // the run's places, and older ones ready tomorrow kept legs ready today out of every run until then.
                pending = await read.PendingTransfersAsync(max, planner.ReadyBefore(new PlanningContext(readAt, fleet, Registered: registered.Count)), ct);
            }
            if (pending.Count == 0) return new PlanningRun(0, [], 0, started.Elapsed);

            activity = RunSpan(startedAt);
            activity?.SetTag("tradenet.transfers", pending.Count);
            var run = await PlanAndWriteAsync(store, pending, registered, fleet, started, ct);
            activity?.SetTag("tradenet.shipments", run.Shipments.Count);
            activity?.SetTag("tradenet.skipped", run.Skipped);
            await LinkToAgreementsAsync(activity, store, run.Shipments, ct);
            return run;
        }
        catch (Exception ex) when (ex is not ConcurrencyConflictException && !(ex is OperationCanceledException && ct.IsCancellationRequested))
        {
            // A run that lost a race to another is no failure (a 409; its transfers wait for the next run), nor is a stop.
            // A store down fails the first read, before the run knows it has anything to plan: it gets its span now.
            activity ??= RunSpan(startedAt);
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            activity?.AddException(ex);
            throw;
        }
        finally
        {
            activity?.Dispose();
            _run.Release();
        }
    }

    /// <summary>The run's span, begun when the run began (its first read), under whatever span asked for the run.</summary>
    private static Activity? RunSpan(DateTimeOffset startedAt) =>
        TradeNetTelemetry.Source.StartActivity("planning run", ActivityKind.Internal, parentContext: default, startTime: startedAt);

    private async Task<PlanningRun> PlanAndWriteAsync(ILogisticsStore store, IReadOnlyList<TransferOrder> pending,
        IReadOnlyList<Vehicle> registered, IReadOnlyList<Vehicle> fleet, Stopwatch started, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var planned = await planner.PlanAsync(pending, new PlanningContext(now, fleet, Registered: registered.Count), ct);

        await using var session = await store.BeginAsync(ct);
        var stillPending = (await session.PendingTransfersAsync(int.MaxValue, ct: ct)).ToDictionary(t => t.Id);
        // The vehicle as the planner was offered it must still be offered so now, in this write: one withdrawn or
        // changed meanwhile (capacity, hours, home), its town suspended, or booked by another replica's run (its free hours moved), is
        // not the one it planned for. Direct trips use no registered vehicle.
        var registeredIds = registered.Select(v => v.Id).ToHashSet();
        var offered = fleet.ToDictionary(v => v.Id);
        var offeredNow = VehicleBookings.FreeFrom(await FleetAsync(session, ct), await session.ActiveShipmentsAsync(ct), now, _duty,
                await session.EndedShipmentsAsync(EndedSince(now, _duty), ct))
            .ToDictionary(v => v.Id);
        var writable = planned.GroupBy(p => p.RouteId)
            .Where(route => route.All(p => stillPending.ContainsKey(p.Transfer.Id)))
            .Where(route => route.First().VehicleId is var id && (!registeredIds.Contains(id)
                || (offered.TryGetValue(id, out var before) && offeredNow.TryGetValue(id, out var current) && current == before)))
            .SelectMany(route => route).ToList();
        // Booked on the vehicles as this write read them: a change of one committing meanwhile checked the goods planned
        // on it without these routes (MongoDB; SQLite serialises), so one of the two must lose (a 409; the next run plans them).
        await session.GuardVehiclesAsync(writable.Select(p => p.VehicleId).Where(registeredIds.Contains).Distinct().ToList(), ct);
        var shipments = await RecordAsync(session, writable.Select(p => stillPending[p.Transfer.Id]).ToList(), writable, now, ct);
        await session.CommitAsync(ct);
        var skipped = pending.Count - shipments.Count;
        if (skipped > 0) logger.LogInformation("Planning run: {Skipped} transfers or their vehicles changed meanwhile, or were not placed; they wait for the next run", skipped);
        return new PlanningRun(pending.Count, shipments, skipped, started.Elapsed);
    }

    /// <summary>The most trades a run's span links to: OpenTelemetry keeps 128 links a span unless told otherwise.</summary>
    private const int MaxLinkedTrades = 128;

    /// <summary>How long a run reads its trades' traces for its links, all reads together. They come after the commit but
    /// before the run returns and lets the next run in: up to 128 reads on a slow store held a POST /plans answer and the
    /// schedule's next run for as long as the store took.</summary>
    internal static readonly TimeSpan LinkReadBudget = TimeSpan.FromSeconds(1);

    /// <summary>Links the run to the trace in which logistics received each planned trade's agreement, as a carrier's report
    /// does: from a trade's ShipmentPlanned sends the operator reaches the run, and from the run the trade's agreement. Read
    /// after the run committed, so a read that fails or runs out of <see cref="LinkReadBudget"/> costs the links only, never
    /// the run.</summary>
    private async Task LinkToAgreementsAsync(Activity? activity, ILogisticsStore store, IReadOnlyList<Shipment> shipments, CancellationToken ct)
    {
        if (activity is null) return;
        var trades = shipments.Select(s => s.TradeId).Distinct().ToList();
        if (trades.Count == 1) activity.SetTag(TradeNetTelemetry.TradeId, trades[0].ToString());
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(ct);
        budget.CancelAfter(LinkReadBudget);
        try
        {
            foreach (var trade in trades.Take(MaxLinkedTrades))
                TradeNetTelemetry.LinkTo(activity, await store.TradeTraceAsync(trade, budget.Token));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogDebug(ex, "Planning run: the trades' traces could not be read; its span links to none or some of them");
        }
    }

    /// <summary>
    /// After a cancellation: routes that lost shipments are planned again. If nothing on a route has been picked up,
    /// its remaining transfers are re-routed on the same vehicle within the hours its other routes and its driver's duty
    /// leave free, as a planning run would offer it (<see cref="VehicleBookings.FreeAround"/>, <see cref="DutyRules"/>; new
    /// route id, new stops and cost shares; the same shipment ids, announced again with ShipmentPlanned). Otherwise —
    /// goods on board, the vehicle withdrawn, no free hours, not everything fits on it, or the new route would leave its
    /// later routes beyond the duty — the vehicle keeps its route
    /// and only drops the stops that served cancelled legs alone; the cost shares stay as planned.
    /// </summary>
    public async Task ReplanRoutesAsync(ILogisticsSession session, IEnumerable<Guid> routeIds, CancellationToken ct)
    {
        foreach (var routeId in routeIds.Distinct())
        {
            var onRoute = await session.ShipmentsOfRouteAsync(routeId, ct);
            var remaining = onRoute.Where(s => s.Status is ShipmentStatus.Planned or ShipmentStatus.PickedUp).ToList();
            if (remaining.Count == 0) continue;
            using var activity = TradeNetTelemetry.Source.StartActivity("re-plan route");
            activity?.SetTag("tradenet.route_id", routeId.ToString());
            // A shipment picked up, delivered or failed means the vehicle set out: it is on the route, not at home.
            var setOut = onRoute.Any(s => s.Status is not (ShipmentStatus.Planned or ShipmentStatus.Cancelled));
            if (setOut) logger.LogInformation("Route {Route} keeps its plan after a cancellation: its vehicle has set out on it", routeId);
            var rerouted = !setOut && await RerouteAsync(session, routeId, remaining, ct);
            if (!rerouted) await SkipCancelledStopsAsync(session, remaining, ct);
        }
    }

    /// <summary>False, with nothing written, when the route cannot be re-planned as a whole on its vehicle.</summary>
    private async Task<bool> RerouteAsync(ILogisticsSession session, Guid routeId, IReadOnlyList<Shipment> remaining, CancellationToken ct)
    {
        var vehicleId = remaining[0].VehicleId;
        // A withdrawn vehicle keeps its planned routes but is planned no more; handing its goods to the giving towns
        // (the direct-trip fallback) would make them carriers nobody asked.
        if (await session.VehicleAsync(vehicleId, ct) is not { } vehicle || (await session.SuspendedTownsAsync(ct)).Contains(vehicle.HomeTown))
        {
            logger.LogInformation("Route {Route} keeps its plan after a cancellation: vehicle {Vehicle} was withdrawn or its town suspended", routeId, vehicleId);
            return false;
        }
        var now = clock.GetUtcNow();
        // As in a planning run, the vehicle is offered only for hours its other routes and its driver's duty leave free.
        var active = await session.ActiveShipmentsAsync(ct);
        var ended = await session.EndedShipmentsAsync(EndedSince(now, _duty), ct);
        if (VehicleBookings.FreeAround(vehicle, routeId, active, now, _duty, ended) is not { } free)
        {
            logger.LogInformation("Route {Route} keeps its plan after a cancellation: vehicle {Vehicle} has no free hours for a new one " +
                "(its other routes, or its driver's duty, leave none)", routeId, vehicleId);
            return false;
        }
        var transfers = new List<TransferOrder>();
        foreach (var trade in remaining.GroupBy(s => s.TradeId))
        {
            var ofTrade = await session.TransfersOfTradeAsync(trade.Key, ct);
            transfers.AddRange(trade.Select(s => ofTrade.Single(t => t.Id == s.TransferId)));
        }
        // A handful of transfers on one vehicle: a short budget keeps the consumer's write short.
        // Fleet only: the direct-trip fallback would hand legs to other carriers.
        var planned = await planner.PlanAsync(transfers, new PlanningContext(now, [free], ReplanTimeLimit, FleetOnly: true), ct);
        // All or nothing: a part on a new route and a part on the old one would put the vehicle on both at once.
        if (planned.Count != transfers.Count || planned.Any(p => p.VehicleId != vehicle.Id) || planned.Select(p => p.RouteId).Distinct().Count() != 1)
        {
            logger.LogInformation("Route {Route} keeps its plan after a cancellation: vehicle {Vehicle} cannot carry all its remaining legs in its free hours",
                routeId, vehicleId);
            return false;
        }
        // A route that ends later than before may join the next route's duty: the routes after it must still keep it.
        var route = (Leaves: planned.Min(p => p.Stops[0].Eta), Back: planned.Max(p => p.Stops[^1].Eta));
        if (!VehicleBookings.KeepsDuty(vehicle, routeId, route, active, ended, _duty))
        {
            logger.LogInformation("Route {Route} keeps its plan after a cancellation: re-planned it would leave vehicle {Vehicle}'s later routes " +
                "beyond its driver's duty", routeId, vehicleId);
            return false;
        }
        // Booked on the vehicle as this write read it, as a planning run's write is: a change of it (or a run booking its hours)
        // committing meanwhile decided without this route (MongoDB; SQLite serialises), so one of the two must lose. Losing
        // fails the whole stop, cancellation included, which its caller runs again (the consumer's message retry, StopTrade's).
        await session.GuardVehiclesAsync([vehicle.Id], ct);
        foreach (var plan in planned)
        {
            var shipment = remaining.Single(s => s.TransferId == plan.Transfer.Id);
            var updated = shipment with
            {
                CarrierTown = plan.CarrierTown, VehicleId = plan.VehicleId, RouteId = plan.RouteId, DistanceKm = plan.DistanceKm,
                Cost = plan.Cost, Eta = plan.Eta, Stops = plan.Stops, Version = shipment.Version + 1,
            };
            await session.UpdateShipmentAsync(updated, shipment.Version, ct);
            session.Publish(Planned(updated));
        }
        logger.LogInformation("Re-planned {Count} shipments after a cancellation: route cost now {Cost:F2}", planned.Count, planned.Sum(p => p.Cost));
        return true;
    }

    private static async Task SkipCancelledStopsAsync(ILogisticsSession session, IReadOnlyList<Shipment> remaining, CancellationToken ct)
    {
        var served = remaining.SelectMany(s => s.Stops)
            .Where(x => x.Action is DirectTripPlanner.PickupAction or DirectTripPlanner.DeliveryAction)
            .Select(x => x.Sequence).ToHashSet();
        foreach (var shipment in remaining)
        {
            var stops = shipment.Stops.Where(x => x.Action != FleetShipmentPlanner.ViaAction || served.Contains(x.Sequence)).ToArray();
            if (stops.Length == shipment.Stops.Count) continue;
            await session.UpdateShipmentAsync(shipment with { Stops = stops, Version = shipment.Version + 1 }, shipment.Version, ct);
        }
    }
}
