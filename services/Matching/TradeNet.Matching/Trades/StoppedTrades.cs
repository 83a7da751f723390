using TradeNet.Contracts;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Storage;

namespace TradeNet.Matching.Trades;

public enum StoppedEnd { Changed, Cancelled, Completed }

/// <summary>The end of an agreed trade whose goods logistics stopped, written by whichever of the operator's call and
/// logistics' TradeStopped gets here first (the other then finds it ended).</summary>
public static class StoppedTrades
{
    /// <summary>Records the legs logistics says arrived (it knows before matching hears of them), then cancels the trade at <paramref name="at"/> —
    /// or completes it, as the last delivery would, when every leg arrived. <see cref="StoppedEnd.Changed"/>: the trade
    /// changed under us, nothing is written (re-read and retry).</summary>
    public static async Task<(StoppedEnd End, Trade Trade)> EndAsync(IMatchingSession session, Trade trade,
        IEnumerable<ArrivedLeg> arrived, string reason, DateTimeOffset at, CancellationToken ct)
    {
        trade = arrived.Aggregate(trade, (t, leg) => t.Legs.Any(l => l.Leg.Index == leg.LegIndex)
            ? t.WithLeg(leg.LegIndex, s => s.Delivered ? s : s with { Delivered = true, DeliveredAt = leg.At })
            : t);
        if (trade.AllDelivered)
        {
            var completed = trade with { Status = TradeStatus.Completed };
            if (!await session.UpdateTradeAsync(completed, ct)) return (StoppedEnd.Changed, trade);
            session.Publish(new TradeCompleted(trade.Id, completed.ContractLegs));
            return (StoppedEnd.Completed, completed with { Version = trade.Version + 1 });
        }
        if (!await TradeWrites.CancelAsync(session, trade, reason, at, ct)) return (StoppedEnd.Changed, trade);
        return (StoppedEnd.Cancelled, trade.Cancel(reason, at) with { Version = trade.Version + 1 });
    }
}
