using TradeNet.Contracts;
using TradeNet.Shared.Hosting;

namespace TradeNet.Logistics.Planning;

public sealed record TripEstimate(double DistanceKm, double Cost, TimeSpan Duration);

/// <summary>
/// How far, how dear and how long a direct trip is: road km = haversine × detour factor,
/// cost = km × cost per km, duration = km / speed. Planning and <c>EstimateTransport</c> both use it,
/// so what matching is quoted is what a direct shipment costs.
/// </summary>
public sealed record TransportModel(double SpeedKmh, double CostPerKm, double DetourFactor = Geo.DefaultDetourFactor)
{
    public static TransportModel From(LogisticsOptions options)
    {
        if (!(options.SpeedKmh > 0) || double.IsInfinity(options.SpeedKmh))
            throw new ArgumentException("Logistics:SpeedKmh must be a positive number.");
        if (!(options.CostPerKm >= 0) || double.IsInfinity(options.CostPerKm))
            throw new ArgumentException("Logistics:CostPerKm must be zero or more.");
        if (!(options.DetourFactor >= 1) || double.IsInfinity(options.DetourFactor))
            throw new ArgumentException("Logistics:DetourFactor must be at least 1.");
        return new(options.SpeedKmh, options.CostPerKm, options.DetourFactor);
    }

    public TripEstimate Estimate(double fromLat, double fromLon, double toLat, double toLon)
    {
        var km = Geo.RoadKm(fromLat, fromLon, toLat, toLon, DetourFactor);
        return new(km, km * CostPerKm, TimeSpan.FromHours(km / SpeedKmh));
    }

    public TripEstimate Estimate(TradePoint from, TradePoint to) => Estimate(from.Lat, from.Lon, to.Lat, to.Lon);
}
