namespace TradeNet.Logistics.Planner.Core;

/// <summary>
/// A vehicle as the solvers see it: integer units only (distance, time, capacity, cost),
/// so that OR-Tools and the own search optimise exactly the same objective.
/// </summary>
/// <param name="CostPerDistance">Cost of one distance unit for this vehicle (integer multiplier).</param>
/// <param name="Features">Bit mask of what the vehicle offers (e.g. bit 0 = chilled).</param>
public sealed record VehicleSpec(
    int StartNode,
    int EndNode,
    long[] Capacity,
    long CostPerDistance,
    long FixedCost,
    long Earliest,
    long Latest,
    long Features = 0);

/// <summary>
/// The integer routing problem both solvers work on: a distance and a travel-time matrix over
/// nodes, demands in up to two dimensions, time windows, optional pickup-delivery pairing,
/// vehicles with their own depots. Depot nodes are never visits.
/// </summary>
public sealed class RoutingProblem
{
    /// <summary>Penalty of leaving a mandatory visit unserved: larger than any realistic route cost.</summary>
    public const long MandatoryPenalty = 1_000_000_000_000_000; // 1e15

    public RoutingProblem(
        long[][] distance,
        long[][] travelTime,
        long[] serviceTime,
        long[] windowStart,
        long[] windowEnd,
        long[][] demand,
        IReadOnlyList<VehicleSpec> vehicles,
        int[] visits,
        int[]? deliveryOfPickup = null,
        long[]? dropPenalty = null,
        long[]? requiredFeatures = null)
    {
        int n = distance.Length;
        if (travelTime.Length != n || serviceTime.Length != n || windowStart.Length != n || windowEnd.Length != n)
            throw new ArgumentException("All node arrays must have the same length as the distance matrix.");
        if (demand.Length is < 1 or > 2) throw new ArgumentException("One or two capacity dimensions are supported.");
        if (vehicles.Count == 0) throw new ArgumentException("At least one vehicle is needed.");
        CheckTimes(serviceTime, windowStart, windowEnd, vehicles);
        Distance = distance;
        TravelTime = travelTime;
        ServiceTime = serviceTime;
        WindowStart = windowStart;
        WindowEnd = windowEnd;
        Demand = demand;
        Vehicles = vehicles;
        Visits = visits;
        Partner = Enumerable.Repeat(-1, n).ToArray();
        IsPickup = new bool[n];
        if (deliveryOfPickup is not null)
        {
            for (int p = 0; p < n; p++)
            {
                int d = deliveryOfPickup[p];
                if (d < 0) continue;
                Partner[p] = d;
                Partner[d] = p;
                IsPickup[p] = true;
            }
        }
        DropPenalty = dropPenalty ?? Enumerable.Repeat(MandatoryPenalty, n).ToArray();
        RequiredFeatures = requiredFeatures ?? new long[n];
        HasPairs = Partner.Any(p => p >= 0);
        HasTimeWindows = Visits.Any(v => windowStart[v] > 0 || windowEnd[v] < long.MaxValue / 4)
                         || vehicles.Any(v => v.Earliest > 0 || v.Latest < long.MaxValue / 4);
        Horizon = Math.Max(vehicles.Max(v => v.Latest >= long.MaxValue / 4 ? 0 : v.Latest), windowEnd.Where(w => w < long.MaxValue / 4).DefaultIfEmpty(0).Max());
        if (Horizon <= 0)
        {
            // No bound given: serving everything in one tour, each leg at its longest, fits within this.
            long bound = 1 + vehicles.Max(v => v.Earliest);
            foreach (int node in visits.Concat(vehicles.Select(v => v.StartNode)))
                bound += serviceTime[node] + travelTime[node].Max();
            Horizon = bound;
        }
    }

    /// <summary>
    /// OR-Tools aborts the process (not a catchable error) on an empty range, so a window that
    /// closes before it opens or before time 0, or a negative service, is refused here for every caller.
    /// </summary>
    private static void CheckTimes(long[] service, long[] start, long[] end, IReadOnlyList<VehicleSpec> vehicles)
    {
        for (int i = 0; i < start.Length; i++)
        {
            if (service[i] < 0) throw new ArgumentException($"node {i}: negative service time {service[i]}");
            if (start[i] > end[i] || end[i] < 0) throw new ArgumentException($"node {i}: time window [{start[i]}, {end[i]}] is empty");
        }
        for (int v = 0; v < vehicles.Count; v++)
        {
            var veh = vehicles[v];
            if (veh.StartNode < 0 || veh.StartNode >= start.Length || veh.EndNode < 0 || veh.EndNode >= start.Length)
                throw new ArgumentException($"vehicle {v}: depot node out of range");
            long leave = Math.Max(veh.Earliest, start[veh.StartNode]), back = Math.Min(veh.Latest, end[veh.EndNode]);
            if (leave > Math.Min(veh.Latest, end[veh.StartNode]) || Math.Max(veh.Earliest, 0) > back)
                throw new ArgumentException($"vehicle {v}: available [{veh.Earliest}, {veh.Latest}] leaves no time at its depots");
        }
    }

    public int NodeCount => Distance.Length;
    public long[][] Distance { get; }
    public long[][] TravelTime { get; }
    public long[] ServiceTime { get; }
    public long[] WindowStart { get; }
    public long[] WindowEnd { get; }
    /// <summary>Demand per dimension and node; pickups positive, deliveries negative.</summary>
    public long[][] Demand { get; }
    public IReadOnlyList<VehicleSpec> Vehicles { get; }
    /// <summary>Nodes that are visits (not depots).</summary>
    public int[] Visits { get; }
    /// <summary>The other node of a pickup-delivery pair, or -1.</summary>
    public int[] Partner { get; }
    public bool[] IsPickup { get; }
    public long[] DropPenalty { get; }
    public long[] RequiredFeatures { get; }
    public bool HasPairs { get; }
    public bool HasTimeWindows { get; }
    /// <summary>Latest time anything may happen: the latest window or availability end, or a safe bound when none is given.</summary>
    public long Horizon { get; }
    public int Dimensions => Demand.Length;

    public bool Allowed(int vehicle, int node) =>
        (Vehicles[vehicle].Features & RequiredFeatures[node]) == RequiredFeatures[node];

    public bool IsOptional(int node) => DropPenalty[node] < MandatoryPenalty;
}
