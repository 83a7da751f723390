using MassTransit;
using TradeNet.Contracts;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Storage;
using TradeNet.Shared.Hosting;

namespace TradeNet.Matching.Consumers;

/// <summary>Marks a leg of an agreed trade picked up: its goods have left, so an operator can no longer cancel the trade.
/// A pickup whose trip has already been reported failed is not taken (see <see cref="TradeLegState"/>); one that arrives
/// after the leg's delivery (the events' queues do not keep their order) is recorded, even on a completed trade. Of two
/// trips' pickups the later one is kept, whichever arrives first, so the failure of the earlier trip cannot clear it.</summary>
public sealed class ShipmentPickedUpConsumer(IMatchingStore store, ILogger<ShipmentPickedUpConsumer> logger) : IConsumer<ShipmentPickedUp>
{
    public async Task Consume(ConsumeContext<ShipmentPickedUp> context)
    {
        var message = context.Message;
        var ct = context.CancellationToken;
        await using var session = await store.BeginAsync(ct);
        if (!await session.TryConsumeAsync(context.RequireMessageId(), "matching.shipment-picked-up", ct)) return;
        var trade = await session.GetTradeAsync(message.TradeId, ct);
        var leg = trade?.Legs.FirstOrDefault(l => l.Leg.Index == message.LegIndex);
        TradeNetTelemetry.LinkTo(System.Diagnostics.Activity.Current, trade?.TraceParent);
        // The pickup and delivery events travel on separate queues: a pickup may arrive after the delivery completed the
        // trade. It is still the leg's history, so a delivered leg takes it whatever the trade's status.
        if (trade is null || leg is null || (trade.Status != TradeStatus.Agreed && !leg.Delivered))
            // Logistics refuses pickups of a trade it stopped, so a cancelled trade here was cancelled before cancellations
            // were decided there (an older version), or this is a redelivery.
            logger.LogWarning("Pickup of shipment {ShipmentId} ignored: trade {TradeId} leg {LegIndex} is unknown or not agreed ({Status})",
                message.ShipmentId, message.TradeId, message.LegIndex, trade?.Status.ToString() ?? "unknown");
        else if (leg.LastFailedAt is { } failedAt && message.At <= failedAt)
            logger.LogInformation("Pickup of shipment {ShipmentId} (trade {TradeId} leg {LegIndex}) at {At:O} ignored: the trip failed at {FailedAt:O}",
                message.ShipmentId, trade.Id, leg.Leg.Index, message.At, failedAt);
        else if (leg.PickedUp && leg.PickedUpAt is { } known && message.At <= known)
            // A leg's trips follow one another: the pickup kept is the latest trip's, so a later failure of an earlier
            // trip (reported before or after) cannot clear it. An earlier trip's pickup arriving now is its history only.
            logger.LogInformation("Pickup of shipment {ShipmentId} (trade {TradeId} leg {LegIndex}) at {At:O} ignored: the leg holds a later pickup at {Known:O}",
                message.ShipmentId, trade.Id, leg.Leg.Index, message.At, known);
        else
        {
            var updated = trade.WithLeg(leg.Leg.Index, s => s with { PickedUp = true, PickedUpAt = message.At });
            if (!await session.UpdateTradeAsync(updated, ct))
                throw new TradeChangedException($"Trade {trade.Id} changed while recording a pickup; the message will be retried.");
            logger.LogInformation("Trade {TradeId} leg {LegIndex} picked up (shipment {ShipmentId})", trade.Id, leg.Leg.Index, message.ShipmentId);
        }
        await session.CommitAsync(ct);
    }
}

