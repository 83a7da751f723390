using TradeNet.Shared.Hosting;

namespace TradeNet.Matching.Clearing;

/// <summary>When an offer can serve a need (DESIGN §2): different towns, same category, every required
/// attribute carried, within the need's road distance, overlapping availability windows.</summary>
public static class Fit
{
    public static bool Serves(BookEntry offer, BookEntry need, double detourFactor)
    {
        if (offer.Kind != ListingKind.Offer || need.Kind != ListingKind.Need) return false;
        if (string.Equals(offer.TownId, need.TownId, StringComparison.Ordinal)) return false;
        if (need.MaxDistanceKm is { } max && Geo.RoadKm(offer.Lat, offer.Lon, need.Lat, need.Lon, detourFactor) > max) return false;
        return GoodsMatch(offer, need);
    }

    /// <summary>What an offer's goods must be for a need whatever the towns: same category, every required attribute
    /// carried, overlapping windows (also what tells a town its own offer would serve its own need: SelfServed).</summary>
    public static bool GoodsMatch(BookEntry offer, BookEntry need) =>
        string.Equals(offer.Category, need.Category, StringComparison.Ordinal)
        && need.Requires.All(r => offer.Attributes.Contains(r, StringComparer.OrdinalIgnoreCase))
        && WindowsOverlap(offer, need);

    /// <summary>Open ends are unbounded; windows that merely touch still overlap (a handover at that instant).</summary>
    public static bool WindowsOverlap(BookEntry a, BookEntry b)
    {
        var from = Max(a.AvailableFrom, b.AvailableFrom);
        var until = Min(a.AvailableUntil, b.AvailableUntil);
        return from is null || until is null || from <= until;
    }

    public static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    public static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;
}
