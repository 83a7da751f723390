using System.Globalization;
using System.Text;

namespace TradeNet.Logistics.Benchmarks.Formats;

/// <summary>A Li &amp; Lim PDPTW instance; task 0 is the depot.</summary>
public sealed record LiLimInstance(string Name, int Vehicles, int Capacity, int Speed, LiLimTask[] Tasks);

/// <param name="PickupId">For a delivery, its pickup's id; 0 for a pickup.</param>
/// <param name="DeliveryId">For a pickup, its delivery's id; 0 for a delivery.</param>
public sealed record LiLimTask(int Id, double X, double Y, int Demand, int Ready, int Due, int Service, int PickupId, int DeliveryId);

public static class LiLim
{
    public static LiLimInstance ReadInstance(string text, string name, string source = "instance")
    {
        var lines = text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        if (lines.Length < 2) throw new BenchmarkFormatException($"{source}: too short for a Li & Lim instance");
        var head = Parse.Tokens(lines[0]);
        if (head.Length != 3) throw new BenchmarkFormatException($"{source} line 1: expected 'vehicles capacity speed'");
        var tasks = new List<LiLimTask>();
        for (int i = 1; i < lines.Length; i++)
        {
            string where = $"{source} line {i + 1}";
            var t = Parse.Tokens(lines[i]);
            if (t.Length != 9) throw new BenchmarkFormatException($"{where}: expected 9 fields, found {t.Length}");
            tasks.Add(new LiLimTask(Parse.Integer(t[0], where), Parse.Number(t[1], where), Parse.Number(t[2], where), Parse.Integer(t[3], where),
                Parse.Integer(t[4], where), Parse.Integer(t[5], where), Parse.Integer(t[6], where), Parse.Integer(t[7], where), Parse.Integer(t[8], where)));
        }
        if (tasks.Select((x, i) => x.Id != i).Any(b => b)) throw new BenchmarkFormatException($"{source}: tasks must be numbered 0..n in order");
        foreach (var task in tasks.Skip(1))
        {
            bool pickup = task.PickupId == 0;
            int other = pickup ? task.DeliveryId : task.PickupId;
            if (other <= 0 || other >= tasks.Count) throw new BenchmarkFormatException($"{source}: task {task.Id} has no valid partner");
            var partner = tasks[other];
            if ((pickup ? partner.PickupId : partner.DeliveryId) != task.Id) throw new BenchmarkFormatException($"{source}: tasks {task.Id} and {other} do not point at each other");
        }
        return new LiLimInstance(name, Parse.Integer(head[0], source), Parse.Integer(head[1], source), Parse.Integer(head[2], source), tasks.ToArray());
    }

    /// <summary>Routes of a SINTEF TOP-style solution (<c>Route k : id id …</c>), header lines skipped.</summary>
    public static IReadOnlyList<int[]> ReadSolution(string text, string source = "solution")
    {
        var routes = new List<int[]>();
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (!line.StartsWith("Route", StringComparison.OrdinalIgnoreCase)) continue;
            int colon = line.IndexOf(':');
            if (colon < 0) throw new BenchmarkFormatException($"{source} line {i + 1}: route line without ':'");
            routes.Add(Parse.Tokens(line[(colon + 1)..]).Select(t => Parse.Integer(t, $"{source} line {i + 1}")).ToArray());
        }
        if (routes.Count == 0) throw new BenchmarkFormatException($"{source}: no 'Route k :' lines");
        return routes;
    }

    /// <summary>SINTEF TOP solution text: a short header, then <c>Route k : ids</c> per non-empty route.</summary>
    public static string WriteSolution(string instanceName, IEnumerable<int[]> routes)
    {
        var sb = new StringBuilder();
        sb.Append("Instance name : ").Append(instanceName).Append('\n');
        sb.Append("Authors       : TradeNet route planner\n");
        sb.Append("Date          : ").Append(DateTime.UtcNow.ToString("dd-MMM-yy", CultureInfo.InvariantCulture).ToLowerInvariant()).Append('\n');
        sb.Append("Reference     : TradeNet docs/logistics.md\n");
        sb.Append("Solution\n");
        int k = 0;
        foreach (var r in routes.Where(r => r.Length > 0))
            sb.Append("Route ").Append(++k).Append(" : ").AppendJoin(' ', r).Append('\n');
        return sb.ToString();
    }
}
