namespace TradeNet.Logistics.Planner;

/// <param name="CostPerKm">Cost of one road kilometre for a typical vehicle.</param>
/// <param name="FixedCostPerTrip">A typical vehicle's fixed cost per use.</param>
/// <param name="LegsPerRoute">How many legs a route typically consolidates: each leg carries this share of the fixed cost.</param>
/// <param name="EmptyReturnShare">Fraction of the leg's length counted again for getting there and back (0 = none, 1 = a full empty return).</param>
public sealed record EstimatorSettings(double CostPerKm = 0.6, double FixedCostPerTrip = 40, double LegsPerRoute = 4, double EmptyReturnShare = 0.5);

public sealed record TransportEstimate(long DistanceMeters, TimeSpan Duration, double Cost);

/// <summary>
/// Cheap transport cost and time per town pair for the matching engine, no solver involved:
/// cost = road km × cost/km × (1 + empty-return share) + fixed cost ÷ legs per route;
/// time = road km at the configured speed. Thousands of pairs take well under a millisecond each.
/// </summary>
public sealed class TransportEstimator(DistanceModel distances, EstimatorSettings? settings = null)
{
    private readonly EstimatorSettings s = settings ?? new EstimatorSettings();

    /// <summary>Settings taken from a fleet: median cost per km and fixed cost.</summary>
    public static EstimatorSettings SettingsFromFleet(IReadOnlyList<Vehicle> fleet, double legsPerRoute = 4, double emptyReturnShare = 0.5)
    {
        if (fleet.Count == 0) return new EstimatorSettings(LegsPerRoute: legsPerRoute, EmptyReturnShare: emptyReturnShare);
        static double Median(IEnumerable<double> xs)
        {
            var a = xs.Order().ToArray();
            return a.Length % 2 == 1 ? a[a.Length / 2] : (a[a.Length / 2 - 1] + a[a.Length / 2]) / 2;
        }
        return new EstimatorSettings(Median(fleet.Select(v => v.CostPerKm)), Median(fleet.Select(v => v.FixedCost)), legsPerRoute, emptyReturnShare);
    }

    public TransportEstimate Estimate(Place from, Place to)
    {
        long meters = distances.Meters(from, to);
        double cost = meters / 1000.0 * s.CostPerKm * (1 + s.EmptyReturnShare) + s.FixedCostPerTrip / Math.Max(1, s.LegsPerRoute);
        return new TransportEstimate(meters, TimeSpan.FromSeconds(distances.Seconds(from, to)), cost);
    }

    public IReadOnlyList<TransportEstimate> EstimateMany(IReadOnlyList<(Place From, Place To)> pairs)
    {
        var result = new TransportEstimate[pairs.Count];
        for (int i = 0; i < pairs.Count; i++) result[i] = Estimate(pairs[i].From, pairs[i].To);
        return result;
    }
}
