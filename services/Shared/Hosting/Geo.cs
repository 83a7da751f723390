namespace TradeNet.Shared.Hosting;

/// <summary>Distances the way every TradeNet service computes them: great circle × detour factor.</summary>
public static class Geo
{
    public const double DefaultDetourFactor = 1.3;

    public static double HaversineKm(double lat1, double lon1, double lat2, double lon2)
    {
        const double earthRadiusKm = 6371.0;
        static double Rad(double d) => d * Math.PI / 180;
        var dLat = Rad(lat2 - lat1);
        var dLon = Rad(lon2 - lon1);
        var a = Math.Sin(dLat / 2) * Math.Sin(dLat / 2) +
                Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * earthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    public static double RoadKm(double lat1, double lon1, double lat2, double lon2, double detour = DefaultDetourFactor) =>
        HaversineKm(lat1, lon1, lat2, lon2) * detour;
}
