using TradeNet.Contracts;
using TradeNet.Matching.Domain;

namespace TradeNet.Matching.Storage.Mongo;

// Plain documents with class maps (MongoMapping), so the stored shape is explicit and testable without a server.

public sealed class BookDocument
{
    public string Id { get; set; } = "";
    public string TownId { get; set; } = "";
    public long Version { get; set; }
    public bool Withdrawn { get; set; }
    public ListingDocument? Listing { get; set; }

    public static BookDocument From(BookListing b) => new()
    {
        Id = b.Id, TownId = b.TownId, Version = b.Version, Withdrawn = b.Withdrawn,
        Listing = b.Listing is null ? null : ListingDocument.From(b.Listing),
    };

    public BookListing ToDomain() => new(Id, TownId, Version, Withdrawn, Listing?.ToSnapshot());
}

public sealed class ListingDocument
{
    public string Id { get; set; } = "";
    public string TownId { get; set; } = "";
    public string Kind { get; set; } = "";
    public string Category { get; set; } = "";
    public string Unit { get; set; } = "";
    public double ValuePerUnit { get; set; }
    public double WeightPerUnit { get; set; }
    public double Quantity { get; set; }
    public double Remaining { get; set; }
    public double MinLot { get; set; }
    public string[] Attributes { get; set; } = [];
    public string[] Requires { get; set; } = [];
    public double? MaxDistanceKm { get; set; }
    public DateTime? AvailableFrom { get; set; }
    public DateTime? AvailableUntil { get; set; }
    public double TownLat { get; set; }
    public double TownLon { get; set; }
    public long Version { get; set; }

    public static ListingDocument From(ListingSnapshot l) => new()
    {
        Id = l.Id, TownId = l.TownId, Kind = l.Kind, Category = l.Category, Unit = l.Unit, ValuePerUnit = l.ValuePerUnit,
        WeightPerUnit = l.WeightPerUnit, Quantity = l.Quantity, Remaining = l.Remaining, MinLot = l.MinLot,
        Attributes = l.Attributes ?? [], Requires = l.Requires ?? [], MaxDistanceKm = l.MaxDistanceKm,
        AvailableFrom = l.AvailableFrom?.UtcDateTime, AvailableUntil = l.AvailableUntil?.UtcDateTime,
        TownLat = l.TownLat, TownLon = l.TownLon, Version = l.Version,
    };

    public ListingSnapshot ToSnapshot() => new(Id, TownId, Kind, Category, Unit, ValuePerUnit, WeightPerUnit, Quantity, Remaining,
        MinLot, Attributes, Requires, MaxDistanceKm, Utc(AvailableFrom), Utc(AvailableUntil), TownLat, TownLon, Version);

    internal static DateTimeOffset? Utc(DateTime? at) => at is null ? null : new DateTimeOffset(DateTime.SpecifyKind(at.Value, DateTimeKind.Utc));
}

public sealed class TradeDocument
{
    public Guid Id { get; set; }
    public Guid RoundId { get; set; }
    public string Status { get; set; } = "";
    public DateTime Deadline { get; set; }
    public DateTime CreatedAt { get; set; }
    public string? Reason { get; set; }
    public long Version { get; set; }
    public string? TraceParent { get; set; }
    /// <summary>Absent in trades stored before the time was recorded; they read as null.</summary>
    public DateTime? AgreedAt { get; set; }
    /// <summary>Absent in trades cancelled before they were recorded; they read as null (and are kept for good).</summary>
    public DateTime? CancelledAt { get; set; }
    public string? CancelledFrom { get; set; }
    /// <summary>Denormalised for the "trades of a town" and "trades using a listing" queries.</summary>
    public string[] Towns { get; set; } = [];
    public string[] ListingIds { get; set; } = [];
    /// <summary>Each pair of <see cref="Towns"/> once (<see cref="MongoMapping.TownPair"/>), for one town's trades with another.
    /// Absent in trades stored before it; the store fills it in at start (<see cref="MongoMatchingStore"/>).</summary>
    public string[]? TownPairs { get; set; }
    public List<LegDocument> Legs { get; set; } = [];

    public static TradeDocument From(Trade t) => new()
    {
        Id = t.Id, RoundId = t.RoundId, Status = MongoMatchingStore.StatusText(t.Status), Deadline = t.Deadline.UtcDateTime,
        CreatedAt = t.CreatedAt.UtcDateTime, Reason = t.Reason, Version = t.Version, TraceParent = t.TraceParent, AgreedAt = t.AgreedAt?.UtcDateTime,
        CancelledAt = t.CancelledAt?.UtcDateTime, CancelledFrom = t.CancelledFrom is { } from ? MongoMatchingStore.StatusText(from) : null, Towns = t.Towns.ToArray(),
        TownPairs = MongoMapping.TownPairs(t.Towns), ListingIds = t.ListingIds.ToArray(), Legs = t.Legs.Select(LegDocument.From).ToList(),
    };

    public Trade ToDomain() => new(Id, RoundId, Enum.Parse<TradeStatus>(Status, ignoreCase: true), Legs.Select(l => l.ToDomain()).ToList(),
        ListingDocument.Utc(Deadline)!.Value, ListingDocument.Utc(CreatedAt)!.Value, Reason, Version, TraceParent, ListingDocument.Utc(AgreedAt),
        ListingDocument.Utc(CancelledAt), CancelledFrom is null ? null : Enum.Parse<TradeStatus>(CancelledFrom, ignoreCase: true));
}

