using TradeNet.Logistics.Planner.Core;

namespace TradeNet.Logistics.Planner;

/// <summary>
/// The request as an integer routing problem. Nodes: one depot per distinct home town, then a
/// pickup and a delivery node per transfer. Units: metres, seconds from <see cref="Epoch"/>,
/// grams, litres, and micro-currency for costs (so cheap vehicles keep their price differences).
/// </summary>
internal sealed class PlanningModel
{
    public const long ChilledFeature = 1;
    /// <summary>Leaving a feasible transfer out costs at least this (10⁷ currency units), and more than serving it could.</summary>
    private const long DropPenalty = 10_000_000L * Micro;
    public const long Micro = 1_000_000;

    public PlanningModel(PlanRequest request, IReadOnlyList<Transfer> transfers, DistanceModel distances)
    {
        Request = request;
        Transfers = transfers;
        Distances = distances;
        var vehicles = request.Vehicles;
        var first = transfers.Select(t => t.PickupWindow.From).Concat(vehicles.Select(v => v.Availability.From)).Min();
        // A whole-second epoch keeps the solver's seconds on the calendar's, as Feasibility.HoldsWholeSecond assumes.
        Epoch = first.AddTicks(-(first.UtcTicks % TimeSpan.TicksPerSecond));

        var places = new List<Place>();
        var depotOf = new Dictionary<string, int>();
        foreach (var v in vehicles)
        {
            if (depotOf.ContainsKey(v.Home.TownId)) continue;
            depotOf[v.Home.TownId] = places.Count;
            places.Add(v.Home);
        }
        int firstVisit = places.Count;
        foreach (var t in transfers)
        {
            places.Add(t.Pickup);
            places.Add(t.Delivery);
        }
        Places = places;
        int n = places.Count;
        var dist = new long[n][];
        var time = new long[n][];
        for (int i = 0; i < n; i++)
        {
            dist[i] = new long[n];
            time[i] = new long[n];
            for (int j = 0; j < n; j++)
            {
                dist[i][j] = distances.Meters(places[i], places[j]);
                time[i][j] = distances.Seconds(places[i], places[j]);
            }
        }
        var service = new long[n];
        var open = new long[n];
        var close = Enumerable.Repeat(long.MaxValue, n).ToArray();
        var weight = new long[n];
        var volume = new long[n];
        var delivery = Enumerable.Repeat(-1, n).ToArray();
        var required = new long[n];
        var penalty = Enumerable.Repeat(RoutingProblem.MandatoryPenalty, n).ToArray();
        var maxRide = Enumerable.Repeat(long.MaxValue, n).ToArray();
        long dropPenalty = Penalty(vehicles, dist, transfers.Count);
        for (int k = 0; k < transfers.Count; k++)
        {
            var t = transfers[k];
            int p = firstVisit + 2 * k, d = p + 1;
            service[p] = service[d] = (long)Math.Ceiling(t.ServiceTime.TotalSeconds);
            (open[p], close[p]) = (SecondsUp(t.PickupWindow.From), Seconds(t.PickupWindow.To));
            (open[d], close[d]) = (SecondsUp(t.DeliveryWindow.From), Seconds(t.DeliveryWindow.To));
            weight[p] = Thousandths.Load(t.WeightKg);
            weight[d] = -weight[p];
            volume[p] = Thousandths.Load(t.VolumeM3 ?? 0);
            volume[d] = -volume[p];
            delivery[p] = d;
            required[p] = required[d] = t.Chilled ? ChilledFeature : 0;
            penalty[p] = penalty[d] = dropPenalty;
            // Rounded down, as windows are rounded inward: a plan never counts on a fraction of a second more.
            if (t.MaxRideTime is { } ride) maxRide[p] = WholeSeconds(ride);
        }
        bool volumes = transfers.Any(t => t.VolumeM3 is > 0);
        var fleet = vehicles.Select(v => new VehicleSpec(
            depotOf[v.Home.TownId], depotOf[v.Home.TownId],
            volumes ? [Thousandths.Capacity(v.CapacityKg), v.VolumeM3 is { } m3 ? Thousandths.Capacity(m3) : long.MaxValue / 4]
                    : [Thousandths.Capacity(v.CapacityKg)],
            (long)Math.Round(v.CostPerKm * 1000), // micro-currency per metre
            (long)Math.Round(v.FixedCost * Micro),
            SecondsUp(v.Availability.From), Seconds(v.Availability.To),
            v.Chilled ? ChilledFeature : 0,
            v.MaxRouteDuration is { } shift ? WholeSeconds(shift) : long.MaxValue)).ToArray();
        FirstVisit = firstVisit;
        Problem = new RoutingProblem(dist, time, service, open, close, volumes ? [weight, volume] : [weight], fleet,
            Enumerable.Range(firstVisit, n - firstVisit).ToArray(), delivery, penalty, required, maxRide);
    }

    public PlanRequest Request { get; }
    public IReadOnlyList<Transfer> Transfers { get; }
    public DistanceModel Distances { get; }
    public DateTimeOffset Epoch { get; }
    public IReadOnlyList<Place> Places { get; }
    public int FirstVisit { get; }
    public RoutingProblem Problem { get; }

    public Transfer TransferAt(int node) => Transfers[(node - FirstVisit) / 2];
    public bool IsPickupNode(int node) => (node - FirstVisit) % 2 == 0;

    // Whole ticks, not TotalSeconds: a double can round a tick past a whole second far from the epoch.
    public long Seconds(DateTimeOffset t) => (long)Math.Floor((t - Epoch).Ticks / (decimal)TimeSpan.TicksPerSecond);
    public long SecondsUp(DateTimeOffset t) => (long)Math.Ceiling((t - Epoch).Ticks / (decimal)TimeSpan.TicksPerSecond);
    public DateTimeOffset Time(long seconds) => Epoch.AddSeconds(seconds);

    /// <summary>
    /// The penalty for leaving a transfer out: above what serving it could add to any route (the dearest vehicle's fixed
    /// cost and four of the longest arcs at its cost per km, as a pickup and a delivery put in apart replace two arcs by
    /// four). A fixed 10⁷ lost to a vehicle costing more per use or per trip, within the input check's 10⁹: the solver
    /// left out every transfer it could carry and reported it "feasible alone, but no room in the plan" (DropPenaltyTests).
    /// </summary>
    private static long Penalty(IReadOnlyList<Vehicle> vehicles, long[][] dist, int transfers)
    {
        double longest = dist.Max(row => row.Max());
        double dearest = vehicles.Max(v => Math.Round(v.FixedCost * Micro) + Math.Round(v.CostPerKm * 1000) * 4 * longest);
        // Below the mandatory penalty (above it a visit counts as mandatory), and every transfer left out still sums in a long.
        long ceiling = Math.Min(RoutingProblem.MandatoryPenalty - 1, long.MaxValue / 4 / (transfers + 1));
        if (!(dearest < ceiling))
            throw new ArgumentException($"vehicle costs over these distances are too large for the solver: serving one transfer " +
                $"could cost {dearest / Micro:0} currency units, more than the {ceiling / Micro:0} it can tell from leaving it out");
        return Math.Max(DropPenalty, (long)dearest + 1);
    }

    /// <summary>A limit in whole seconds, rounded down; one beyond a century is no limit (and cannot overflow the solver's sums).</summary>
    private static long WholeSeconds(TimeSpan limit) => limit >= MaxLimit ? long.MaxValue : limit.Ticks / TimeSpan.TicksPerSecond;

    private static readonly TimeSpan MaxLimit = TimeSpan.FromDays(36_525);
}
