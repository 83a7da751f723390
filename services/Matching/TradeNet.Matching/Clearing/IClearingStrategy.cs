namespace TradeNet.Matching.Clearing;

/// <summary>The seam where a clearing algorithm plugs in: the simple bilateral one now, the optimal
/// multi-town engine later. Pure: it sees only the book it is given and must not write anything.</summary>
public interface IClearingStrategy
{
    Task<ClearingOutcome> ClearAsync(OrderBook book, ClearingSettings settings, CancellationToken ct);
}

public sealed record ClearingSettings(double DetourFactor = TradeNet.Shared.Hosting.Geo.DefaultDetourFactor, int MaxCycleLength = 2);

/// <summary>The trades a round found, their total value moved (Σ legs × V) and how the search went.</summary>
public sealed record ClearingOutcome(IReadOnlyList<ClearedTrade> Trades, double Objective, ClearingStats Stats);

/// <summary>A cycle of towns; every leg carries the same value.</summary>
public sealed record ClearedTrade(IReadOnlyList<ClearedLeg> Legs)
{
    public double Value => Legs.Count == 0 ? 0 : Legs[0].Value;
}

public sealed record ClearedLeg(
    string FromTown,
    string ToTown,
    string OfferId,
    string NeedId,
    string Category,
    double Quantity,
    double Value,
    double WeightKg);

/// <summary>Round statistics; <see cref="UpperBound"/> is for strategies that can prove how far from optimal they are.</summary>
public sealed record ClearingStats(
    string Strategy,
    int Listings,
    int Offers,
    int Needs,
    int CandidateLegs,
    int CandidateCycles,
    double? UpperBound = null,
    TradeNet.Matching.Domain.RoundQuality? Quality = null);
