namespace TradeNet.Logistics.Planner.Core;

/// <summary>
/// Cheapest feasible insertion of one request (a single visit or a pickup-delivery pair) into
/// the routes of a state. Cost deltas are computed first; the O(route) feasibility pass runs
/// only for candidates that would beat the best so far.
/// </summary>
internal sealed class Insertion(RoutingProblem p, Random rng)
{
    private readonly bool capacityOnly = !p.HasTimeWindows && !p.HasPairs && !p.HasDurationLimits;
    // Ride and route-duration limits need the exact timing pass, run only on candidates that passed the quick one.
    private readonly RouteTiming? timing = p.HasTimingLimits ? new RouteTiming(p) : null;
    private int[] candidate = new int[16];
    private readonly int[] vehicleClass = VehicleClasses(p);
    private readonly bool[] classTried = new bool[p.Vehicles.Count];

    /// <summary>Probability of skipping a position ("blink"), which diversifies the recreate step.</summary>
    public double BlinkRate { get; set; } = 0.01;

    /// <summary>Inserts the request where it is cheapest; returns false (and leaves it out) when nowhere fits or leaving it out is cheaper.</summary>
    public bool InsertBest(LnsState s, int request)
    {
        int partner = p.Partner[request];
        long best = p.DropPenalty[request];
        int bestV = -1, bestI = -1, bestJ = -1;
        Array.Clear(classTried);
        for (int v = 0; v < s.Routes.Length; v++)
        {
            var route = s.Routes[v];
            if (route.Count == 0)
            {
                // Empty vehicles of one class are interchangeable: try one of them only.
                if (classTried[vehicleClass[v]]) continue;
                classTried[vehicleClass[v]] = true;
            }
            if (!p.Allowed(v, request) || (partner >= 0 && !p.Allowed(v, partner))) continue;
            if (capacityOnly && !FitsLoad(s, v, request)) continue;
            var veh = p.Vehicles[v];
            long fixedCost = route.Count == 0 ? veh.FixedCost : 0;
            if (fixedCost >= best) continue;
            if (partner < 0) TrySingle(s, v, request, fixedCost, ref best, ref bestV, ref bestI);
            else TryPair(s, v, request, partner, fixedCost, ref best, ref bestV, ref bestI, ref bestJ);
        }
        if (bestV < 0) return false;
        var r = s.Routes[bestV];
        if (partner < 0) r.Insert(bestI, request);
        else
        {
            r.Insert(bestJ, partner);
            r.Insert(bestI, request);
        }
        s.Refresh(p, bestV);
        return true;
    }

    /// <summary>Cheapest feasible insertion of the request into one route, without blinks; long.MaxValue when none.</summary>
    public (long Delta, int I, int J) BestInRoute(LnsState s, int v, int request)
    {
        int partner = p.Partner[request];
        if (!p.Allowed(v, request) || (partner >= 0 && !p.Allowed(v, partner))) return (long.MaxValue, -1, -1);
        if (capacityOnly && !FitsLoad(s, v, request)) return (long.MaxValue, -1, -1);
        double blink = BlinkRate;
        BlinkRate = 0;
        long best = long.MaxValue;
        int bestV = -1, bestI = -1, bestJ = -1;
        long fixedCost = s.Routes[v].Count == 0 ? p.Vehicles[v].FixedCost : 0;
        if (partner < 0) TrySingle(s, v, request, fixedCost, ref best, ref bestV, ref bestI);
        else TryPair(s, v, request, partner, fixedCost, ref best, ref bestV, ref bestI, ref bestJ);
        BlinkRate = blink;
        return (best, bestI, bestJ);
    }

    /// <summary>Inserts at a position found by <see cref="BestInRoute"/>.</summary>
    public void InsertAt(LnsState s, int v, int request, int i, int j)
    {
        var r = s.Routes[v];
        int partner = p.Partner[request];
        if (partner >= 0) r.Insert(j, partner);
        r.Insert(i, request);
        s.Refresh(p, v);
    }

    public int VehicleClass(int v) => vehicleClass[v];

    private void TrySingle(LnsState s, int v, int node, long fixedCost, ref long best, ref int bestV, ref int bestI)
    {
        var route = s.Routes[v];
        var veh = p.Vehicles[v];
        var dist = p.Distance;
        int prev = veh.StartNode;
        for (int i = 0; i <= route.Count; i++)
        {
            int next = i < route.Count ? route[i] : veh.EndNode;
            long delta = (dist[prev][node] + dist[node][next] - dist[prev][next]) * veh.CostPerDistance + fixedCost;
            if (delta < best && rng.NextDouble() >= BlinkRate && (capacityOnly || Feasible(route, v, node, i, -1, -1)))
            {
                best = delta; bestV = v; bestI = i;
            }
            prev = next;
        }
    }