public sealed class LegDocument
{
    public int Index { get; set; }
    public string FromTown { get; set; } = "";
    public string ToTown { get; set; } = "";
    public string OfferId { get; set; } = "";
    public string NeedId { get; set; } = "";
    public string Category { get; set; } = "";
    public double Quantity { get; set; }
    public double Value { get; set; }
    public double WeightKg { get; set; }
    public double FromLat { get; set; }
    public double FromLon { get; set; }
    public double ToLat { get; set; }
    public double ToLon { get; set; }
    public DateTime? AvailableFrom { get; set; }
    public DateTime? AvailableUntil { get; set; }
    public string Response { get; set; } = "";
    public DateTime? AnsweredAt { get; set; }
    /// <summary>Absent in legs stored before pickups were tracked; they read as not picked up.</summary>
    public bool PickedUp { get; set; }
    public DateTime? PickedUpAt { get; set; }
    public DateTime? LastFailedAt { get; set; }
    public bool Delivered { get; set; }
    public DateTime? DeliveredAt { get; set; }
    public string? Failure { get; set; }
    public long OfferVersion { get; set; }
    public long NeedVersion { get; set; }
    /// <summary>Absent in legs agreed before catalog answered reserved versions; they read as null (nothing to hold).</summary>
    public long? OfferReservedVersion { get; set; }
    public long? NeedReservedVersion { get; set; }

    public static LegDocument From(TradeLegState s) => new()
    {
        Index = s.Leg.Index, FromTown = s.Leg.FromTown, ToTown = s.Leg.ToTown, OfferId = s.Leg.OfferId, NeedId = s.Leg.NeedId,
        Category = s.Leg.Category, Quantity = s.Leg.Quantity, Value = s.Leg.Value, WeightKg = s.Leg.WeightKg,
        FromLat = s.Leg.From.Lat, FromLon = s.Leg.From.Lon, ToLat = s.Leg.To.Lat, ToLon = s.Leg.To.Lon,
        AvailableFrom = s.Leg.AvailableFrom?.UtcDateTime, AvailableUntil = s.Leg.AvailableUntil?.UtcDateTime,
        Response = s.Response.ToString().ToLowerInvariant(), AnsweredAt = s.AnsweredAt?.UtcDateTime,
        PickedUp = s.PickedUp, PickedUpAt = s.PickedUpAt?.UtcDateTime, LastFailedAt = s.LastFailedAt?.UtcDateTime, Delivered = s.Delivered,
        DeliveredAt = s.DeliveredAt?.UtcDateTime, Failure = s.Failure, OfferVersion = s.OfferVersion, NeedVersion = s.NeedVersion,
        OfferReservedVersion = s.OfferReservedVersion, NeedReservedVersion = s.NeedReservedVersion,
    };

    public TradeLegState ToDomain() => new(
        new TradeLeg(Index, FromTown, ToTown, OfferId, NeedId, Category, Quantity, Value, WeightKg,
            new TradePoint(FromLat, FromLon), new TradePoint(ToLat, ToLon), ListingDocument.Utc(AvailableFrom), ListingDocument.Utc(AvailableUntil)),
        Enum.Parse<LegResponse>(Response, ignoreCase: true), ListingDocument.Utc(AnsweredAt), Delivered, ListingDocument.Utc(DeliveredAt),
        Failure, OfferVersion, NeedVersion, PickedUp, ListingDocument.Utc(PickedUpAt), ListingDocument.Utc(LastFailedAt),
        OfferReservedVersion, NeedReservedVersion);
}

public sealed class RoundDocument
{
    public Guid Id { get; set; }
    public DateTime StartedAt { get; set; }
    public long DurationMs { get; set; }
    public int Listings { get; set; }
    public int Trades { get; set; }
    public double Objective { get; set; }
    public string Status { get; set; } = "";
    public string Trigger { get; set; } = "";
    public List<Guid> TradeIds { get; set; } = [];
    public string Strategy { get; set; } = "";
    public int CandidateLegs { get; set; }
    public int CandidateCycles { get; set; }
    public double? UpperBound { get; set; }
    public RoundQuality? Quality { get; set; }

    public static RoundDocument From(ClearingRound r) => new()
    {
        Id = r.Id, StartedAt = r.StartedAt.UtcDateTime, DurationMs = r.DurationMs, Listings = r.Listings, Trades = r.Trades,
        Objective = r.Objective, Status = r.Status, Trigger = r.Trigger, TradeIds = r.TradeIds.ToList(), Strategy = r.Strategy,
        CandidateLegs = r.CandidateLegs, CandidateCycles = r.CandidateCycles, UpperBound = r.UpperBound, Quality = r.Quality,
    };

    public ClearingRound ToDomain() => new(Id, ListingDocument.Utc(StartedAt)!.Value, DurationMs, Listings, Trades, Objective, Status,
        Trigger, TradeIds, Strategy, CandidateLegs, CandidateCycles, UpperBound, Quality);
}

