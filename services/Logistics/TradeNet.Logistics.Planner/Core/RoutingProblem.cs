namespace TradeNet.Logistics.Planner.Core;

/// <summary>
/// A vehicle as the solvers see it: integer units only (distance, time, capacity, cost),
/// so that OR-Tools and the own search optimise exactly the same objective.
/// </summary>
/// <param name="CostPerDistance">Cost of one distance unit for this vehicle (integer multiplier).</param>
/// <param name="Features">Bit mask of what the vehicle offers (e.g. bit 0 = chilled).</param>
/// <param name="MaxDuration">Longest route, from leaving the start depot to reaching the end depot; long.MaxValue = no limit but the availability.</param>
public sealed record VehicleSpec(
    int StartNode,
    int EndNode,
    long[] Capacity,
    long CostPerDistance,
    long FixedCost,
    long Earliest,
    long Latest,
    long Features = 0,
    long MaxDuration = long.MaxValue)
{
    public bool HasMaxDuration => MaxDuration < long.MaxValue;
}

/// <summary>
/// The integer routing problem both solvers work on: a distance and a travel-time matrix over
/// nodes, demands in up to two dimensions, time windows, optional pickup-delivery pairing with a
/// longest ride per pair, vehicles with their own depots and a longest route. Depot nodes are never visits.
/// Time is the service start at each node: a pair's ride is its delivery's start minus its pickup's end.
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
        long[]? requiredFeatures = null,
        long[]? maxRide = null)
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
        MaxRide = maxRide ?? Enumerable.Repeat(long.MaxValue, n).ToArray();
        CheckLimits(MaxRide, IsPickup, vehicles);
        HasPairs = Partner.Any(p => p >= 0);
        HasRideLimits = Visits.Any(v => IsPickup[v] && MaxRide[v] < long.MaxValue);
        HasDurationLimits = vehicles.Any(v => v.HasMaxDuration);
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

    private static void CheckLimits(long[] maxRide, bool[] isPickup, IReadOnlyList<VehicleSpec> vehicles)
    {
        if (maxRide.Length != isPickup.Length) throw new ArgumentException("The ride limits must have one entry per node.");
        for (int i = 0; i < maxRide.Length; i++)
        {
            if (maxRide[i] < 0) throw new ArgumentException($"node {i}: negative ride limit {maxRide[i]}");
            if (maxRide[i] < long.MaxValue && !isPickup[i]) throw new ArgumentException($"node {i}: a ride limit belongs to a pickup");
        }
        for (int v = 0; v < vehicles.Count; v++)
            if (vehicles[v].MaxDuration < 0) throw new ArgumentException($"vehicle {v}: negative route duration limit");
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
    /// <summary>Per pickup: longest time from the end of its service to the start of its delivery's; long.MaxValue = none.</summary>
    public long[] MaxRide { get; }
    public bool HasPairs { get; }
    public bool HasRideLimits { get; }
    public bool HasDurationLimits { get; }
    /// <summary>Limits that the earliest-start forward pass alone cannot decide (they may need a later start somewhere).</summary>
    public bool HasTimingLimits => HasRideLimits || HasDurationLimits;
    public bool HasTimeWindows { get; }
    /// <summary>Latest time anything may happen: the latest window or availability end, or a safe bound when none is given.</summary>
    public long Horizon { get; }
    public int Dimensions => Demand.Length;

    public bool Allowed(int vehicle, int node) =>
        (Vehicles[vehicle].Features & RequiredFeatures[node]) == RequiredFeatures[node];

    public bool IsOptional(int node) => DropPenalty[node] < MandatoryPenalty;
}
