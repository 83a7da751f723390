using System.Diagnostics;
using MassTransit;
using TradeNet.Contracts;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Planning;
using TradeNet.Logistics.Storage;
using TradeNet.Shared.Hosting;

namespace TradeNet.Logistics.Messaging;

/// <summary>A cancelled trade's transfers and shipments that have not left yet are cancelled and the routes they were
/// on re-planned; goods already picked up finish their trip (or fail) through the carrier.</summary>
public sealed class TradeCancelledConsumer(ILogisticsStore store, ShipmentPlanning planning, TimeProvider clock) : IConsumer<TradeCancelled>
{
    public const string Name = "logistics.trade-cancelled";

    public async Task Consume(ConsumeContext<TradeCancelled> context)
    {
        var trade = context.Message;
        var ct = context.CancellationToken;
        Activity.Current?.SetTag(TradeNetTelemetry.TradeId, trade.TradeId.ToString());

        await using var session = await store.BeginAsync(ct);
        if (!await session.TryConsumeAsync(context.MessageId!.Value, Name, ct)) return;
        // An agreement and a cancellation of one trade, consumed at once, must not both decide on what the other has
        // not written yet (transfers planned for a cancelled trade).
        await session.SerializeTradeAsync(trade.TradeId, ct);
        var now = clock.GetUtcNow();
        await session.MarkTradeCancelledAsync(trade.TradeId, trade.Reason ?? "", now, ct);

        var moving = new HashSet<Guid>(); // transfers with goods already on the road (or delivered); a failed trip carries nothing
        var affectedRoutes = new List<Guid>();
        foreach (var shipment in await session.ShipmentsOfTradeAsync(trade.TradeId, ct))
        {
            var transition = ShipmentTransitions.Apply(shipment, ShipmentAction.Cancel, now);
            if (transition.Kind == TransitionKind.Applied)
            {
                await session.UpdateShipmentAsync(transition.Shipment, shipment.Version, ct);
                affectedRoutes.Add(shipment.RouteId);
            }
            else if (transition.Shipment.Status is ShipmentStatus.PickedUp or ShipmentStatus.Delivered)
                moving.Add(shipment.TransferId);
        }
        foreach (var transfer in await session.TransfersOfTradeAsync(trade.TradeId, ct))
        {
            if (transfer.Status != TransferStatus.Cancelled && !moving.Contains(transfer.Id))
                await session.SetTransferStatusAsync(transfer.Id, TransferStatus.Cancelled, ct);
        }
        // The vehicles that would have carried these legs get a new plan for the others they carry.
        await planning.ReplanRoutesAsync(session, affectedRoutes, ct);
        await session.CommitAsync(ct);
    }
}
