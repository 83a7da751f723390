using System.Diagnostics;
using TradeNet.Logistics.Planning;
using TradeNet.Logistics.Storage;
using TradeNet.Shared.Hosting;

namespace TradeNet.Logistics.Domain;

/// <summary>What stopping a trade came to. Refused: <see cref="LegsOnTheRoad"/> are picked up and neither delivered
/// nor failed, and nothing was written. <see cref="Delivered"/>: the legs whose goods arrived, with when. <see cref="First"/>:
/// this stop is the one that remembered the trade as cancelled (a repeat, or a trade stopped before, is not).</summary>
public sealed record StopOutcome(bool Stopped, IReadOnlyList<int> LegsOnTheRoad, IReadOnlyList<(int LegIndex, DateTimeOffset At)> Delivered,
    bool First = false);

/// <summary>
/// The one place a trade's goods are stopped, in the caller's session: the trade is remembered as cancelled (a late
/// TradeAgreed then creates nothing, a pickup of its cancelled shipments is illegal), its shipments not yet picked up
/// are cancelled, its transfers without goods on the road dropped, and the routes that lost a shipment re-planned.
/// Matching's operator cancellation asks for it over gRPC, refusing while goods are on the road; the TradeCancelled
/// consumer applies it afterwards (then it finds nothing left to do) and for trades cancelled without asking
/// (proposals, older senders), where goods on the road finish their trip.
/// </summary>
public sealed class TradeStops(ShipmentPlanning planning, TimeProvider clock)
{
    /// <param name="refuseWhileMoving">True: change nothing while a leg's goods are on the road (the caller disposes the
    /// session without committing). False: stop what has not left and let the goods on the road finish their trip.</param>
    public async Task<StopOutcome> StopAsync(ILogisticsSession session, Guid tradeId, string reason, bool refuseWhileMoving, CancellationToken ct)
    {
        Activity.Current?.SetTag(TradeNetTelemetry.TradeId, tradeId.ToString());
        // An agreement (or a planning run's write) and a stop of one trade must not both decide on what the other has
        // not written yet: on MongoDB one of them fails with a write conflict and is retried.
        await session.SerializeTradeAsync(tradeId, ct);
        var shipments = await session.ShipmentsOfTradeAsync(tradeId, ct);
        var onTheRoad = shipments.Where(s => s.Status == ShipmentStatus.PickedUp).Select(s => s.LegIndex).Distinct().Order().ToList();
        var delivered = shipments.Where(s => s.Status == ShipmentStatus.Delivered)
            .GroupBy(s => s.LegIndex).OrderBy(g => g.Key)
            .Select(g => (g.Key, g.Min(s => s.DeliveredAt ?? s.CreatedAt))).ToList();
        if (refuseWhileMoving && onTheRoad.Count > 0) return new StopOutcome(false, onTheRoad, delivered);

        var now = clock.GetUtcNow();
        var first = await session.MarkTradeCancelledAsync(tradeId, reason, now, ct);
        // Transfers whose goods left (or arrived); a failed trip carries nothing.
        var moving = shipments.Where(s => s.Status is ShipmentStatus.PickedUp or ShipmentStatus.Delivered).Select(s => s.TransferId).ToHashSet();
        var affectedRoutes = (await CancelPlannedAsync(session, shipments, now, ct)).Select(s => s.RouteId).ToList();
        foreach (var transfer in await session.TransfersOfTradeAsync(tradeId, ct))
        {
            if (transfer.Status is not (TransferStatus.Cancelled or TransferStatus.Delivered) && !moving.Contains(transfer.Id))
                await session.SetTransferStatusAsync(transfer.Id, TransferStatus.Cancelled, ct);
        }
        // The vehicles that would have carried these legs get a new plan for the others they carry, in this same write:
        // whoever stops the trade first re-plans, and a repeat finds no shipment left to cancel.
        await planning.ReplanRoutesAsync(session, affectedRoutes, ct);
        return new StopOutcome(true, onTheRoad, delivered, first);
    }

    /// <summary>Cancels those of the shipments that are still planned, in the caller's session, version-checked; returns
    /// them as cancelled. A cancellation publishes nothing: the leg is still owed (matching keeps its trade as it is) and
    /// nothing moved, so there is no failure to count. The one cancellation of shipments, for a stopped trade and for a
    /// route an operator re-plans (<see cref="RouteReplans"/>).</summary>
    public static async Task<IReadOnlyList<Shipment>> CancelPlannedAsync(ILogisticsSession session, IEnumerable<Shipment> shipments,
        DateTimeOffset now, CancellationToken ct)
    {
        var cancelled = new List<Shipment>();
        foreach (var shipment in shipments)
        {
            var transition = ShipmentTransitions.Apply(shipment, ShipmentAction.Cancel, now);
            if (transition.Kind != TransitionKind.Applied) continue;
            await session.UpdateShipmentAsync(transition.Shipment, shipment.Version, ct);
            cancelled.Add(transition.Shipment);
        }
        return cancelled;
    }
}
