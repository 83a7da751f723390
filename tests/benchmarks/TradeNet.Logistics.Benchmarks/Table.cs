using System.Diagnostics;
using TradeNet.Logistics.Benchmarks.Formats;
using TradeNet.Logistics.Planner.Core;

namespace TradeNet.Logistics.Benchmarks;

public sealed record BenchmarkCase(string Name, BenchmarkFile File, int BestVehicles, double BestCost);

/// <summary>Solves one case at a time and prints a markdown row; returns the gap in % (null when skipped).</summary>
public sealed class Table
{
    private bool headerPrinted;

    public double? Run(BenchmarkCase c, double seconds, SearchStrategy strategy, HashSet<string>? only)
    {
        if (only is not null && !only.Contains(c.Name)) return null;
        if (!headerPrinted)
        {
            Console.WriteLine("| instance | budget s | vehicles | BKS vehicles | cost | BKS | gap % | seconds | CPU s | feasible |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
            headerPrinted = true;
        }
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var result = c.File.Solve(new SolverOptions(TimeSpan.FromSeconds(seconds), strategy));
        double elapsed = clock.Elapsed.TotalSeconds;
        process.Refresh();
        double cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds; // below the wall time when other builds take the cores
        double gap = 100 * (result.Cost - c.BestCost) / c.BestCost;
        string feasible = result.Violations.Count == 0 ? "yes" : "NO: " + result.Violations[0];
        Console.WriteLine($"| {c.Name} | {seconds:0} | {result.Vehicles} | {c.BestVehicles} | {result.Cost:0.##} | {c.BestCost:0.##} | {gap:0.00} | {elapsed:0.0} | {cpu:0.0} | {feasible} |");
        return gap;
    }
}
