using System.Globalization;
using TradeNet.Logistics.Planner.Core;

namespace TradeNet.Logistics.Benchmarks;

/// <summary>The benchmark's command line. Anything it does not know is refused with the usage, so that <c>--help</c> or a
/// misspelt flag is not taken for the instance folder, and a folder without the instances is named in one line instead of
/// a stack trace from the first file the suite opens.</summary>
public sealed record BenchmarkOptions(string Root, string Suite, double? TimeLimit, SearchStrategy Strategy, HashSet<string>? Only)
{
    public const string Usage = """
        usage: TradeNet.Logistics.Benchmarks [DIR] [--suite all|smoke|cvrp|tw|latency] [--time-limit S]
                                             [--strategy hybrid|ortools|lns] [--only NAME,...]
          DIR    the instance folder, with cvrp/, vrptw/ and pdptw/ (default ../shared/benchmarks/vrp beside the checkout);
                 the latency suite is synthetic and needs none
        """;

    public static readonly IReadOnlyList<string> Suites = ["all", "smoke", "cvrp", "tw", "latency"];

    /// <summary>Null for <c>--help</c>; throws <see cref="ArgumentException"/> naming the argument it cannot take.</summary>
    public static BenchmarkOptions? Parse(IReadOnlyList<string> args)
    {
        var options = new BenchmarkOptions("../shared/benchmarks/vrp", "all", null, SearchStrategy.Hybrid, null);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h" or "-?") return null;
            if (!arg.StartsWith('-'))
            {
                options = options with { Root = arg };
                continue;
            }
            if (i + 1 >= args.Count) throw new ArgumentException($"{arg} needs a value");
            var value = args[++i];
            options = arg switch
            {
                "--suite" when Suites.Contains(value) => options with { Suite = value },
                "--suite" => throw new ArgumentException($"unknown suite '{value}': one of {string.Join(", ", Suites)}"),
                "--time-limit" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && double.IsFinite(s) && s > 0
                    => options with { TimeLimit = s },
                "--time-limit" => throw new ArgumentException($"--time-limit '{value}' is not a number of seconds above 0"),
                "--strategy" => options with
                {
                    Strategy = value switch
                    {
                        "ortools" => SearchStrategy.OrTools,
                        "lns" => SearchStrategy.RuinRecreate,
                        "hybrid" => SearchStrategy.Hybrid,
                        _ => throw new ArgumentException($"unknown strategy '{value}': one of hybrid, ortools, lns"),
                    },
                },
                "--only" => options with { Only = value.Split(',').ToHashSet(StringComparer.OrdinalIgnoreCase) },
                _ => throw new ArgumentException($"unknown option {arg}"),
            };
        }
        return options;
    }

    /// <summary>The smoke suite's CVRPLIB instances, each a <c>.vrp</c> with its <c>.sol</c>.</summary>
    public static readonly IReadOnlyList<string> SmokeInstances = ["A-n32-k5", "A-n33-k5", "P-n16-k8"];

    /// <summary>The time-window suite's Li &amp; Lim instances (with their time limits), each a <c>.txt</c> with its <c>.bks.txt</c>.</summary>
    public static readonly IReadOnlyList<(string Name, double Seconds)> LiLimInstances = [("lc101", 10), ("lc201", 10), ("lrc101", 60), ("lr101", 60)];

    /// <summary>The time-window suite's Solomon instance, a <c>.txt</c> with its <c>.sol</c>.</summary>
    public const string SolomonInstance = "C101";

    /// <summary>The files the chosen suite reads that are missing under <see cref="Root"/>, as <c>folder/file</c>: one
    /// missing file of a folder stopped the run with a stack trace when the suite reached it, after the solves before it.</summary>
    public IReadOnlyList<string> MissingFiles()
    {
        var files = new List<string>();
        if (Suite is "all" or "smoke") files.AddRange(SmokeInstances.SelectMany(n => new[] { $"cvrp/{n}.vrp", $"cvrp/{n}.sol" }));
        if (Suite is "all" or "cvrp" && Directory.Exists(Path.Combine(Root, "cvrp")))
            files.AddRange(Directory.GetFiles(Path.Combine(Root, "cvrp"), "*.vrp").Select(f => $"cvrp/{Path.GetFileNameWithoutExtension(f)}.sol"));
        if (Suite is "all" or "tw")
        {
            files.AddRange(LiLimInstances.SelectMany(i => new[] { $"pdptw/{i.Name}.txt", $"pdptw/{i.Name}.bks.txt" }));
            files.AddRange([$"vrptw/{SolomonInstance}.txt", $"vrptw/{SolomonInstance}.sol"]);
        }
        return files.Distinct().Where(f => !File.Exists(Path.Combine(Root, f))).ToArray();
    }

    /// <summary>The instance folders the chosen suite reads that are missing under <see cref="Root"/>.</summary>
    public IReadOnlyList<string> MissingFolders()
    {
        string[] needed = Suite switch
        {
            "smoke" or "cvrp" => ["cvrp"],
            "tw" => ["pdptw", "vrptw"],
            "latency" => [],
            _ => ["cvrp", "pdptw", "vrptw"],
        };
        return needed.Where(folder => !Directory.Exists(Path.Combine(Root, folder))).ToArray();
    }
}
