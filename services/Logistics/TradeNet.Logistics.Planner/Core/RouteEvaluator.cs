namespace TradeNet.Logistics.Planner.Core;

/// <summary>
/// Cost and feasibility of routes. Waiting is allowed, so starting every visit as early as
/// possible is feasible whenever any schedule is: one forward pass decides feasibility.
/// </summary>
public static class RouteEvaluator
{
    public static long RouteDistance(RoutingProblem p, int vehicle, IReadOnlyList<int> route)
    {
        if (route.Count == 0) return 0;
        var v = p.Vehicles[vehicle];
        long d = 0;
        int prev = v.StartNode;
        foreach (int node in route)
        {
            d += p.Distance[prev][node];
            prev = node;
        }
        return d + p.Distance[prev][v.EndNode];
    }

    public static long RouteCost(RoutingProblem p, int vehicle, IReadOnlyList<int> route) =>
        route.Count == 0 ? 0 : RouteDistance(p, vehicle, route) * p.Vehicles[vehicle].CostPerDistance + p.Vehicles[vehicle].FixedCost;

    /// <summary>Total objective: route costs plus the penalties of unassigned visits (a pair counts once).</summary>
    public static long Cost(RoutingProblem p, RoutingSolution s)
    {
        long c = 0;
        for (int v = 0; v < s.Routes.Length; v++) c += RouteCost(p, v, s.Routes[v]);
        foreach (int u in s.Unassigned)
            if (p.Partner[u] < 0 || p.IsPickup[u]) c += p.DropPenalty[u];
        return c;
    }

    public static long TotalDistance(RoutingProblem p, RoutingSolution s)
    {
        long d = 0;
        for (int v = 0; v < s.Routes.Length; v++) d += RouteDistance(p, v, s.Routes[v]);
        return d;
    }

    /// <summary>The earliest-start schedule, or null when the route breaks a window, a ride or route-duration limit, or capacity.</summary>
    public static RouteSchedule? Schedule(RoutingProblem p, int vehicle, IReadOnlyList<int> route)
    {
        if (p.HasTimingLimits) return LimitedSchedule(p, vehicle, route);
        var v = p.Vehicles[vehicle];
        long t = Math.Max(v.Earliest, p.WindowStart[v.StartNode]);
        long start = t;
        var arrival = new long[route.Count];
        var begin = new long[route.Count];
        var loads = new long[route.Count][];
        var load = new long[p.Dimensions];
        int prev = v.StartNode;
        for (int i = 0; i < route.Count; i++)
        {
            int node = route[i];
            long arrive = t + p.ServiceTime[prev] + p.TravelTime[prev][node];
            long s = Math.Max(arrive, p.WindowStart[node]);
            if (s > p.WindowEnd[node]) return null;
            for (int k = 0; k < load.Length; k++)
            {
                load[k] += p.Demand[k][node];
                if (load[k] > v.Capacity[k] || load[k] < 0) return null;
            }
            arrival[i] = arrive;
            begin[i] = s;
            loads[i] = (long[])load.Clone();
            t = s;
            prev = node;
        }
        long end = t + p.ServiceTime[prev] + p.TravelTime[prev][v.EndNode];
        if (route.Count == 0) end = start;
        if (end > v.Latest || end > p.WindowEnd[v.EndNode]) return null;
        return new RouteSchedule(start, arrival, begin, end, loads);
    }

    /// <summary>With ride or route-duration limits some starts may have to be later than the earliest arrival allows
    /// (<see cref="RouteTiming"/>); arrivals stay the earliest from the previous service, so the gap is waiting.</summary>
    private static RouteSchedule? LimitedSchedule(RoutingProblem p, int vehicle, IReadOnlyList<int> route)
    {
        var v = p.Vehicles[vehicle];
        var loads = new long[route.Count][];
        var load = new long[p.Dimensions];
        for (int i = 0; i < route.Count; i++)
        {
            for (int k = 0; k < load.Length; k++)
            {
                load[k] += p.Demand[k][route[i]];
                if (load[k] > v.Capacity[k] || load[k] < 0) return null;
            }
            loads[i] = (long[])load.Clone();
        }
        var timing = new RouteTiming(p);
        var nodes = route.ToArray();
        if (!timing.Fits(vehicle, nodes)) return null;
        var begin = timing.Begin(nodes.Length).ToArray();
        var arrival = new long[nodes.Length];
        long t = timing.Leave;
        int prev = v.StartNode;
        for (int i = 0; i < nodes.Length; i++)
        {
            arrival[i] = t + p.ServiceTime[prev] + p.TravelTime[prev][nodes[i]];
            t = begin[i];
            prev = nodes[i];
        }
        return new RouteSchedule(timing.Leave, arrival, begin, timing.Back, loads);
    }

    /// <summary>Every rule a solution must keep; returns the broken ones (empty when valid).</summary>
    public static IReadOnlyList<string> Violations(RoutingProblem p, RoutingSolution s)
    {
        var errors = new List<string>();
        var seen = new int[p.NodeCount];
        var routeOf = Enumerable.Repeat(-1, p.NodeCount).ToArray();
        var position = new int[p.NodeCount];
        if (s.Routes.Length != p.Vehicles.Count) errors.Add($"{s.Routes.Length} routes for {p.Vehicles.Count} vehicles");
        var isVisit = new bool[p.NodeCount];
        foreach (int v in p.Visits) isVisit[v] = true;
        for (int v = 0; v < s.Routes.Length && v < p.Vehicles.Count; v++)
        {
            var route = s.Routes[v];
            for (int i = 0; i < route.Length; i++)
            {
                int node = route[i];
                if (node < 0 || node >= p.NodeCount || !isVisit[node]) { errors.Add($"vehicle {v} visits non-visit node {node}"); continue; }
                seen[node]++;
                routeOf[node] = v;
                position[node] = i;
                if (!p.Allowed(v, node)) errors.Add($"vehicle {v} may not serve node {node} (features)");
            }
            if (Schedule(p, v, route) is null) errors.Add($"vehicle {v} breaks a time window, a ride or route-duration limit, or capacity");
        }
        foreach (int u in s.Unassigned)
        {
            if (u >= 0 && u < p.NodeCount) seen[u]++;
            if (!p.IsOptional(u)) errors.Add($"mandatory node {u} is unassigned");
        }
        foreach (int node in p.Visits)
        {
            if (seen[node] != 1) errors.Add($"node {node} appears {seen[node]} times");
            int partner = p.Partner[node];
            if (partner < 0 || !p.IsPickup[node]) continue;
            if (routeOf[node] != routeOf[partner]) errors.Add($"pickup {node} and delivery {partner} are not on the same vehicle");
            else if (routeOf[node] >= 0 && position[node] > position[partner]) errors.Add($"delivery {partner} comes before pickup {node}");
        }
        return errors;
    }
}
