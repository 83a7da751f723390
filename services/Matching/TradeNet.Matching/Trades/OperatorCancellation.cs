using Grpc.Core;
using TradeNet.Contracts;
using TradeNet.Contracts.Grpc;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Storage;
using TradeNet.Shared.Hosting;
using TradeNet.Shared.Storage;

namespace TradeNet.Matching.Trades;

/// <summary>
/// An operator's way out of a trade. A proposal is cancelled as a reject would cancel it. An agreed trade's goods are
/// stopped first where they are — logistics' <c>StopTrade</c>, which refuses while a leg is picked up and not delivered
/// or failed and otherwise cancels every shipment not yet picked up, in one write — and only then is the cancellation
/// committed here, with the legs logistics says arrived. TradeCancelled leaves through the outbox in the same write:
/// catalog books the delivered legs as fulfilled and releases the rest of the reservation.
/// </summary>
/// <remarks>Stopped in logistics and not yet cancelled here (a crash, a timeout, a lost race between the two): logistics
/// publishes TradeStopped in the write that stopped the goods, and <see cref="Consumers.TradeStoppedConsumer"/> ends the
/// trade as this call would have (asking again does too: logistics answers a stopped trade the same way every time).
/// Whichever comes second finds the trade ended. Matching's copy of the book is not raised here: catalog announces each released listing
/// (ListingChanged, newer version) and that snapshot is the truth.</remarks>
public sealed class OperatorCancellation(IMatchingStore store, Logistics.LogisticsClient logistics, TimeProvider clock,
    ILogger<OperatorCancellation> logger)
{
    private const int Attempts = 5;

    /// <summary>How long an operator's cancel waits for logistics before answering 503 (the stop may still land there;
    /// its TradeStopped then cancels the trade here).</summary>
    public static readonly TimeSpan StopDeadline = TimeSpan.FromSeconds(10);

    public async Task<AnswerResult> CancelAsync(Guid tradeId, string operatorName, string reason, CancellationToken ct)
    {
        using var activity = TradeNetTelemetry.Source.StartActivity("cancel trade");
        activity?.SetTag(TradeNetTelemetry.TradeId, tradeId.ToString());
        var recorded = Recorded(operatorName, reason);
        StopTradeReply? stopped = null;
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            // Read outside the write: a network call must never hold the store's write lock.
            var read = await store.GetTradeAsync(tradeId, ct);
            if (read is null) return AnswerResult.NotFound($"Trade {tradeId} not found.");
            TradeNetTelemetry.LinkTo(activity, read.TraceParent);
            // Our stop's TradeStopped reached matching's consumer first and cancelled the trade: that is this call's answer.
            if (stopped is not null && read.Status == TradeStatus.Cancelled) return AnswerResult.Ok(read);
            if (Refusal(read) is { } why) return AnswerResult.Conflict(why, read);
            if (read.Status == TradeStatus.Agreed && stopped is null)
            {
                var (reply, failure) = await StopGoodsAsync(read, recorded, ct);
                if (failure is not null) return failure;
                if (!reply!.Stopped) return OnTheRoad(read, reply.LegsOnTheRoad);
                // Nothing of the trade moves any more, so this answer holds for every retry below.
                stopped = reply;
            }

            try
            {
                await using var session = await store.BeginAsync(ct);
                var trade = await session.GetTradeAsync(tradeId, ct);
                if (trade is null) return AnswerResult.NotFound($"Trade {tradeId} not found.");
                // A proposal agreed meanwhile needs its goods stopped first; a trade completed meanwhile is refused above.
                if (trade.Status != read.Status) continue;
                var now = clock.GetUtcNow();
                if (stopped is not null)
                {
                    var (end, ended) = await StoppedTrades.EndAsync(session, trade, Arrived(stopped), recorded, now, ct);
                    if (end == StoppedEnd.Changed) continue;
                    await session.CommitAsync(ct);
                    if (end == StoppedEnd.Completed)
                    {
                        // Every leg arrived (logistics knew before matching heard of it): completed, not cancelled with all its goods given.
                        logger.LogInformation("Trade {TradeId} completed: operator {Operator} asked to cancel it after every leg was delivered", tradeId, operatorName);
                        return AnswerResult.Conflict($"Trade {tradeId}: every leg has been delivered, so it is completed and can no longer be cancelled.", ended);
                    }
                    return Cancelled(activity, ended, trade.Status, operatorName, reason);
                }
                // The write is checked against the version read: a racing accept makes us read again.
                if (!await TradeWrites.CancelAsync(session, trade, recorded, now, ct)) continue;
                await session.CommitAsync(ct);
                return Cancelled(activity, trade.Cancel(recorded, now) with { Version = trade.Version + 1 }, trade.Status, operatorName, reason);
            }
            catch (Exception ex) when (stopped is not null && StorageUnavailable.Is(ex))
            {
                // Logistics stopped the goods and published TradeStopped in that write: its report ends the trade here, as
                // the same cancel sent again does. A bare 503 "not applied" would be untrue.
                logger.LogError(ex, "Logistics stopped trade {TradeId} but storing its cancellation failed; the stop report ends it", tradeId);
                return new AnswerResult(AnswerStatus.StoredPartly, read, CancellationNotStored);
            }
        }
        return AnswerResult.Conflict($"Trade {tradeId} kept changing while being cancelled; try again.");
    }

    /// <summary>Asks logistics to stop the trade's goods. Mapped as catalog's reservation is: transient failures are a
    /// 503 to retry, anything else (auth, an older logistics without StopTrade, an internal error) a 502; either way
    /// the trade stays agreed here.</summary>
    private async Task<(StopTradeReply? Reply, AnswerResult? Failure)> StopGoodsAsync(Trade trade, string reason, CancellationToken ct)
    {
        try
        {
            var request = new StopTradeRequest { TradeId = trade.Id.ToString(), Reason = reason };
            return (await logistics.StopTradeAsync(request, deadline: DateTime.UtcNow.Add(StopDeadline), cancellationToken: ct), null);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && ct.IsCancellationRequested)
        {
            throw new OperationCanceledException("The stop call was cancelled.", ex, ct);
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded
                                          or StatusCode.ResourceExhausted or StatusCode.Aborted)
        {
            logger.LogWarning(ex, "Logistics could not stop trade {TradeId} ({Status}); the trade stays agreed", trade.Id, ex.StatusCode);
            return (null, new AnswerResult(AnswerStatus.LogisticsUnavailable, trade,
                "logistics unavailable, retry: it decides whether the goods can still be stopped; the trade is unchanged here "
                + "(should logistics have stopped the goods after all, it reports so and the trade is then cancelled)"));
        }
        catch (RpcException ex)
        {
            logger.LogError(ex, "Logistics failed to stop trade {TradeId} ({Status})", trade.Id, ex.StatusCode);
            return (null, new AnswerResult(AnswerStatus.LogisticsFailed, trade,
                $"logistics answered {ex.StatusCode}: {ex.Status.Detail}; the trade is unchanged"));
        }
    }

    /// <summary>Says how to get past the refusal as well: a trip that will never end (a carrier vanished with the goods)
    /// never lets the cancel through by itself, and only logistics ends it, where an operator may report any shipment.</summary>
    private static AnswerResult OnTheRoad(Trade trade, IReadOnlyList<int> legs) => new(AnswerStatus.Conflict, trade,
        $"Trade {trade.Id}: goods are on the road on {string.Join(", ", legs.Select(i => $"leg {i}"))} (picked up, not delivered); "
        + "cancel once they have arrived or their trip has failed. If the trip will never end, an operator reports it failed "
        + $"on its shipment (find it with GET /api/logistics/shipments?trade={trade.Id}, then POST "
        + "/api/logistics/shipments/{shipmentId}/failure with {\"reason\": \"...\"}) and then cancels again.", legs);

    internal const string CancellationNotStored = "Logistics stopped the trade's goods, but matching's storage is busy or failing and " +
        "the cancellation was not recorded; the trade still shows agreed. Logistics' stop report cancels it here, as does the same " +
        "cancel sent again.";

    /// <summary>The trade's recorded reason: "cancelled by operator ops: …", but "cancelled by operator: …" for an operator
    /// named "operator" (the hosts' default), and "cancelled by Operator Jane: …" for a name that says it already, rather
    /// than the word twice. Only read by people: nothing parses it (logistics keeps it as the stop's reason).</summary>
    internal static string Recorded(string operatorName, string reason)
    {
        var name = operatorName.Trim();
        return $"cancelled by {(name.StartsWith("operator", StringComparison.OrdinalIgnoreCase) ? name : $"operator {name}")}: {reason}";
    }

    private static IEnumerable<ArrivedLeg> Arrived(StopTradeReply stopped) =>
        stopped.DeliveredLegs.Select(leg => new ArrivedLeg(leg.LegIndex, leg.DeliveredAt?.ToDateTimeOffset()));

    private AnswerResult Cancelled(System.Diagnostics.Activity? activity, Trade cancelled, TradeStatus was, string operatorName, string reason)
    {
        activity?.SetTag(TradeNetTelemetry.State, "cancelled");
        logger.LogInformation("Trade {TradeId} ({Status}) cancelled by operator {Operator}: {Reason}", cancelled.Id, Text(was), operatorName, reason);
        return AnswerResult.Ok(cancelled);
    }

    private static string? Refusal(Trade trade) => trade.Status switch
    {
        TradeStatus.Proposed or TradeStatus.Agreed => null,
        _ => $"Trade {trade.Id} is {Text(trade.Status)}; only a proposed or agreed trade can be cancelled.",
    };

    private static string Text(TradeStatus status) => status.ToString().ToLowerInvariant();
}
