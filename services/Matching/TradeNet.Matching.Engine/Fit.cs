namespace TradeNet.Matching.Engine;

/// <summary>The fit rule of DESIGN §2 and issue 3, shared by the engine and the validators so they cannot disagree.</summary>
public static class Fit
{
    private const double EarthRadiusKm = 6371.0088;

    public static double HaversineKm(double lat1, double lon1, double lat2, double lon2)
    {
        const double rad = Math.PI / 180;
        var dLat = (lat2 - lat1) * rad;
        var dLon = (lon2 - lon1) * rad;
        var a = Math.Sin(dLat / 2) * Math.Sin(dLat / 2)
              + Math.Cos(lat1 * rad) * Math.Cos(lat2 * rad) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    /// <summary>Road distance estimate: haversine × detour factor.</summary>
    public static double RoadKm(Town a, Town b, double detourFactor) => HaversineKm(a.Lat, a.Lon, b.Lat, b.Lon) * detourFactor;

    /// <summary>Windows overlap; a missing bound is open.</summary>
    public static bool WindowsOverlap(Listing a, Listing b)
    {
        var from = Max(a.AvailableFrom, b.AvailableFrom);
        var until = Min(a.AvailableUntil, b.AvailableUntil);
        return from is null || until is null || from <= until;
    }

    /// <summary>Whether <paramref name="offer"/> of <paramref name="from"/> can serve <paramref name="need"/> of <paramref name="to"/>.</summary>
    public static bool Fits(Listing offer, Town from, Listing need, Town to, double detourFactor)
    {
        if (offer.Kind != ListingKind.Offer || need.Kind != ListingKind.Need) return false;
        if (from.Id == to.Id || offer.Category != need.Category) return false;
        if (need.Requires is { Count: > 0 } req)
        {
            if (offer.Attributes is not { Count: > 0 } attrs) return false;
            foreach (var r in req) if (!attrs.Contains(r)) return false;
        }
        if (need.MaxDistanceKm is { } max && RoadKm(from, to, detourFactor) > max) return false;
        return WindowsOverlap(offer, need);
    }

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : (a > b ? a : b);
    private static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : (a < b ? a : b);
}
