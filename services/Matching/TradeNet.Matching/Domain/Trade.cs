using System.Text.Json.Serialization;
using TradeNet.Contracts;

namespace TradeNet.Matching.Domain;

public enum TradeStatus { Proposed, Agreed, Cancelled, Completed }

public enum LegResponse { Pending, Accepted, Rejected }

/// <summary>A leg as matching tracks it: the contract leg plus the giver's answer, the pickup and the delivery.
/// The listing versions let the agreement tell whether its copy of the book already reflects a change.
/// <see cref="PickedUp"/>: logistics reported a pickup whose trip has not failed since, so the goods have left the giver.
/// A failed trip carries nothing (the leg is planned again from the giving town), so a failure reported at or after
/// the pickup undoes it, and a pickup reported at or before the latest failure — its trip's failure arrived first —
/// is not taken. A leg's trips follow one another (the next is planned only once the last failed), so report
/// times tell which pickup a failure ends.
/// <see cref="OfferReservedVersion"/>, <see cref="NeedReservedVersion"/>: the listings' versions catalog answered the
/// reservation with; a copy of the book below them lacks the reservation, so the agreed trade holds the leg's quantity
/// until the copy reaches them. Null (a trade agreed before catalog answered versions): nothing to hold.</summary>
public sealed record TradeLegState(
    TradeLeg Leg,
    LegResponse Response = LegResponse.Pending,
    DateTimeOffset? AnsweredAt = null,
    bool Delivered = false,
    DateTimeOffset? DeliveredAt = null,
    string? Failure = null,
    long OfferVersion = 0,
    long NeedVersion = 0,
    bool PickedUp = false,
    DateTimeOffset? PickedUpAt = null,
    DateTimeOffset? LastFailedAt = null,
    long? OfferReservedVersion = null,
    long? NeedReservedVersion = null)
{
    /// <summary>Goods of this leg are on the road: picked up and not delivered yet.</summary>
    [JsonIgnore]
    public bool OnTheRoad => PickedUp && !Delivered;
}

/// <summary>A proposal and then a trade. <see cref="Version"/> guards concurrent updates: a write
/// succeeds only against the version it read. <see cref="TraceParent"/> is the clearing round's span,
/// which later steps that start their own trace link to. <see cref="AgreedAt"/>: when catalog's reservation after the
/// last acceptance made it agreed; kept once cancelled or completed, null for a trade never agreed — and for one agreed
/// before matching recorded it (its legs' <c>AnsweredAt</c> then bound it from below). <see cref="CancelledAt"/> and
/// <see cref="CancelledFrom"/>: when it was cancelled and the status it was cancelled from; null for a trade not cancelled,
/// or cancelled before matching recorded them.</summary>
public sealed record Trade(
    Guid Id,
    Guid RoundId,
    TradeStatus Status,
    IReadOnlyList<TradeLegState> Legs,
    DateTimeOffset Deadline,
    DateTimeOffset CreatedAt,
    string? Reason = null,
    long Version = 0,
    string? TraceParent = null,
    DateTimeOffset? AgreedAt = null,
    DateTimeOffset? CancelledAt = null,
    TradeStatus? CancelledFrom = null)
{
    [JsonIgnore]
    public IEnumerable<string> Towns => Legs.SelectMany(l => new[] { l.Leg.FromTown, l.Leg.ToTown }).Distinct(StringComparer.Ordinal);

    [JsonIgnore]
    public IEnumerable<string> ListingIds => Legs.SelectMany(l => new[] { l.Leg.OfferId, l.Leg.NeedId }).Distinct(StringComparer.Ordinal);

    public bool Involves(string townId) => Towns.Contains(townId, StringComparer.Ordinal);

    [JsonIgnore]
    public bool AllAccepted => Legs.All(l => l.Response == LegResponse.Accepted);

    [JsonIgnore]
    public bool AllDelivered => Legs.All(l => l.Delivered);

    [JsonIgnore]
    public TradeLeg[] ContractLegs => Legs.Select(l => l.Leg).ToArray();

    /// <summary>What this trade takes from each listing while it is pending (offers and needs alike).</summary>
    [JsonIgnore]
    public IEnumerable<(string ListingId, double Quantity)> Holds =>
        Legs.SelectMany(l => new[] { (l.Leg.OfferId, l.Leg.Quantity), (l.Leg.NeedId, l.Leg.Quantity) });

    /// <summary>What this agreed trade takes from each listing until matching's copy of it reaches the version catalog's
    /// reservation gave it (the ListingChanged carrying the reservation comes through catalog's outbox, later): every leg
    /// while it is agreed or completed; once cancelled after agreement, only the legs whose goods arrived, which catalog
    /// books as given (it releases the rest, so a copy still without the reservation has the rest right).</summary>
    [JsonIgnore]
    public IEnumerable<(string ListingId, double Quantity, long ReservedVersion)> ReservedHolds =>
        Legs.Where(l => Status != TradeStatus.Cancelled || l.Delivered)
            .SelectMany(l => new[] { (l.Leg.OfferId, l.Leg.Quantity, l.OfferReservedVersion), (l.Leg.NeedId, l.Leg.Quantity, l.NeedReservedVersion) })
            .Where(h => h.Item3 is not null).Select(h => (h.Item1, h.Item2, h.Item3!.Value));

    public Trade WithLeg(int index, Func<TradeLegState, TradeLegState> change) =>
        this with { Legs = Legs.Select(l => l.Leg.Index == index ? change(l) : l).ToList() };

    /// <summary>Cancelled at <paramref name="at"/> (whole milliseconds, as both stores keep times), remembering the status it
    /// was cancelled from: a proposal cancelled before it was ever agreed is named by nothing outside matching.</summary>
    public Trade Cancel(string reason, DateTimeOffset at) => this with
    {
        Status = TradeStatus.Cancelled, Reason = reason, CancelledFrom = Status,
        CancelledAt = DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds()),
    };

    /// <summary>Cancelled as a proposal, provably never agreed: cancelled from <see cref="TradeStatus.Proposed"/> (a trade
    /// never goes back to it once agreed), no agreement time, and no leg picked up or delivered (logistics moves only agreed
    /// trades). Catalog reserves only at agreement and logistics plans only agreed trades, so nothing else names it: what
    /// <c>Matching:UnagreedTradeRetention</c> may delete. A trade cancelled before the status it was cancelled from was
    /// recorded is not: an earlier release's agreed trades have no agreement time either.</summary>
    [JsonIgnore]
    public bool CancelledUnagreed =>
        Status == TradeStatus.Cancelled && CancelledFrom == TradeStatus.Proposed && CancelledAt is not null && AgreedAt is null
        && !Legs.Any(l => l.PickedUp || l.Delivered);

    /// <summary>The legs whose goods are on the road; an agreed trade with any of them cannot be cancelled until they
    /// arrive or their trip fails.</summary>
    [JsonIgnore]
    public IReadOnlyList<int> LegsOnTheRoad => Legs.Where(l => l.OnTheRoad).Select(l => l.Leg.Index).ToList();

    /// <summary>The legs whose goods have arrived.</summary>
    [JsonIgnore]
    public IReadOnlyList<int> DeliveredLegs => Legs.Where(l => l.Delivered).Select(l => l.Leg.Index).ToList();
}
