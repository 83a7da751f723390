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
    double? UpperBound);
