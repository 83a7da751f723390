using TradeNet.Contracts;
using TradeNet.Matching.Domain;

namespace TradeNet.Matching.Api;

/// <summary>A round with the ids of the trades it proposed: the answer of <c>POST /rounds</c> and <c>GET /rounds/{id}</c>.</summary>
public sealed record RoundView(
    Guid Id, DateTimeOffset StartedAt, long DurationMs, int Listings, int Trades, double Objective, string Status,
    string Trigger, IReadOnlyList<Guid> TradeIds, string Strategy, int CandidateLegs, int CandidateCycles, double? UpperBound,
    RoundQuality? Quality)
{
    public static RoundView From(ClearingRound r) => new(r.Id, r.StartedAt, r.DurationMs, r.Listings, r.Trades, r.Objective, r.Status,
        r.Trigger, r.TradeIds, r.Strategy, r.CandidateLegs, r.CandidateCycles, r.UpperBound, r.Quality);
}

/// <summary>A round in <c>GET /rounds</c>: every figure of <see cref="RoundView"/> but the trade ids, which a busy round
/// has by the thousand (ten rounds answered 1.5 MB with them); <paramref name="Trades"/> counts them and
/// <c>GET /rounds/{id}</c> lists them.</summary>
public sealed record RoundSummaryView(
    Guid Id, DateTimeOffset StartedAt, long DurationMs, int Listings, int Trades, double Objective, string Status,
    string Trigger, string Strategy, int CandidateLegs, int CandidateCycles, double? UpperBound, RoundQuality? Quality)
{
    public static RoundSummaryView From(ClearingRound r) => new(r.Id, r.StartedAt, r.DurationMs, r.Listings, r.Trades, r.Objective,
        r.Status, r.Trigger, r.Strategy, r.CandidateLegs, r.CandidateCycles, r.UpperBound, r.Quality);
}

public sealed record LegView(
    int Index, string FromTown, string ToTown, string OfferId, string NeedId, string Category, double Quantity, double Value,
    double WeightKg, TradePoint From, TradePoint To, DateTimeOffset? AvailableFrom, DateTimeOffset? AvailableUntil,
    LegResponse Response, DateTimeOffset? AnsweredAt, bool PickedUp, DateTimeOffset? PickedUpAt, bool Delivered, DateTimeOffset? DeliveredAt,
    string? Failure);

/// <param name="AgreedAt">When the trade became agreed (kept after it completes or is cancelled); null if it never was, or
/// was agreed before matching recorded the time.</param>
/// <param name="CancelledAt">When the trade was cancelled; null if it is not, or was cancelled before matching recorded the
/// time. A proposal cancelled before it was agreed may be deleted that long after it (<c>Matching:UnagreedTradeRetention</c>).</param>
public sealed record TradeView(
    Guid Id, Guid RoundId, TradeStatus Status, double Value, IReadOnlyList<LegView> Legs, DateTimeOffset Deadline,
    DateTimeOffset CreatedAt, string? Reason, long Version, DateTimeOffset? AgreedAt, DateTimeOffset? CancelledAt)
{
    public static TradeView From(Trade t) => new(t.Id, t.RoundId, t.Status, t.Legs.Count == 0 ? 0 : t.Legs[0].Leg.Value,
        t.Legs.Select(s => new LegView(s.Leg.Index, s.Leg.FromTown, s.Leg.ToTown, s.Leg.OfferId, s.Leg.NeedId, s.Leg.Category,
            s.Leg.Quantity, s.Leg.Value, s.Leg.WeightKg, s.Leg.From, s.Leg.To, s.Leg.AvailableFrom, s.Leg.AvailableUntil,
            s.Response, s.AnsweredAt, s.PickedUp, s.PickedUpAt, s.Delivered, s.DeliveredAt, s.Failure)).ToList(),
        t.Deadline, t.CreatedAt, t.Reason, t.Version, t.AgreedAt, t.CancelledAt);
}

/// <summary>A listing as the next round would see it: what catalog says remains, minus what pending proposals hold; and
/// where its town is as matching last read it (distance limits are checked from there), so an operator who corrected a
/// town's coordinates sees when matching has them. <paramref name="AvailableUntil"/> is the end of its window: once past,
/// nothing of it is <paramref name="Available"/> (rounds leave it out) while the row stays to show where the listing went.</summary>
public sealed record BookListingView(
    string Id, string TownId, string Kind, string Category, double Remaining, double Held, double Available, double MinLot, long Version,
    double TownLat, double TownLon, DateTimeOffset? AvailableUntil);
