namespace TradeNet.Matching.Domain;

/// <summary>The record of one clearing round, kept for operators.</summary>
public sealed record ClearingRound(
    Guid Id,
    DateTimeOffset StartedAt,
    long DurationMs,
    int Listings,
    int Trades,
    double Objective,
    string Status,
    string Trigger,
    IReadOnlyList<Guid> TradeIds,
    string Strategy,
    int CandidateLegs,
    int CandidateCycles,
    double? UpperBound,
    RoundQuality? Quality = null);

/// <summary>How good a round's answer is and why: the bound makes "optimal" checkable.</summary>
/// <remarks>CycleLengths is keyed by the number of towns in a trade ("2", "3", …).</remarks>
public sealed record RoundQuality(
    double Bound,
    double Gap,
    string SolverStatus,
    int Edges,
    IReadOnlyDictionary<string, int> CycleLengths,
    string Method,
    double TransportCost,
    string? Note);
