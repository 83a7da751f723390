using System.Diagnostics;
using TradeNet.Logistics.Storage;
using TradeNet.Shared.Hosting;

namespace TradeNet.Logistics.Domain;

/// <summary>What an operator's re-plan of a route came to. <see cref="Refused"/> says why nothing was written;
/// otherwise <see cref="Transfers"/> are the legs put back to pending (their shipments cancelled).</summary>
public sealed record ReplanOutcome(bool Found, string? Refused, IReadOnlyList<TransferOrder> Transfers);

/// <summary>
/// An operator takes a route back before its vehicle sets out (a carrier that cannot go, a plan that went stale): its
/// planned shipments are cancelled and their legs go back to pending, so the next planning run plans them afresh,
/// on this vehicle or another. Unlike reporting the shipments failed it counts no attempt (nothing was tried) and tells
/// matching nothing (the legs are still owed: the trade stays agreed). Refused once anything on the route was picked
/// up, delivered or failed: the vehicle is then on its way, with goods on board or already handed over.
/// </summary>
public sealed class RouteReplans(TimeProvider clock, ILogger<RouteReplans> logger)
{
    /// <summary>In the caller's session; the caller commits when <see cref="ReplanOutcome.Refused"/> is null.</summary>
    public async Task<ReplanOutcome> ReplanAsync(ILogisticsSession session, Guid routeId, CancellationToken ct)
    {
        Activity.Current?.SetTag("tradenet.route_id", routeId.ToString());
        var onRoute = await session.ShipmentsOfRouteAsync(routeId, ct);
        if (onRoute.Count == 0) return new(false, null, []);
        // A stop of one of these trades decides on the same shipments: on MongoDB one of the two fails and is retried.
        foreach (var trade in onRoute.Select(s => s.TradeId).Distinct().Order()) await session.SerializeTradeAsync(trade, ct);
        if (onRoute.FirstOrDefault(s => s.Status is ShipmentStatus.PickedUp or ShipmentStatus.Delivered or ShipmentStatus.Failed) is { } started)
            return new(true, $"its vehicle has set out: shipment {started.Id} (trade {started.TradeId}, leg {started.LegIndex}) is "
                + $"{ShipmentTransitions.Describe(started.Status)}{Why(started.Status)}; report the route's stops done or failed instead", []);
        var cancelled = await TradeStops.CancelPlannedAsync(session, onRoute, clock.GetUtcNow(), ct);
        if (cancelled.Count == 0)
            return new(true, "nothing on it is planned any more (its shipments are cancelled: re-planned before, or their trades stopped)", []);

        var putBack = new List<TransferOrder>();
        foreach (var shipment in cancelled)
        {
            // Only a leg this route was carrying: one its trade's stop cancelled (or delivered) stays as it is.
            if (await session.TransferAsync(shipment.TransferId, ct) is not { Status: TransferStatus.Planned } transfer) continue;
            await session.SetTransferStatusAsync(transfer.Id, TransferStatus.Pending, ct);
            putBack.Add(transfer with { Status = TransferStatus.Pending });
        }
        logger.LogInformation("Route {Route} taken back for re-planning: {Shipments} shipments cancelled, {Transfers} transfers pending for the next planning run",
            routeId, cancelled.Count, putBack.Count);
        return new(true, null, [.. putBack.OrderBy(t => t.TradeId).ThenBy(t => t.LegIndex)]);
    }

    private static string Why(ShipmentStatus status) => status switch
    {
        ShipmentStatus.PickedUp => " (goods on board)",
        ShipmentStatus.Delivered => " (goods handed over)",
        _ => " (a trip on it was reported failed)",
    };
}
