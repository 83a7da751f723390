using System.Diagnostics;
using System.Globalization;
using TradeNet.Logistics.Benchmarks;
using TradeNet.Logistics.Benchmarks.Formats;
using TradeNet.Logistics.Planner.Core;

// Prints per instance: vehicles, cost, best known, gap, seconds. One solve at a time.
// usage: [DIR] [--suite all|smoke|cvrp|tw|latency] [--time-limit S] [--strategy hybrid|ortools|lns] [--only a,b]
BenchmarkOptions? options;
try
{
    options = BenchmarkOptions.Parse(args);
}
catch (ArgumentException e)
{
    // One line and exit code 2, as the other benchmarks refuse a command line.
    Console.Error.WriteLine($"error: {e.Message} (--help for the usage)");
    return 2;
}
if (options is null)
{
    Console.WriteLine(BenchmarkOptions.Usage);
    return 0;
}
if (options.MissingFolders() is { Count: > 0 } missing)
{
    Console.Error.WriteLine($"error: no {string.Join("/, ", missing)}/ in {Path.GetFullPath(options.Root)}: the instances are not in this repository; pass the folder that holds them (docs/benchmarks.md), or --suite latency");
    return 2;
}
if (options.MissingFiles() is { Count: > 0 } files)
{
    Console.Error.WriteLine($"error: {Path.GetFullPath(options.Root)} lacks {string.Join(", ", files.Take(3))}{(files.Count > 3 ? $" and {files.Count - 3} more" : "")}: the suite reads every instance and its best-known solution; pass a folder that holds them (docs/benchmarks.md)");
    return 2;
}
var (root, suite, limit, strategy, only) = options;

var cpu = Process.GetCurrentProcess();
Console.WriteLine($"# route planner benchmark, strategy {strategy}, {Environment.ProcessorCount} cores, load average at start {LoadAverage()}");
Table table;

if (suite is "all" or "smoke")
{
    Console.WriteLine("\n## CVRP smoke: optimum within 10 s");
    table = new Table();
    foreach (var name in BenchmarkOptions.SmokeInstances) table.Run(Cvrp(name), limit ?? 10, strategy, only);
}
if (suite is "all" or "cvrp")
{
    Console.WriteLine("\n## CVRP, 11 instances");
    table = new Table();
    var gaps = new List<double>();
    foreach (var file in Directory.GetFiles(Path.Combine(root, "cvrp"), "*.vrp").Order(StringComparer.Ordinal))
        if (table.Run(Cvrp(Path.GetFileNameWithoutExtension(file)), limit ?? 30, strategy, only) is { } gap) gaps.Add(gap);
    if (gaps.Count > 0) Console.WriteLine($"mean gap {gaps.Average():0.00}%  max gap {gaps.Max():0.00}%  over {gaps.Count} instances");
}
if (suite is "all" or "tw")
{
    Console.WriteLine("\n## Time windows (Li & Lim PDPTW, Solomon VRPTW): vehicles first, then distance");
    table = new Table();
    foreach (var (name, seconds) in BenchmarkOptions.LiLimInstances)
        table.Run(LiLimCase(name), limit ?? seconds, strategy, only);
    table.Run(SolomonCase(BenchmarkOptions.SolomonInstance), limit ?? 10, strategy, only);
}
if (suite is "all" or "latency")
{
    Console.WriteLine("\n## Interactive re-planning: 50 transfers = 100 stops, 1 s budget");
    Latency.Run(limit ?? 1, strategy);
}
Console.WriteLine($"\nload average at end {LoadAverage()}; process CPU {cpu.TotalProcessorTime.TotalSeconds:0} s");
return 0;

BenchmarkCase Cvrp(string name)
{
    string vrp = Path.Combine(root, "cvrp", name + ".vrp");
    var file = Read(vrp, text => BenchmarkFile.Parse(text, vrp));
    var bks = Read(Path.ChangeExtension(vrp, ".sol"), text => Cvrplib.ReadSolution(text));
    return new BenchmarkCase(name, file, bks.Routes.Count, bks.Cost);
}

BenchmarkCase LiLimCase(string name)
{
    string txt = Path.Combine(root, "pdptw", name + ".txt");
    var file = Read(txt, text => BenchmarkFile.Parse(text, txt));
    var routes = Read(Path.Combine(root, "pdptw", name + ".bks.txt"), text => LiLim.ReadSolution(text));
    return new BenchmarkCase(name, file, routes.Count, file.TimeWindows!.Length(routes));
}

BenchmarkCase SolomonCase(string name)
{
    string txt = Path.Combine(root, "vrptw", name + ".txt");
    var file = Read(txt, text => BenchmarkFile.Parse(text, txt));
    var routes = Read(Path.Combine(root, "vrptw", name + ".sol"), text => Cvrplib.ReadSolution(text)).Routes;
    return new BenchmarkCase(name, file, routes.Count, file.TimeWindows!.Length(routes));
}

// A file of the set that does not parse ends the run in one line naming it, exit code 2, as a missing one does; it was
// an unhandled exception's stack trace when the suite reached it (a solution's message did not name its file).
static T Read<T>(string path, Func<string, T> parse)
{
    try
    {
        return parse(File.ReadAllText(path));
    }
    catch (BenchmarkFormatException e)
    {
        Console.Error.WriteLine($"error: {(e.Message.StartsWith(path, StringComparison.Ordinal) ? e.Message : $"{path}: {e.Message}")}".ReplaceLineEndings(" "));
        Environment.Exit(2);
        throw;
    }
}

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
