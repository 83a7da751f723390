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
        // Node id → (value, line) so that a later check can still name the line.
        var coords = new Dictionary<int, (double X, double Y, int Line)>();
        var demand = new Dictionary<int, (int Value, int Line)>();
        var depots = new List<(int Id, int Line)>();
        bool depotsEnded = false;
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
                    case "TYPE" when !value.Equals("CVRP", StringComparison.OrdinalIgnoreCase):
                        throw new BenchmarkFormatException($"{where}: only TYPE CVRP is supported, not {value}");
                    case "CAPACITY": capacity = Parse.Positive(value, where, "CAPACITY"); break;
                    case "DIMENSION":
                        dimension = Parse.Integer(value, where);
                        if (dimension is < 2 or > Parse.MaxNodes)
                            throw new BenchmarkFormatException($"{where}: DIMENSION must be from 2 to {Parse.MaxNodes}, not {dimension}");
                        break;
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
                case "NODE_COORD_SECTION" when t.Length == 3:
                    int c = NodeId(t[0], where, dimension);
                    if (!coords.TryAdd(c, (Parse.Coordinate(t[1], where), Parse.Coordinate(t[2], where), i + 1)))
                        throw new BenchmarkFormatException($"{where}: node {c} has coordinates twice");
                    break;
                case "DEMAND_SECTION" when t.Length == 2:
                    int d = NodeId(t[0], where, dimension);
                    // A demand is a load: a negative one would free capacity on the route and hide a shortage.
                    if (!demand.TryAdd(d, (Parse.NonNegative(t[1], where, $"demand of node {d}"), i + 1)))
                        throw new BenchmarkFormatException($"{where}: node {d} has a demand twice");
                    break;
                case "DEPOT_SECTION" when t.Length == 1 && !depotsEnded:
                    int depot = Parse.Integer(t[0], where);
                    if (depot == -1) depotsEnded = true;
                    else depots.Add((NodeId(t[0], where, dimension), i + 1));
                    break;
                default:
                    throw new BenchmarkFormatException($"{where}: unexpected line '{line}'");
            }
        }
        if (dimension == 0) throw new BenchmarkFormatException($"{source}: DIMENSION is required");
        if (capacity == 0) throw new BenchmarkFormatException($"{source}: CAPACITY is required");
        if (depots.Count != 1) throw new BenchmarkFormatException($"{source}: exactly one depot is supported, found {depots.Count}");
        // Every node 1..DIMENSION needs both, or the instance describes nodes it does not place or weigh.
        for (int id = 1; id <= dimension; id++)
        {
            if (!coords.ContainsKey(id)) throw new BenchmarkFormatException($"{source}: node {id} has no coordinates in NODE_COORD_SECTION");
            if (!demand.ContainsKey(id)) throw new BenchmarkFormatException($"{source}: node {id} has no demand in DEMAND_SECTION");
        }
        foreach (var (id, at) in coords.Select(kv => (kv.Key, kv.Value.Line)).Concat(demand.Select(kv => (kv.Key, kv.Value.Line))).Concat(depots))
            if (id > dimension) throw new BenchmarkFormatException($"{source} line {at}: node {id} does not exist (nodes are 1..{dimension})");
        int depotId = depots[0].Id;
        if (demand[depotId].Value != 0)
            throw new BenchmarkFormatException($"{source} line {demand[depotId].Line}: the depot (node {depotId}) must have demand 0, not {demand[depotId].Value}");
        // Node order: depot first, then the others in file order, so that node i is customer i of the .sol format.
        var ids = new List<int> { depotId };
        ids.AddRange(coords.Keys.Where(k => k != depotId).Order());
        return new CvrpInstance(
            name,
            capacity,
            ids.Select(id => coords[id].X).ToArray(),
            ids.Select(id => coords[id].Y).ToArray(),
            ids.Select(id => demand[id].Value).ToArray(),
            SmallNumber(VehiclesInName().Match(name)),
            BestValueInComment().Match(comment) is { Success: true } bk && long.TryParse(bk.Groups[1].Value, CultureInfo.InvariantCulture, out long best) ? best : null);
    }

    /// <summary>TSPLIB numbers nodes 1..DIMENSION (DIMENSION comes first in the specification part).</summary>
    private static int NodeId(string token, string where, int dimension)
    {
        int id = Parse.Integer(token, where);
        if (id < 1 || (dimension > 0 && id > dimension))
            throw new BenchmarkFormatException($"{where}: node {id} does not exist (nodes are 1..{(dimension > 0 ? dimension : "DIMENSION")})");
        return id;
    }

    // The k of "-k5" is a hint for the fleet size; a number too large for an int is no hint.
    private static int? SmallNumber(Match m) =>
        m.Success && int.TryParse(m.Groups[1].Value, CultureInfo.InvariantCulture, out int k) ? k : null;

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
        // Coordinates are bounded, so this cannot overflow; checked says so loudly if that ever changes.
        checked
        {
            foreach (var r in routes.Where(r => r.Length > 0))
            {
                int prev = 0;
                foreach (int node in r) { c += inst.Distance(prev, node); prev = node; }
                c += inst.Distance(prev, 0);
            }
        }
        return c;
    }

    [GeneratedRegex(@"-k(\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex VehiclesInName();

    [GeneratedRegex(@"(?:Optimal value|Best value|Min no of trucks: \d+, Best value)\s*:?\s*(\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex BestValueInComment();
}