/// <summary>Marks a leg delivered; when every leg is, the trade is completed (TradeCompleted). A cancelled trade's legs that
/// arrived were named by logistics when it stopped the trade, so their delivery is already recorded. A delivery on a
/// cancelled trade that is not (possible only for trades cancelled before logistics decided cancellations: goods picked
/// up before it heard of one) is recorded on the leg with a warning; the trade stays cancelled.</summary>
public sealed class ShipmentDeliveredConsumer(IMatchingStore store, ILogger<ShipmentDeliveredConsumer> logger) : IConsumer<ShipmentDelivered>
{
    public async Task Consume(ConsumeContext<ShipmentDelivered> context)
    {
        var message = context.Message;
        var ct = context.CancellationToken;
        await using var session = await store.BeginAsync(ct);
        if (!await session.TryConsumeAsync(context.RequireMessageId(), "matching.shipment-delivered", ct)) return;
        var trade = await session.GetTradeAsync(message.TradeId, ct);
        var leg = trade?.Legs.FirstOrDefault(l => l.Leg.Index == message.LegIndex);
        // The carrier's report began its own trace; tie it to the trade's.
        TradeNetTelemetry.LinkTo(System.Diagnostics.Activity.Current, trade?.TraceParent);
        if (trade is null || leg is null)
            logger.LogWarning("Delivery of shipment {ShipmentId} names an unknown trade {TradeId} leg {LegIndex}", message.ShipmentId, message.TradeId, message.LegIndex);
        else if (trade.Status == TradeStatus.Cancelled && !leg.Delivered)
        {
            // Goods picked up before logistics heard of an older cancellation arrived although catalog has released the
            // reservation. The trade stays cancelled; the leg keeps the delivery so an operator can settle it.
            var updated = trade.WithLeg(leg.Leg.Index, s => s with { Delivered = true, DeliveredAt = message.At });
            if (!await session.UpdateTradeAsync(updated, ct))
                throw new TradeChangedException($"Trade {trade.Id} changed while recording a delivery; the message will be retried.");
            logger.LogWarning("Trade {TradeId} leg {LegIndex} was delivered (shipment {ShipmentId}) after the trade was cancelled ({Reason}): "
                + "the goods moved after cancellation and an operator must settle them", trade.Id, leg.Leg.Index, message.ShipmentId, trade.Reason);
        }
        else if (trade.Status != TradeStatus.Agreed || leg.Delivered)
            logger.LogInformation("Delivery of trade {TradeId} leg {LegIndex} ignored: trade is {Status}, leg delivered: {Delivered}",
                trade.Id, leg.Leg.Index, trade.Status, leg.Delivered);
        else
        {
            var updated = trade.WithLeg(leg.Leg.Index, s => s with { Delivered = true, DeliveredAt = message.At });
            if (updated.AllDelivered) updated = updated with { Status = TradeStatus.Completed };
            if (!await session.UpdateTradeAsync(updated, ct))
                throw new TradeChangedException($"Trade {trade.Id} changed while recording a delivery; the message will be retried.");
            if (updated.Status == TradeStatus.Completed)
            {
                session.Publish(new TradeCompleted(trade.Id, updated.ContractLegs));
                logger.LogInformation("Trade {TradeId} completed", trade.Id);
            }
        }
        await session.CommitAsync(ct);
    }
}

/// <summary>
/// Records a failed shipment on its leg and keeps the trade agreed: the goods are still owed, and logistics
/// may plan the leg again (a later ShipmentDelivered completes it). Cancelling an agreed trade is a decision
/// for an operator, not an automatic reaction to one failed trip. A cancelled trade records it too: logistics lets an
/// operator's cancel through once the trip failed, so the cancellation can be written here before this event is read,
/// and without it the cancelled trade would keep the leg picked up, as if its goods were still on the road. A completed
/// trade records it too: the failure is of an earlier trip of a leg since delivered (a delivered leg never fails), whose
/// report arrived after the delivery that completed the trade; it is the leg's history as in order, and changes no status.
/// </summary>
public sealed class ShipmentFailedConsumer(IMatchingStore store, ILogger<ShipmentFailedConsumer> logger) : IConsumer<ShipmentFailed>
{
    public async Task Consume(ConsumeContext<ShipmentFailed> context)
    {
        var message = context.Message;
        var ct = context.CancellationToken;
        await using var session = await store.BeginAsync(ct);
        if (!await session.TryConsumeAsync(context.RequireMessageId(), "matching.shipment-failed", ct)) return;
        var trade = await session.GetTradeAsync(message.TradeId, ct);
        if (trade?.Legs.Any(l => l.Leg.Index == message.LegIndex) == true
            && trade.Status is TradeStatus.Agreed or TradeStatus.Cancelled or TradeStatus.Completed)
        {
            // The trip carried nothing in the end: a pickup reported at or before this failure no longer holds the leg.
            // The view shows the leg's latest failure: an earlier trip's failure arriving after a later one's keeps it.
            var updated = trade.WithLeg(message.LegIndex, s => s with
            {
                Failure = s.LastFailedAt is { } later && later > message.At ? s.Failure : $"{message.At:O}: {message.Reason}",
                LastFailedAt = s.LastFailedAt is { } earlier && earlier > message.At ? earlier : message.At,
                PickedUp = s.PickedUp && s.PickedUpAt > message.At,
                PickedUpAt = s.PickedUp && s.PickedUpAt > message.At ? s.PickedUpAt : null,
            });
            if (!await session.UpdateTradeAsync(updated, ct))
                throw new TradeChangedException($"Trade {trade.Id} changed while recording a failed shipment; the message will be retried.");
            logger.LogWarning("Shipment {ShipmentId} of trade {TradeId} leg {LegIndex} failed: {Reason}",
                message.ShipmentId, trade.Id, message.LegIndex, message.Reason);
        }
        else
            logger.LogWarning("Failed shipment {ShipmentId} ignored: trade {TradeId} leg {LegIndex} is unknown, or was never agreed",
                message.ShipmentId, message.TradeId, message.LegIndex);
        await session.CommitAsync(ct);
    }
}
