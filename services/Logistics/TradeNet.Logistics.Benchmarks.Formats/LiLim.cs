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
        // Original line numbers are kept for the messages; blank lines are skipped.
        var lines = text.Split('\n').Select((l, i) => (Text: l.Trim(), Line: i + 1)).Where(l => l.Text.Length > 0).ToArray();
        if (lines.Length < 2) throw new BenchmarkFormatException($"{source}: too short for a Li & Lim instance");
        string headAt = $"{source} line {lines[0].Line}";
        var head = Parse.Tokens(lines[0].Text);
        if (head.Length != 3) throw new BenchmarkFormatException($"{headAt}: expected 'vehicles capacity speed'");
        int vehicles = Parse.Positive(head[0], headAt, "the number of vehicles");
        int capacity = Parse.Positive(head[1], headAt, "the capacity");
        int speed = Parse.Integer(head[2], headAt);
        if (speed != 1) throw new BenchmarkFormatException($"{headAt}: only speed 1 is supported, not {speed}");
        if (lines.Length - 1 > Parse.MaxNodes) throw new BenchmarkFormatException($"{source}: more than {Parse.MaxNodes} tasks");
        var tasks = new List<LiLimTask>();
        for (int i = 1; i < lines.Length; i++)
        {
            string where = $"{source} line {lines[i].Line}";
            var t = Parse.Tokens(lines[i].Text);
            if (t.Length != 9) throw new BenchmarkFormatException($"{where}: expected 9 fields, found {t.Length}");
            var task = new LiLimTask(Parse.Integer(t[0], where), Parse.Coordinate(t[1], where), Parse.Coordinate(t[2], where), Parse.Integer(t[3], where),
                Parse.NonNegative(t[4], where, "ready time"), Parse.NonNegative(t[5], where, "due date"), Parse.NonNegative(t[6], where, "service time"),
                Parse.NonNegative(t[7], where, "pickup index"), Parse.NonNegative(t[8], where, "delivery index"));
            if (task.Id != tasks.Count) throw new BenchmarkFormatException($"{where}: task {task.Id} out of order (tasks are numbered 0..n, depot first)");
            // An empty window has no schedule at all (and used to abort OR-Tools).
            if (task.Ready > task.Due) throw new BenchmarkFormatException($"{where}: task {task.Id} is ready at {task.Ready}, after its due date {task.Due}");
            if (task.PickupId != 0 && task.DeliveryId != 0) throw new BenchmarkFormatException($"{where}: task {task.Id} names both a pickup and a delivery");
            if (task.Id == 0 && (task.Demand != 0 || task.PickupId != 0 || task.DeliveryId != 0))
                throw new BenchmarkFormatException($"{where}: the depot (task 0) must have demand 0 and no pickup or delivery partner");
            tasks.Add(task);
        }
        for (int i = 1; i < tasks.Count; i++) CheckPair(tasks, i, $"{source} line {lines[i + 1].Line}");
        return new LiLimInstance(name, vehicles, capacity, speed, tasks.ToArray());
    }

    /// <summary>
    /// A pickup (pickup index 0) names its delivery and loads a positive demand; the delivery names it
    /// back and unloads exactly that. Anything else is a malformed file, not an infeasible instance.
    /// </summary>
    private static void CheckPair(List<LiLimTask> tasks, int i, string where)
    {
        var task = tasks[i];
        bool pickup = task.PickupId == 0;
        int other = pickup ? task.DeliveryId : task.PickupId;
        if (other <= 0 || other >= tasks.Count) throw new BenchmarkFormatException($"{where}: task {task.Id} has no valid partner ({other})");
        var partner = tasks[other];
        if ((pickup ? partner.PickupId : partner.DeliveryId) != task.Id)
            throw new BenchmarkFormatException($"{where}: tasks {task.Id} and {other} do not point at each other");
        if (pickup && task.Demand <= 0) throw new BenchmarkFormatException($"{where}: pickup {task.Id} must have a positive demand, not {task.Demand}");
        if (!pickup && task.Demand != -(long)partner.Demand)
            throw new BenchmarkFormatException($"{where}: delivery {task.Id} must unload what pickup {other} loads ({-(long)partner.Demand}), not {task.Demand}");
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
