using TradeNet.Matching.Domain;

namespace TradeNet.Matching.Trades;

/// <summary><see cref="TermsChanged"/>: catalog refused the reservation because a listing's terms changed since
/// matching's copy; the trade stays proposed with its acceptances until matching reads the change.
/// <see cref="StoredPartly"/>: the other service did its part (catalog reserved, logistics stopped the goods) but matching's
/// storage failed to record the outcome; what was stored before stays, and the detail says what finishes it.</summary>
public enum AnswerStatus { Ok, NotFound, Forbidden, Conflict, CatalogUnavailable, CatalogFailed, TermsChanged, LogisticsUnavailable, LogisticsFailed, StoredPartly }

/// <summary>What a trade operation came to; the endpoints turn it into a status code. <see cref="LegsOnTheRoad"/>: the
/// legs logistics named when it refused to stop the trade's goods.</summary>
public sealed record AnswerResult(AnswerStatus Status, Trade? Trade = null, string? Detail = null, IReadOnlyList<int>? LegsOnTheRoad = null)
{
    public static AnswerResult Ok(Trade trade) => new(AnswerStatus.Ok, trade);
    public static AnswerResult NotFound(string detail) => new(AnswerStatus.NotFound, null, detail);
    public static AnswerResult Forbidden(string detail) => new(AnswerStatus.Forbidden, null, detail);
    public static AnswerResult Conflict(string detail, Trade? trade = null) => new(AnswerStatus.Conflict, trade, detail);
}
