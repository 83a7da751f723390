using TradeNet.Logistics.Planner.Core;

namespace TradeNet.Logistics.Benchmarks.Formats;

public enum BenchmarkFamily { Cvrplib, Solomon, LiLim }

/// <summary>A solved benchmark instance in the family's own terms.</summary>
/// <param name="Routes">Non-empty routes as node ids of the instance file (depot omitted).</param>
/// <param name="Cost">CVRPLIB: integer cost; Solomon / Li &amp; Lim: Euclidean length in double precision.</param>
/// <param name="Violations">From the family's independent checker; empty when feasible.</param>
public sealed record BenchmarkResult(string Name, BenchmarkFamily Family, IReadOnlyList<int[]> Routes, double Cost, IReadOnlyList<string> Violations)
{
    public int Vehicles => Routes.Count;
}

/// <summary>A benchmark file recognised by its content, solved with the planner's engine, written back in its format.</summary>
public sealed class BenchmarkFile
{
    private BenchmarkFile(string name, BenchmarkFamily family, CvrpInstance? cvrp, TimeWindowNodes? tw)
    {
        Name = name; Family = family; Cvrp = cvrp; TimeWindows = tw;
    }

    public string Name { get; }
    public BenchmarkFamily Family { get; }
    public CvrpInstance? Cvrp { get; }
    public TimeWindowNodes? TimeWindows { get; }

    /// <summary>Reads a CVRPLIB <c>.vrp</c>, a Solomon or a Li &amp; Lim file; throws <see cref="BenchmarkFormatException"/> on anything else.</summary>
    public static BenchmarkFile Parse(string text, string fileName)
    {
        string name = Path.GetFileNameWithoutExtension(fileName);
        var first = text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0)
                    ?? throw new BenchmarkFormatException($"{fileName}: empty file");
        if (fileName.EndsWith(".vrp", StringComparison.OrdinalIgnoreCase) || first.StartsWith("NAME", StringComparison.OrdinalIgnoreCase))
        {
            var c = Cvrplib.ReadInstance(text, fileName);
            return new BenchmarkFile(c.Name.Length > 0 ? c.Name : name, BenchmarkFamily.Cvrplib, c, null);
        }
        if (text.Contains("VEHICLE", StringComparison.OrdinalIgnoreCase) && text.Contains("CUSTOMER", StringComparison.OrdinalIgnoreCase))
        {
            var s = Solomon.ReadInstance(text, fileName);
            return new BenchmarkFile(s.Name, BenchmarkFamily.Solomon, null, TimeWindowNodes.From(s));
        }
        if (Formats.Parse.Tokens(first).Length == 3)
            return new BenchmarkFile(name, BenchmarkFamily.LiLim, null, TimeWindowNodes.From(LiLim.ReadInstance(text, name, fileName)));
        throw new BenchmarkFormatException($"{fileName}: not a CVRPLIB, Solomon or Li & Lim instance");
    }

    public RoutingProblem ToProblem() => Family == BenchmarkFamily.Cvrplib
        ? BenchmarkProblems.FromCvrp(Cvrp!)
        : BenchmarkProblems.FromTimeWindows(TimeWindows!);

    public BenchmarkResult Solve(SolverOptions options)
    {
        var problem = ToProblem();
        var solution = RoutingEngine.Solve(problem, options);
        var routes = solution.Routes.Where(r => r.Length > 0).ToArray();
        if (Family == BenchmarkFamily.Cvrplib)
        {
            var violations = RouteEvaluator.Violations(problem, solution);
            return new BenchmarkResult(Name, Family, routes, Cvrplib.Cost(Cvrp!, routes), violations);
        }
        var tw = TimeWindows!;
        return new BenchmarkResult(Name, Family, routes, tw.Length(routes), tw.Check(routes));
    }

    /// <summary>The solution in the family's own format (CVRPLIB and Solomon: <c>Route #k:</c> + <c>Cost</c>; Li &amp; Lim: SINTEF <c>Route k :</c>).</summary>
    public string Write(BenchmarkResult result) => Family switch
    {
        BenchmarkFamily.LiLim => LiLim.WriteSolution(Name, result.Routes),
        BenchmarkFamily.Solomon => Cvrplib.WriteSolution(result.Routes, Math.Round(result.Cost, 2)),
        _ => Cvrplib.WriteSolution(result.Routes, result.Cost),
    };
}
