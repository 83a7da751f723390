using TradeNet.Contracts;
using TradeNet.Shared.Hosting;

namespace TradeNet.Catalog.Domain;

public static class ListingKinds
{
    public const string Offer = "offer";
    public const string Need = "need";
    public static readonly string[] All = [Offer, Need];
}

public static class ListingStatuses
{
    public const string Active = "active";
    public const string Withdrawn = "withdrawn";
    public const string Exhausted = "exhausted";
    /// <summary>Shown, never stored: an active listing whose window has ended (<see cref="Listing.StatusAt"/>). It stays
    /// active in the store, so a change that moves the end later opens it again with nothing else to undo.</summary>
    public const string Ended = "ended";
    /// <summary>What a listing shows and a list filters by.</summary>
    public static readonly string[] All = [Active, Ended, Withdrawn, Exhausted];
}

/// <summary>An offer (what a town has) or a need (what it wants). Quantities split into what is still
/// free (remaining), promised to agreed trades (reserved) and delivered (fulfilled).</summary>
public sealed record Listing(
    string Id,
    string TownId,
    string Kind,
    string Category,
    double Quantity,
    double Reserved,
    double Fulfilled,
    double MinLot,
    string[] Attributes,
    string[] Requires,
    DateTimeOffset? AvailableFrom,
    DateTimeOffset? AvailableUntil,
    double? MaxDistanceKm,
    string Status,
    long Version,
    DateTimeOffset CreatedAt)
{
    /// <summary>Quantities are doubles (kg, l, kWh…): comparisons allow for rounding in the matcher.</summary>
    public const double Epsilon = 1e-6;

    /// <summary>What is free: nothing when only a crumb of float noise (≤ <see cref="Epsilon"/>) is left, as every check
    /// here reads it; a kilo shared as three thirds of 0.333333333333333 showed 1E-15 to towns and to matching's book.</summary>
    public double Remaining => Quantity - Reserved - Fulfilled is var free && free > Epsilon ? free : 0;

    /// <summary>What the quantity may not drop below.</summary>
    public double Committed => Reserved + Fulfilled;

    public bool IsActive => Status == ListingStatuses.Active;

    /// <summary>Active and its window not ended: a listing the order book still holds (matching skips ended ones), and
    /// what counts against the town's <see cref="CatalogOptions.MaxOpenListingsPerTown"/>.</summary>
    public bool IsOpenAt(DateTimeOffset now) => IsActive && (AvailableUntil is null || AvailableUntil >= now);

    /// <summary>The status shown at <paramref name="now"/>: <see cref="ListingStatuses.Ended"/> for an active listing whose
    /// window is over (no round matches it, it holds no place against the town's limit), else the stored one.</summary>
    public string StatusAt(DateTimeOffset now) => IsActive && !IsOpenAt(now) ? ListingStatuses.Ended : Status;

    public Listing Reserve(double quantity) => Settle(this with { Reserved = Reserved + quantity });

    public Listing Release(double quantity) => Settle(this with { Reserved = Clamp(Reserved - quantity) });

    public Listing Fulfil(double quantity) =>
        Settle(this with { Reserved = Clamp(Reserved - quantity), Fulfilled = Fulfilled + quantity });

    public Listing Withdraw() => this with { Status = ListingStatuses.Withdrawn, Version = Version + 1 };

    /// <summary>Applies an owner's change (already validated) and bumps the version.</summary>
    public Listing Change(ListingTerms terms) => Settle(this with
    {
        Quantity = terms.Quantity,
        MinLot = terms.MinLot,
        Attributes = terms.Attributes,
        Requires = terms.Requires,
        AvailableFrom = terms.AvailableFrom,
        AvailableUntil = terms.AvailableUntil,
        MaxDistanceKm = terms.MaxDistanceKm,
    });

    /// <summary>The same listing announced again after its town moved: only the version changes, so the snapshot carrying
    /// the new position replaces matching's copy (which keeps the newest version it has read).</summary>
    public Listing Relocated() => this with { Version = Version + 1 };

    public ListingTerms Terms => new(Quantity, MinLot, Attributes, Requires, AvailableFrom, AvailableUntil, MaxDistanceKm);

    /// <summary>What matching's copy of this listing must match for a reservation (quantities left out), in the current
    /// scheme: with the position of <paramref name="town"/>, the listing's town as catalog holds it now.</summary>
    public string TermsFingerprint(Town town) =>
        ListingTermsFingerprint.Of(Kind, Category, TownId, MinLot, Attributes, Requires, MaxDistanceKm, AvailableFrom, AvailableUntil,
            town.Lat, town.Lon);

    /// <summary>The same in the earlier scheme, without the position, for a caller still sending it.</summary>
    public string TermsFingerprintWithoutPosition =>
        ListingTermsFingerprint.WithoutPosition(Kind, Category, TownId, MinLot, Attributes, Requires, MaxDistanceKm, AvailableFrom, AvailableUntil);

    /// <summary>Nothing held and too little left for a leg: nothing (a crumb of float noise), or less than its own min lot,
    /// which no round can propose. Such a listing held one of the town's open places for good; a change that gives it
    /// more, or a lower lot, reopens it. The lot is compared as matching's book compares it (<c>OrderBook.AvailableOf</c>:
    /// both rounded by <see cref="DisplayedNumbers.Round"/>, then at least the lot), not within <see cref="Epsilon"/>: 2.9999995 of
    /// a lot of 3 is in no round, and stayed active here for good.</summary>
    public bool IsSpent => Reserved <= Epsilon && (Remaining <= Epsilon || DisplayedNumbers.Round(Remaining) < DisplayedNumbers.Round(MinLot));

    /// <summary>An active listing a release before this rule left open although spent (<see cref="IsSpent"/>), settled as a
    /// trade would settle it now (exhausted, its version bumped); null when it needs nothing.</summary>
    public Listing? SettledIfSpent() => IsActive && IsSpent ? Settle(this) : null;

    // Every change bumps the version, so consumers of ListingChanged can drop stale copies.
    private static Listing Settle(Listing l)
    {
        var status = l.Status switch
        {
            ListingStatuses.Withdrawn => ListingStatuses.Withdrawn,
            _ when l.IsSpent => ListingStatuses.Exhausted,
            _ => ListingStatuses.Active,
        };
        return l with { Status = status, Version = l.Version + 1 };
    }

    private static double Clamp(double value) => value < Epsilon ? 0 : value;
}

/// <summary>The part of a listing its town may change.</summary>
public sealed record ListingTerms(
    double Quantity,
    double MinLot,
    string[] Attributes,
    string[] Requires,
    DateTimeOffset? AvailableFrom,
    DateTimeOffset? AvailableUntil,
    double? MaxDistanceKm)
{
    /// <summary>The same terms, tags compared as the sets they are (record equality compares the arrays by reference).</summary>
    public bool SameAs(ListingTerms other) =>
        Quantity == other.Quantity && MinLot == other.MinLot && Attributes.ToHashSet().SetEquals(other.Attributes) &&
        Requires.ToHashSet().SetEquals(other.Requires) && AvailableFrom == other.AvailableFrom &&
        AvailableUntil == other.AvailableUntil && MaxDistanceKm == other.MaxDistanceKm;
}
