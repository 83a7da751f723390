using TradeNet.Matching.Domain;
using TradeNet.Matching.Storage;
using TradeNet.Shared.Hosting;

namespace TradeNet.Matching.Trades;

/// <summary>
/// An operator's way out of a trade. A proposal is cancelled as a reject would cancel it; an agreed trade while none of
/// its goods are on the road (picked up and not delivered: they must arrive or their trip fail first). TradeCancelled
/// leaves through the outbox in the same write, naming the legs already delivered: catalog books those as fulfilled and
/// releases the rest of the reservation, and logistics cancels the shipments not yet picked up.
/// </summary>
/// <remarks>Matching's copy of the book is not raised here: catalog announces each released listing (ListingChanged,
/// newer version) and that snapshot is the truth, so matching never offers quantities catalog may still hold.</remarks>
public sealed class OperatorCancellation(IMatchingStore store, ILogger<OperatorCancellation> logger)
{
    private const int Attempts = 5;

    public async Task<AnswerResult> CancelAsync(Guid tradeId, string operatorName, string reason, CancellationToken ct)
    {
        using var activity = TradeNetTelemetry.Source.StartActivity("cancel trade");
        activity?.SetTag(TradeNetTelemetry.TradeId, tradeId.ToString());
        var recorded = $"cancelled by operator {operatorName}: {reason}";
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            await using var session = await store.BeginAsync(ct);
            var trade = await session.GetTradeAsync(tradeId, ct);
            if (trade is null) return AnswerResult.NotFound($"Trade {tradeId} not found.");
            TradeNetTelemetry.LinkTo(activity, trade.TraceParent);
            if (Refusal(trade) is { } why) return AnswerResult.Conflict(why, trade);
            // The write is checked against the version read: a racing accept, pickup or delivery makes us read again.
            if (!await TradeWrites.CancelAsync(session, trade, recorded, ct)) continue;
            await session.CommitAsync(ct);
            activity?.SetTag(TradeNetTelemetry.State, "cancelled");
            logger.LogInformation("Trade {TradeId} ({Status}) cancelled by operator {Operator}: {Reason}",
                tradeId, Text(trade.Status), operatorName, reason);
            return AnswerResult.Ok(trade.Cancel(recorded) with { Version = trade.Version + 1 });
        }
        return AnswerResult.Conflict($"Trade {tradeId} kept changing while being cancelled; try again.");
    }

    private static string? Refusal(Trade trade) => trade.Status switch
    {
        TradeStatus.Proposed => null,
        TradeStatus.Agreed when trade.LegsOnTheRoad is { Count: > 0 } moving =>
            $"Trade {trade.Id}: goods are on the road on {string.Join(", ", moving.Select(i => $"leg {i}"))} (picked up, not delivered); "
            + "cancel once they have arrived or their trip has failed.",
        TradeStatus.Agreed => null,
        _ => $"Trade {trade.Id} is {Text(trade.Status)}; only a proposed or agreed trade can be cancelled.",
    };

    private static string Text(TradeStatus status) => status.ToString().ToLowerInvariant();
}
