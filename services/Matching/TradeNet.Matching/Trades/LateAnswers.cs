using TradeNet.Matching.Domain;

namespace TradeNet.Matching.Trades;

/// <summary>The 409 details of an answer that comes too late. A town reading one must learn what it can still do (where
/// its quantities went, where the next proposal will appear, who can still stop an agreed trade), not only that it is
/// late: the town has no other way to know that a round may propose the same goods again.</summary>
internal static class LateAnswers
{
    public static string NoLongerProposed(Trade trade) => trade.Status switch
    {
        TradeStatus.Cancelled =>
            $"Trade {trade.Id} is cancelled{(trade.Reason is { } reason ? $" ({reason})" : "")}; it can no longer be answered. " +
            "Its quantities are back in the order book, so a later clearing round may propose them again: " +
            "find the new proposal with GET /api/matching/trades?status=proposed.",
        TradeStatus.Agreed =>
            $"Trade {trade.Id} is agreed: every leg was accepted and catalog reserved the quantities, so it can no longer be " +
            $"rejected. Follow its goods with GET /api/logistics/shipments?trade={trade.Id}; to call it off, ask an operator " +
            "to cancel it, which they can while none of its goods are on the road.",
        TradeStatus.Completed =>
            $"Trade {trade.Id} is completed: every leg was delivered, so there is nothing left to answer.",
        _ => $"Trade {trade.Id} is {trade.Status.ToString().ToLowerInvariant()}; it can no longer be answered.",
    };

    public static string DeadlinePassed(Trade trade) =>
        $"The deadline to answer trade {trade.Id} passed at {trade.Deadline:O}: the proposal expires and its quantities go " +
        "back to the order book, so a later clearing round may propose them again: find the new proposal with " +
        "GET /api/matching/trades?status=proposed and answer it before its deadline.";
}
