namespace TradeNet.Logistics.Planner;

/// <summary>
/// Road distances without a map: great-circle (haversine) length × a detour factor, in whole
/// metres, and seconds at an average speed; a table of known road distances overrides both.
/// </summary>
public sealed class DistanceModel
{
    private const double EarthRadiusMeters = 6_371_008.8;
    private readonly DistanceSettings settings;
    private readonly Dictionary<(string, string), RoadDistance> overrides = new();

    public DistanceModel(DistanceSettings? settings = null)
    {
        this.settings = settings ?? new DistanceSettings();
        // NaN passed the comparisons and made every distance 0 m; an infinite detour overflowed the date arithmetic.
        if (!(this.settings.DetourFactor >= 1) || double.IsInfinity(this.settings.DetourFactor))
            throw new ArgumentException("The detour factor must be a finite number of at least 1.");
        if (!(this.settings.SpeedKmh > 0) || double.IsInfinity(this.settings.SpeedKmh))
            throw new ArgumentException("The speed must be a finite positive number.");
        foreach (var o in this.settings.Overrides ?? [])
        {
            if (o.Meters < 0 || o.Duration < TimeSpan.Zero)
                throw new ArgumentException($"The road distance from {o.FromTownId} to {o.ToTownId} cannot be negative.");
            overrides[(o.FromTownId, o.ToTownId)] = o;
            overrides.TryAdd((o.ToTownId, o.FromTownId), o);
        }
    }

    public DistanceSettings Settings => settings;

    public static double HaversineMeters(GeoPoint a, GeoPoint b)
    {
        double rad = Math.PI / 180;
        double dLat = (b.Latitude - a.Latitude) * rad, dLon = (b.Longitude - a.Longitude) * rad;
        double h = Math.Sin(dLat / 2) * Math.Sin(dLat / 2)
                   + Math.Cos(a.Latitude * rad) * Math.Cos(b.Latitude * rad) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * EarthRadiusMeters * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    public long Meters(Place from, Place to)
    {
        if (from.TownId == to.TownId) return 0;
        if (overrides.TryGetValue((from.TownId, to.TownId), out var o)) return o.Meters;
        return (long)Math.Round(HaversineMeters(from.Point, to.Point) * settings.DetourFactor);
    }

    /// <summary>Driving seconds, rounded up so that a plan never counts on arriving early.</summary>
    public long Seconds(Place from, Place to)
    {
        if (from.TownId == to.TownId) return 0;
        if (overrides.TryGetValue((from.TownId, to.TownId), out var o) && o.Duration is { } d) return (long)Math.Ceiling(d.TotalSeconds);
        return (long)Math.Ceiling(Meters(from, to) / (settings.SpeedKmh / 3.6));
    }
}
