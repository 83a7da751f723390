using System.Diagnostics;
using TradeNet.Contracts;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Storage;
using TradeNet.Shared.Hosting;

namespace TradeNet.Logistics.Planning;

/// <summary>
/// The Plan step: hands pending transfers to the planner and records what it placed, inside the caller's
/// write session (shipments, transfer status and ShipmentPlanned events commit together). The consumers
/// plan a trade's transfers as soon as it is agreed; <see cref="PlanPendingAsync"/> is the entry point for
/// a scheduled run once the route planner batches transfers.
/// </summary>
public sealed class ShipmentPlanning(IShipmentPlanner planner, TimeProvider clock)
{
    public async Task<IReadOnlyList<Shipment>> PlanAsync(ILogisticsSession session, IReadOnlyList<TransferOrder> pending, CancellationToken ct)
    {
        if (pending.Count == 0) return [];
        using var activity = TradeNetTelemetry.Source.StartActivity("plan shipments");
        var trades = pending.Select(t => t.TradeId).Distinct().ToList();
        if (trades.Count == 1) activity?.SetTag(TradeNetTelemetry.TradeId, trades[0].ToString());
        activity?.SetTag("tradenet.transfers", pending.Count);

        var now = clock.GetUtcNow();
        var watch = Stopwatch.StartNew();
        var planned = await planner.PlanAsync(pending, new PlanningContext(now), ct);
        TradeNetTelemetry.PlanningDuration.Record(watch.Elapsed.TotalSeconds);
        var known = pending.Select(t => t.Id).ToHashSet();
        var shipments = new List<Shipment>(planned.Count);
        foreach (var plan in planned)
        {
            if (!known.Remove(plan.Transfer.Id))
                throw new InvalidOperationException($"The planner placed transfer {plan.Transfer.Id} that was not pending or placed it twice.");
            var shipment = new Shipment(Guid.NewGuid(), plan.Transfer.TradeId, plan.Transfer.LegIndex, plan.Transfer.Id,
                plan.Transfer.FromTown, plan.Transfer.ToTown, plan.CarrierTown, plan.VehicleId, plan.RouteId, ShipmentStatus.Planned,
                plan.DistanceKm, plan.Cost, plan.Eta, plan.Stops, now);
            await session.AddShipmentAsync(shipment, ct);
            TradeNetTelemetry.RouteCost.Record(shipment.Cost);
            await session.SetTransferStatusAsync(plan.Transfer.Id, TransferStatus.Planned, ct);
            session.Publish(new ShipmentPlanned(shipment.Id, shipment.TradeId, shipment.LegIndex, shipment.VehicleId,
                shipment.RouteId, [.. shipment.Stops], shipment.Eta));
            shipments.Add(shipment);
        }
        activity?.SetTag("tradenet.shipments", shipments.Count);
        return shipments;
    }

    /// <summary>Plans whatever transfers are still pending, oldest first, in one write.</summary>
    public async Task<IReadOnlyList<Shipment>> PlanPendingAsync(ILogisticsStore store, int max, CancellationToken ct)
    {
        await using var session = await store.BeginAsync(ct);
        var pending = await session.PendingTransfersAsync(max, ct);
        var shipments = await PlanAsync(session, pending, ct);
        await session.CommitAsync(ct);
        return shipments;
    }
}
