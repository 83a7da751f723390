using System.Diagnostics;
using TradeNet.Logistics.Planner;
using TradeNet.Logistics.Planner.Core;

namespace TradeNet.Logistics.Benchmarks;

/// <summary>
/// The interactive case: 50 transfers (100 stops) between 40 synthetic towns around Roanne,
/// 6 vehicles from 3 home towns (2 chilled), one working day. Solved in 1 s and, for
/// reference, in 10 s; every plan is checked by <see cref="PlanValidator"/>.
/// </summary>
public static class Latency
{
    public static void Run(double seconds, SearchStrategy strategy)
    {
        var request = Scenario(50, seed: 7);
        Console.WriteLine("| case | budget s | seconds | CPU s | routes | served | unserved | cost | vs 10 s | valid |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
        var reference = Solve(request, 10, strategy);
        var quick = Solve(request, seconds, strategy);
        Print("50 transfers", seconds, quick, reference.Plan.TotalCost);
        Print("50 transfers", 10, reference, reference.Plan.TotalCost);

        var estimator = new TransportEstimator(new DistanceModel());
        var towns = request.Transfers.SelectMany(t => new[] { t.Pickup, t.Delivery }).DistinctBy(p => p.TownId).ToArray();
        var pairs = towns.SelectMany(a => towns.Select(b => (a, b))).ToArray();
        var clock = Stopwatch.StartNew();
        int rounds = 0;
        while (clock.ElapsedMilliseconds < 500) { estimator.EstimateMany(pairs); rounds++; }
        Console.WriteLine($"\nTransportEstimator: {pairs.Length * rounds / clock.Elapsed.TotalSeconds:0} pairs/s ({pairs.Length} pairs per batch)");
    }

    private static (RoutePlan Plan, double Seconds, double Cpu, IReadOnlyList<string> Errors) Solve(PlanRequest request, double seconds, SearchStrategy strategy)
    {
        var r = request with { Options = new PlannerOptions(TimeSpan.FromSeconds(seconds), Strategy: strategy) };
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var plan = RoutePlanner.Plan(r);
        double elapsed = clock.Elapsed.TotalSeconds;
        process.Refresh();
        return (plan, elapsed, (process.TotalProcessorTime - cpuBefore).TotalSeconds, PlanValidator.Validate(r, plan));
    }

    private static void Print(string name, double budget, (RoutePlan Plan, double Seconds, double Cpu, IReadOnlyList<string> Errors) x, double reference)
    {
        int served = x.Plan.Routes.Sum(r => r.Stops.Sum(s => s.PickedUp.Count));
        string valid = x.Errors.Count == 0 ? "yes" : "NO: " + x.Errors[0];
        Console.WriteLine($"| {name} | {budget:0} | {x.Seconds:0.00} | {x.Cpu:0.00} | {x.Plan.Routes.Count} | {served} | {x.Plan.Unserved.Count} | {x.Plan.TotalCost:0.00} | {100 * (x.Plan.TotalCost - reference) / reference:+0.00;-0.00;0.00}% | {valid} |");
    }

    /// <summary>A deterministic synthetic day of transfers around Roanne (46.036 N, 4.068 E).</summary>
    public static PlanRequest Scenario(int transfers, int seed)
    {
        var rng = new Random(seed);
        var towns = Enumerable.Range(0, 40).Select(i =>
        {
            double r = 60_000 * Math.Sqrt(rng.NextDouble()), a = 2 * Math.PI * rng.NextDouble();
            return new Place($"T{i:00}", new GeoPoint(46.036 + r * Math.Cos(a) / 111_000, 4.068 + r * Math.Sin(a) / 77_000));
        }).ToArray();
        var day = new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);
        TimeWindow W(double fromH, double toH) => new(day.AddHours(fromH), day.AddHours(toH));
        var list = new List<Transfer>();
        for (int k = 0; k < transfers; k++)
        {
            int a = rng.Next(towns.Length), b = (a + 1 + rng.Next(towns.Length - 1)) % towns.Length;
            double ready = 8 + rng.Next(0, 5);
            list.Add(new Transfer($"t{k:00}", towns[a], towns[b], 50 + rng.Next(350), null, k % 12 == 0,
                W(ready, ready + 3), W(ready + 1, 18), TimeSpan.FromMinutes(10)));
        }
        var vehicles = Enumerable.Range(0, 6).Select(i => new Vehicle($"v{i}", towns[i % 3], 1500, null, i < 2, 0.5, 30, W(7, 19))).ToList();
        return new PlanRequest(list, vehicles);
    }
}
