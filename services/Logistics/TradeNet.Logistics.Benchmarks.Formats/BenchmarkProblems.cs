using TradeNet.Logistics.Planner.Core;

namespace TradeNet.Logistics.Benchmarks.Formats;

/// <summary>Turns benchmark instances into the planner's integer routing problem.</summary>
public static class BenchmarkProblems
{
    /// <summary>Time-window families are scaled by 100 and rounded per arc: OR-Tools needs integers (≈ +0.01% on the length).</summary>
    public const int TimeWindowScale = 100;

    /// <summary>Fixed cost per used vehicle in scaled units: larger than any distance saving, so fewer vehicles come first (the BKS convention).</summary>
    public const long VehicleFixedCost = 1_000_000;

    /// <summary>
    /// CVRP: rounded Euclidean arcs (the CVRPLIB cost convention). The fleet is left a little
    /// larger than the minimum (k + 2, as CVRPLIB optima may use more routes than k, e.g. X-n101-k25).
    /// </summary>
    public static RoutingProblem FromCvrp(CvrpInstance inst, int? vehicles = null)
    {
        int n = inst.X.Length;
        long totalDemand = inst.Demand.Sum(d => (long)d);
        long minimum = (totalDemand + inst.Capacity - 1) / inst.Capacity;
        // No customer needs more than one vehicle of its own, so a fleet beyond that only costs memory.
        int m = vehicles ?? (int)Math.Min(Math.Max(inst.MinVehicles ?? minimum, minimum), inst.Customers) + 2;
        var dist = new long[n][];
        for (int i = 0; i < n; i++)
        {
            dist[i] = new long[n];
            for (int j = 0; j < n; j++) dist[i][j] = inst.Distance(i, j);
        }
        var zeros = new long[n];
        var open = Enumerable.Repeat(long.MaxValue, n).ToArray();
        var fleet = Enumerable.Range(0, m).Select(_ => new VehicleSpec(0, 0, [inst.Capacity], 1, 0, 0, long.MaxValue)).ToArray();
        return new RoutingProblem(dist, ZeroMatrix(n), zeros, zeros, open,
            [inst.Demand.Select(d => (long)d).ToArray()], fleet, Enumerable.Range(1, n - 1).ToArray());
    }

    /// <summary>Solomon or Li &amp; Lim: times and distances ×100, a large fixed cost per vehicle, all visits mandatory.</summary>
    public static RoutingProblem FromTimeWindows(TimeWindowNodes inst)
    {
        int n = inst.Count;
        var dist = new long[n][];
        for (int i = 0; i < n; i++)
        {
            dist[i] = new long[n];
            for (int j = 0; j < n; j++) dist[i][j] = (long)Math.Round(inst.Distance(i, j) * TimeWindowScale);
        }
        long S(int x) => (long)x * TimeWindowScale;
        // More vehicles than customers are never used; the file may say millions.
        var fleet = Enumerable.Range(0, Math.Min(inst.Vehicles, Math.Max(1, n - 1)))
            .Select(_ => new VehicleSpec(0, 0, [inst.Capacity], 1, VehicleFixedCost, S(inst.Ready[0]), S(inst.Due[0]))).ToArray();
        bool pairs = inst.DeliveryOfPickup.Any(d => d >= 0);
        return new RoutingProblem(dist, dist,
            inst.Service.Select(S).ToArray(), inst.Ready.Select(S).ToArray(), inst.Due.Select(S).ToArray(),
            [inst.Demand.Select(d => (long)d).ToArray()], fleet, Enumerable.Range(1, n - 1).ToArray(),
            pairs ? inst.DeliveryOfPickup : null);
    }

    private static long[][] ZeroMatrix(int n) => Enumerable.Range(0, n).Select(_ => new long[n]).ToArray();
}
