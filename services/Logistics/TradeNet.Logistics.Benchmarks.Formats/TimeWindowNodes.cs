namespace TradeNet.Logistics.Benchmarks.Formats;

/// <summary>
/// Solomon and Li &amp; Lim instances share one shape: node 0 is the depot, Euclidean distances
/// in double precision, speed-1 travel, service times, windows; Li &amp; Lim adds pickup → delivery pairs.
/// </summary>
public sealed record TimeWindowNodes(string Name, int Vehicles, int Capacity, double[] X, double[] Y, int[] Demand, int[] Ready, int[] Due, int[] Service, int[] DeliveryOfPickup)
{
    public int Count => X.Length;

    public double Distance(int a, int b) => Math.Sqrt((X[a] - X[b]) * (X[a] - X[b]) + (Y[a] - Y[b]) * (Y[a] - Y[b]));

    public static TimeWindowNodes From(SolomonInstance s) => new(
        s.Name, s.Vehicles, s.Capacity,
        s.Customers.Select(c => c.X).ToArray(), s.Customers.Select(c => c.Y).ToArray(), s.Customers.Select(c => c.Demand).ToArray(),
        s.Customers.Select(c => c.Ready).ToArray(), s.Customers.Select(c => c.Due).ToArray(), s.Customers.Select(c => c.Service).ToArray(),
        Enumerable.Repeat(-1, s.Customers.Length).ToArray());

    public static TimeWindowNodes From(LiLimInstance l)
    {
        if (l.Speed != 1) throw new BenchmarkFormatException($"{l.Name}: only speed 1 is supported"); // the parser refuses it first
        return new(
            l.Name, l.Vehicles, l.Capacity,
            l.Tasks.Select(t => t.X).ToArray(), l.Tasks.Select(t => t.Y).ToArray(), l.Tasks.Select(t => t.Demand).ToArray(),
            l.Tasks.Select(t => t.Ready).ToArray(), l.Tasks.Select(t => t.Due).ToArray(), l.Tasks.Select(t => t.Service).ToArray(),
            l.Tasks.Select(t => t.Id > 0 && t.PickupId == 0 ? t.DeliveryId : -1).ToArray());
    }

    /// <summary>Total Euclidean length of the routes (double precision, the BKS convention).</summary>
    public double Length(IEnumerable<int[]> routes)
    {
        double d = 0;
        foreach (var r in routes.Where(r => r.Length > 0))
        {
            int prev = 0;
            foreach (int node in r) { d += Distance(prev, node); prev = node; }
            d += Distance(prev, 0);
        }
        return d;
    }

    /// <summary>
    /// An independent check in double precision (not the solver's integer model): every node
    /// once, capacity, windows with waiting, return by the depot's due date, pairs on one
    /// route with the pickup first. Returns the violations; empty means feasible.
    /// </summary>
    public IReadOnlyList<string> Check(IReadOnlyList<int[]> routes)
    {
        var errors = new List<string>();
        var seen = new int[Count];
        var routeOf = new int[Count];
        var position = new int[Count];
        if (routes.Count(r => r.Length > 0) > Vehicles) errors.Add($"{routes.Count(r => r.Length > 0)} routes for {Vehicles} vehicles");
        for (int k = 0; k < routes.Count; k++)
        {
            double t = Ready[0];
            int load = 0, prev = 0;
            for (int i = 0; i < routes[k].Length; i++)
            {
                int node = routes[k][i];
                if (node <= 0 || node >= Count) { errors.Add($"route {k + 1}: unknown node {node}"); continue; }
                seen[node]++; routeOf[node] = k; position[node] = i;
                t = Math.Max(t + Service[prev] + Distance(prev, node), Ready[node]);
                if (t > Due[node] + 1e-9) errors.Add($"route {k + 1}: node {node} starts at {t:0.##} after its due {Due[node]}");
                load += Demand[node];
                if (load > Capacity || load < 0) errors.Add($"route {k + 1}: load {load} at node {node} outside 0..{Capacity}");
                prev = node;
            }
            if (routes[k].Length > 0 && t + Service[prev] + Distance(prev, 0) > Due[0] + 1e-9) errors.Add($"route {k + 1}: returns after the depot closes");
        }
        for (int node = 1; node < Count; node++)
        {
            if (seen[node] != 1) errors.Add($"node {node} served {seen[node]} times");
            int d = DeliveryOfPickup[node];
            if (d < 0 || seen[node] != 1 || seen[d] != 1) continue;
            if (routeOf[node] != routeOf[d]) errors.Add($"pickup {node} and delivery {d} on different routes");
            else if (position[node] > position[d]) errors.Add($"delivery {d} before pickup {node}");
        }
        return errors;
    }
}
