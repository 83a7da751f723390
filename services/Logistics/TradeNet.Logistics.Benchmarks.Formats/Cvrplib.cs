using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace TradeNet.Logistics.Benchmarks.Formats;

/// <summary>A CVRPLIB (TSPLIB-style) instance. Node 0 is the depot; customer i is node i (file id − 1 when the depot is id 1).</summary>
public sealed record CvrpInstance(string Name, int Capacity, double[] X, double[] Y, int[] Demand, int? MinVehicles, long? BestKnown)
{
    public int Customers => X.Length - 1;

    /// <summary>TSPLIB EUC_2D: Euclidean distance rounded to the nearest integer per arc.</summary>
    public long Distance(int a, int b) => (long)Math.Floor(Math.Sqrt((X[a] - X[b]) * (X[a] - X[b]) + (Y[a] - Y[b]) * (Y[a] - Y[b])) + 0.5);
}

/// <summary>Routes as customer numbers (depot omitted) and the stated cost.</summary>
public sealed record CvrpSolution(IReadOnlyList<int[]> Routes, double Cost);

public static partial class Cvrplib
{
    public static CvrpInstance ReadInstance(string text, string source = "instance")
    {
        var lines = text.Split('\n').Select(l => l.Trim()).ToArray();
        string name = "";
        int capacity = 0, dimension = 0;
        string comment = "";
        var coords = new Dictionary<int, (double X, double Y)>();
        var demand = new Dictionary<int, int>();
        var depots = new List<int>();
        string section = "";
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            string where = $"{source} line {i + 1}";
            if (line.Length == 0) continue;
            if (line.StartsWith("EOF", StringComparison.Ordinal)) break;
            int colon = line.IndexOf(':');
            if (colon > 0 && char.IsLetter(line[0]))
            {
                string key = line[..colon].Trim().ToUpperInvariant(), value = line[(colon + 1)..].Trim();
                switch (key)
                {
                    case "NAME": name = value; break;
                    case "COMMENT": comment = value; break;
                    case "CAPACITY": capacity = Parse.Integer(value, where); break;
                    case "DIMENSION": dimension = Parse.Integer(value, where); break;
                    case "EDGE_WEIGHT_TYPE" when value != "EUC_2D":
                        throw new BenchmarkFormatException($"{where}: only EUC_2D distances are supported, not {value}");
                }
                section = "";
                continue;
            }
            if (char.IsLetter(line[0])) { section = line.Split(' ')[0].ToUpperInvariant(); continue; }
            var t = Parse.Tokens(line);
            switch (section)
            {
                case "NODE_COORD_SECTION" when t.Length >= 3:
                    coords[Parse.Integer(t[0], where)] = (Parse.Number(t[1], where), Parse.Number(t[2], where)); break;
                case "DEMAND_SECTION" when t.Length >= 2:
                    demand[Parse.Integer(t[0], where)] = Parse.Integer(t[1], where); break;
                case "DEPOT_SECTION":
                    int d = Parse.Integer(t[0], where);
                    if (d > 0) depots.Add(d);
                    break;
                default:
                    throw new BenchmarkFormatException($"{where}: unexpected line '{line}'");
            }
        }
        if (dimension <= 1 || capacity <= 0) throw new BenchmarkFormatException($"{source}: DIMENSION and CAPACITY are required");
        if (coords.Count != dimension || demand.Count != dimension) throw new BenchmarkFormatException($"{source}: expected {dimension} coordinates and demands");
        if (depots.Count != 1) throw new BenchmarkFormatException($"{source}: exactly one depot is supported");
        // Node order: depot first, then the others in file order, so that node i is customer i of the .sol format.
        var ids = new List<int> { depots[0] };
        ids.AddRange(coords.Keys.Where(k => k != depots[0]).Order());
        var kMatch = VehiclesInName().Match(name);
        var bkMatch = BestValueInComment().Match(comment);
        return new CvrpInstance(
            name,
            capacity,
            ids.Select(id => coords[id].X).ToArray(),
            ids.Select(id => coords[id].Y).ToArray(),
            ids.Select(id => demand[id]).ToArray(),
            kMatch.Success ? int.Parse(kMatch.Groups[1].Value, CultureInfo.InvariantCulture) : null,
            bkMatch.Success ? long.Parse(bkMatch.Groups[1].Value, CultureInfo.InvariantCulture) : null);
    }

    public static CvrpSolution ReadSolution(string text, string source = "solution")
    {
        var routes = new List<int[]>();
        double? cost = null;
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            string where = $"{source} line {i + 1}";
            if (line.StartsWith("Route", StringComparison.OrdinalIgnoreCase))
            {
                int colon = line.IndexOf(':');
                if (colon < 0) throw new BenchmarkFormatException($"{where}: route line without ':'");
                routes.Add(Parse.Tokens(line[(colon + 1)..]).Select(t => Parse.Integer(t, where)).ToArray());
            }
            else if (line.StartsWith("Cost", StringComparison.OrdinalIgnoreCase))
            {
                cost = Parse.Number(Parse.Tokens(line)[^1], where);
            }
        }
        if (routes.Count == 0) throw new BenchmarkFormatException($"{source}: no 'Route #k:' lines");
        return new CvrpSolution(routes, cost ?? double.NaN);
    }

    /// <summary>CVRPLIB solution text: <c>Route #k: c1 c2 …</c> per non-empty route, then <c>Cost N</c>.</summary>
    public static string WriteSolution(IEnumerable<int[]> routes, double cost)
    {
        var sb = new StringBuilder();
        int k = 0;
        foreach (var r in routes.Where(r => r.Length > 0))
            sb.Append("Route #").Append(++k).Append(": ").AppendJoin(' ', r).Append('\n');
        sb.Append("Cost ").Append(cost == Math.Floor(cost) ? cost.ToString("0", CultureInfo.InvariantCulture) : cost.ToString("0.##", CultureInfo.InvariantCulture)).Append('\n');
        return sb.ToString();
    }

    /// <summary>Cost of routes under the TSPLIB convention (rounded arcs, depot at both ends).</summary>
    public static long Cost(CvrpInstance inst, IEnumerable<int[]> routes)
    {
        long c = 0;
        foreach (var r in routes.Where(r => r.Length > 0))
        {
            int prev = 0;
            foreach (int node in r) { c += inst.Distance(prev, node); prev = node; }
            c += inst.Distance(prev, 0);
        }
        return c;
    }

    [GeneratedRegex(@"-k(\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex VehiclesInName();

    [GeneratedRegex(@"(?:Optimal value|Best value|Min no of trucks: \d+, Best value)\s*:?\s*(\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex BestValueInComment();
}
