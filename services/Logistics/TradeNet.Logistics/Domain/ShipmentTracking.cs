using System.Diagnostics;
using Microsoft.Extensions.Options;
using TradeNet.Logistics.Storage;
using TradeNet.Shared.Hosting;

namespace TradeNet.Logistics.Domain;

/// <summary><see cref="Unproven"/>: a carrier's delivery without the receiving town's handover code (<see cref="HandoverCodes"/>).</summary>
public enum TrackingOutcome { Applied, Repeated, NotFound, Forbidden, Illegal, Contended, Unproven }

/// <param name="WrongCodeCounted">An <see cref="TrackingOutcome.Unproven"/> delivery whose wrong code was counted, in a write of
/// its own: stored, although the delivery was not.</param>
public sealed record TrackingResult(TrackingOutcome Outcome, Shipment? Shipment = null, string? Why = null, bool WrongCodeCounted = false);

/// <summary>
/// Carriers report pickup, delivery and failure (a failed leg's transfer becomes pending again, to be planned anew,
/// or held after <see cref="LogisticsOptions.MaxDeliveryAttempts"/> failed shipments). A delivery is proven: the carrier
/// gives the receiving town's handover code, or the receiving town reports it (or an operator does).
/// The shipment is read, judged and written in one session with a version check, so of two concurrent reports
/// exactly one applies and publishes; the other re-reads and finds the transition already made (a repeat: 200, no event).
/// The transfer's attempt is counted in that same applied write, so every path that fails a shipment (per shipment,
/// per stop, repeated or concurrent) counts it exactly once.
/// </summary>
public sealed class ShipmentTracking(ILogisticsStore store, TimeProvider clock, IOptions<LogisticsOptions> options,
    HandoverCodes handoverCodes, ILogger<ShipmentTracking> logger)
{
    private const int Attempts = 5;

    /// <param name="callerTown">The calling town, or null when an operator reports.</param>
    /// <param name="codes">The handover codes a carrier gives with a delivery (any of them may be this shipment's).</param>
    /// <param name="onRoute">The route a stop report named: a shipment re-routed since the report read the route (new route
    /// id, new stop numbers) is not the one at that stop any more, and is refused.</param>
    public async Task<TrackingResult> ReportAsync(Guid shipmentId, ShipmentAction action, string? callerTown, bool isOperator,
        string? reason, CancellationToken ct, Guid? onRoute = null, IReadOnlyCollection<string>? codes = null)
    {
        using var activity = TradeNetTelemetry.Source.StartActivity("report shipment");
        activity?.SetTag(TradeNetTelemetry.ShipmentId, shipmentId.ToString());
        activity?.SetTag("tradenet.shipment_action", action.ToString());
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            try
            {
                await using var session = await store.BeginAsync(ct);
                var shipment = await session.ShipmentAsync(shipmentId, ct);
                if (shipment is null) return new(TrackingOutcome.NotFound);
                activity?.SetTag(TradeNetTelemetry.TradeId, shipment.TradeId.ToString());
                if (attempt == 1) TradeNetTelemetry.LinkTo(activity, await store.TradeTraceAsync(shipment.TradeId, ct));
                // A town outside the shipment learns nothing of it, not even that it exists (as with a read).
                if (!isOperator && callerTown is not null && !shipment.Involves(callerTown)) return new(TrackingOutcome.NotFound);
                // The receiving town may report its own delivery: that is the receipt a carrier's report needs a code for.
                var byReceiver = action == ShipmentAction.Deliver && callerTown is not null && callerTown == shipment.ToTown;
                if (!isOperator && !byReceiver && (callerTown is null || callerTown != shipment.CarrierTown))
                    return new(TrackingOutcome.Forbidden, shipment, action == ShipmentAction.Deliver
                        ? "only the carrier, the receiving town or an operator reports a delivery"
                        : "only the carrier or an operator reports on a shipment");
                if (onRoute is { } route && shipment.RouteId != route)
                    return new(TrackingOutcome.Illegal, shipment,
                        $"the shipment was re-planned onto route {shipment.RouteId} after a cancellation; report its stops there");

                var now = clock.GetUtcNow();
                var transition = ShipmentTransitions.Apply(shipment, action, now, reason);
                switch (transition.Kind)
                {
                    case TransitionKind.Illegal:
                        return new(TrackingOutcome.Illegal, shipment, transition.Why);
                    case TransitionKind.Repeated:
                        return new(TrackingOutcome.Repeated, shipment);
                }
                if (action == ShipmentAction.Deliver)
                {
                    // Checked only for a delivery that would apply: a repeat proves nothing new and changes nothing.
                    if (!isOperator && !byReceiver && await UnprovenAsync(session, shipment, callerTown, codes ?? [], onRoute is null ? "handoverCode" : "handoverCodes", ct) is { } unproven)
                        return new(TrackingOutcome.Unproven, shipment, unproven.Why, unproven.Counted);
                    activity?.SetTag("tradenet.delivery_proof", isOperator ? "operator" : byReceiver ? "receiver" : "handover-code");
                }
                await session.UpdateShipmentAsync(transition.Shipment, shipment.Version, ct);
                // The goods are still owed (matching keeps the trade agreed): the leg waits for the next planning run.
                TransferOrder? transfer = null;
                if (transition.Shipment.Status == ShipmentStatus.Failed)
                {
                    // A cancelled trade owes the leg no more: the stop left its transfer alone only while the goods were on
                    // the road, so it ends as the stop ended the others, not as "planned" with nothing left to move it.
                    // The trade's guard first: that stop writes neither this shipment nor its transfer, so on MongoDB both
                    // committed on snapshots that had not seen the other, and the leg waited "pending" for a new shipment.
                    await session.SerializeTradeAsync(shipment.TradeId, ct);
                    if (await session.IsTradeCancelledAsync(shipment.TradeId, ct))
                        await session.SetTransferStatusAsync(shipment.TransferId, TransferStatus.Cancelled, ct);
                    else transfer = await CountFailureAsync(session, transition.Shipment, now, ct);
                }
                // The leg is done: listing planned transfers shows only what is still to move.
                if (transition.Shipment.Status == ShipmentStatus.Delivered)
                    await session.SetTransferStatusAsync(shipment.TransferId, TransferStatus.Delivered, ct);
                if (transition.Event is { } evt) session.Publish(evt);
                await session.CommitAsync(ct);
                if (transfer is { Status: TransferStatus.Held }) AnnounceHeld(transfer, activity);
                return new(TrackingOutcome.Applied, transition.Shipment);
            }
            catch (ConcurrencyConflictException) when (attempt < Attempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt), ct);
            }
            catch (ConcurrencyConflictException ex)
            {
                return new(TrackingOutcome.Contended, Why: ex.Message);
            }
        }
        return new(TrackingOutcome.Contended);
    }

    /// <summary>Why a carrier's delivery report does not prove the delivery, or null when its code is right. A wrong code
    /// is counted in its own committed write; after <see cref="HandoverCodes.MaxWrong"/> distinct ones no code is tried any
    /// more. A code counted before (by its tag, <see cref="HandoverCodes.WrongCodeTagAsync"/>) is known to be wrong and is no
    /// new guess: the report that counted it may have failed afterwards (a 503, a timeout) and be sent again as it was, and
    /// an honest carrier on a flaky connection must not lock its own shipment so. Its answer is the one a new wrong code
    /// gets, with the count as it stands; it tells the carrier only that it gave that code before. <c>Counted</c>: this call
    /// committed a new wrong code (a stop report failing later must say so).</summary>
    /// <param name="codeField">The request's field for the code, which the answer names: a shipment's delivery report sends
    /// one <c>handoverCode</c>, a stop report a list, <c>handoverCodes</c>.</param>
    private async Task<(string Why, bool Counted)?> UnprovenAsync(ILogisticsSession session, Shipment shipment, string? carrier, IReadOnlyCollection<string> codes,
        string codeField, CancellationToken ct)
    {
        const string ReceiverMay = "the receiving town reports the delivery itself, or an operator does";
        if (codes.Count == 0)
            return ($"a carrier reports a delivery with the receiving town's handover code ({codeField}), which the receiver reads on the shipment and gives at handover; or {ReceiverMay}", false);
        var attempts = await session.HandoverAttemptsAsync(shipment.Id, ct);
        var left = HandoverCodes.MaxWrong - attempts.Wrong;
        if (left <= 0)
            return ($"{HandoverCodes.MaxWrong} wrong handover codes were given for this shipment, so no code is taken any more: {ReceiverMay}", false);
        // Each new code tried is a guess: no more are tried than the shipment has left, and each wrong one is counted.
        var tried = new List<(string Code, string Tag)>();
        foreach (var code in codes.Select(HandoverCodes.Normalize).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            var tag = await handoverCodes.WrongCodeTagAsync(shipment.Id, code, ct);
            if (!attempts.Tags.Contains(tag) && tried.Count < left) tried.Add((code, tag));
        }
        if (await handoverCodes.MatchesAsync(shipment.Id, tried.Select(t => t.Code), ct)) return null;
        var wrong = attempts.Wrong;
        var counted = tried.Count > 0;
        if (counted)
        {
            wrong = await session.CountWrongHandoverCodesAsync(shipment.Id, [.. tried.Select(t => t.Tag)], ct);
            await session.CommitAsync(ct);
            logger.LogWarning("Delivery of shipment {ShipmentId} reported by carrier {Carrier} refused: wrong handover code ({Wrong} of {Max})",
                shipment.Id, carrier, wrong, HandoverCodes.MaxWrong);
        }
        else
        {
            logger.LogInformation("Delivery of shipment {ShipmentId} reported by carrier {Carrier} refused: a wrong handover code given before, not counted again ({Wrong} of {Max})",
                shipment.Id, carrier, wrong, HandoverCodes.MaxWrong);
        }
        return (wrong >= HandoverCodes.MaxWrong
            ? $"the handover code does not match this shipment's, and that was the {HandoverCodes.MaxWrong}th wrong one: no code is taken any more; {ReceiverMay}"
            : $"the handover code does not match this shipment's ({HandoverCodes.MaxWrong - wrong} more wrong {(HandoverCodes.MaxWrong - wrong == 1 ? "code" : "codes")} and only the receiving town or an operator may report it); ask the receiving town for the code it reads on the shipment",
            counted);
    }

    private async Task<TransferOrder> CountFailureAsync(ILogisticsSession session, Shipment failed, DateTimeOffset now, CancellationToken ct)
    {
        var transfer = await session.TransferAsync(failed.TransferId, ct)
            ?? throw new KeyNotFoundException($"Transfer {failed.TransferId} of shipment {failed.Id} does not exist.");
        var next = transfer.AfterFailedShipment(failed.FailureReason ?? "", now, options.Value.MaxDeliveryAttempts);
        await session.UpdateTransferAsync(next, ct);
        return next;
    }

    /// <summary>Only once committed: a write that lost a race is retried and then finds the failure already counted.</summary>
    private void AnnounceHeld(TransferOrder held, Activity? activity)
    {
        // Nobody else is told (matching keeps the trade agreed): the warning and the span are how operators find out.
        activity?.SetTag(TradeNetTelemetry.TradeId, held.TradeId.ToString());
        activity?.SetTag("tradenet.transfer_id", held.Id.ToString());
        activity?.SetTag("tradenet.transfer_held", true);
        logger.LogWarning(
            "Transfer {Transfer} (trade {Trade}, leg {Leg}) is held after {Attempts} failed shipments, the last: {Reason}; an operator may release it",
            held.Id, held.TradeId, held.LegIndex, held.Attempts, held.LastFailureReason);
    }
}