    private void TryPair(LnsState s, int v, int pick, int drop, long fixedCost, ref long best, ref int bestV, ref int bestI, ref int bestJ)
    {
        var route = s.Routes[v];
        var veh = p.Vehicles[v];
        var dist = p.Distance;
        long cpd = veh.CostPerDistance;
        for (int i = 0; i <= route.Count; i++)
        {
            int prevI = i == 0 ? veh.StartNode : route[i - 1];
            int nextI = i < route.Count ? route[i] : veh.EndNode;
            long pickDelta = dist[prevI][pick] + dist[pick][nextI] - dist[prevI][nextI];
            if (pickDelta * cpd + fixedCost >= best) continue;
            // Adding the delivery only delays later visits further, so a pickup that alone breaks a window rules out every j.
            if (p.HasTimeWindows && !Feasible(route, v, pick, i, -1, -1, timeOnly: true)) continue;
            for (int j = i; j <= route.Count; j++)
            {
                long delta;
                if (j == i)
                    delta = dist[prevI][pick] + dist[pick][drop] + dist[drop][nextI] - dist[prevI][nextI];
                else
                {
                    int prevJ = route[j - 1];
                    int nextJ = j < route.Count ? route[j] : veh.EndNode;
                    delta = pickDelta + dist[prevJ][drop] + dist[drop][nextJ] - dist[prevJ][nextJ];
                }
                delta = delta * cpd + fixedCost;
                if (delta < best && rng.NextDouble() >= BlinkRate && Feasible(route, v, pick, i, drop, j))
                {
                    best = delta; bestV = v; bestI = i; bestJ = j;
                }
            }
        }
    }

    private bool FitsLoad(LnsState s, int v, int node)
    {
        var cap = p.Vehicles[v].Capacity;
        for (int k = 0; k < p.Dimensions; k++)
            if (s.Load[v][k] + p.Demand[k][node] > cap[k]) return false;
        return true;
    }

    /// <summary>Forward pass over the route with <paramref name="a"/> inserted before index i and <paramref name="b"/> before index j (after a when j == i).</summary>
    private bool Feasible(List<int> route, int v, int a, int i, int b, int j, bool timeOnly = false)
    {
        var veh = p.Vehicles[v];
        long t = Math.Max(veh.Earliest, p.WindowStart[veh.StartNode]);
        long load0 = 0, load1 = 0;
        bool twoDims = p.Dimensions > 1;
        long cap0 = veh.Capacity[0], cap1 = twoDims ? veh.Capacity[1] : 0;
        int prev = veh.StartNode;
        for (int k = 0; k <= route.Count; k++)
        {
            if (k == i && !Visit(a)) return false;
            if (b >= 0 && k == j && !Visit(b)) return false;
            if (k < route.Count && !Visit(route[k])) return false;
        }
        long end = t + p.ServiceTime[prev] + p.TravelTime[prev][veh.EndNode];
        if (end > veh.Latest || end > p.WindowEnd[veh.EndNode]) return false;
        // The earliest-start pass is necessary; with limits a later start may still be needed, or impossible.
        return timing is null || timeOnly || timing.Fits(v, Candidate(route, a, i, b, j));

        bool Visit(int node)
        {
            long arrive = t + p.ServiceTime[prev] + p.TravelTime[prev][node];
            t = Math.Max(arrive, p.WindowStart[node]);
            if (t > p.WindowEnd[node]) return false;
            prev = node;
            if (timeOnly) return true;
            load0 += p.Demand[0][node];
            if (load0 > cap0) return false;
            if (twoDims)
            {
                load1 += p.Demand[1][node];
                if (load1 > cap1) return false;
            }
            return true;
        }
    }

    /// <summary>The route with a inserted before index i and b before index j (after a when j == i), in a reused buffer.</summary>
    private ReadOnlySpan<int> Candidate(List<int> route, int a, int i, int b, int j)
    {
        int n = route.Count + 1 + (b >= 0 ? 1 : 0);
        if (candidate.Length < n) candidate = new int[Math.Max(n, 2 * candidate.Length)];
        int c = 0;
        for (int k = 0; k <= route.Count; k++)
        {
            if (k == i) candidate[c++] = a;
            if (b >= 0 && k == j) candidate[c++] = b;
            if (k < route.Count) candidate[c++] = route[k];
        }
        return candidate.AsSpan(0, n);
    }

    private static int[] VehicleClasses(RoutingProblem p)
    {
        var keys = new Dictionary<string, int>();
        var result = new int[p.Vehicles.Count];
        for (int v = 0; v < result.Length; v++)
        {
            var x = p.Vehicles[v];
            string key = $"{x.StartNode}|{x.EndNode}|{string.Join(",", x.Capacity)}|{x.CostPerDistance}|{x.FixedCost}|{x.Earliest}|{x.Latest}|{x.Features}|{x.MaxDuration}";
            if (!keys.TryGetValue(key, out int c)) keys[key] = c = keys.Count;
            result[v] = c;
        }
        return result;
    }
}
