using System.Diagnostics;

namespace TradeNet.Logistics.Planner.Core;

/// <summary>
/// Own large-neighbourhood search after Christiaens &amp; Vanden Berghe's SISR ("slack induction
/// by string removals", 2020): remove a few strings of neighbouring visits from different
/// routes, reinsert greedily with blinks, accept by simulated annealing. It complements
/// OR-Tools' guided local search, which moves one or two visits at a time and stalls in the
/// deep local optima of capacity-tight instances.
/// </summary>
public sealed class RuinRecreateSearch
{
    private const double AverageRemoved = 10; // c̄ in the paper
    private const int MaxStringLength = 10;   // L_max in the paper

    private readonly RoutingProblem p;
    private readonly Random rng;
    private readonly Insertion insertion;
    private readonly int[][] neighbours;
    private readonly int[] requests;
    private readonly int[] visitIndex;

    public RuinRecreateSearch(RoutingProblem problem, int seed)
    {
        p = problem;
        rng = new Random(seed);
        insertion = new Insertion(problem, rng);
        requests = problem.Visits.Where(v => problem.Partner[v] < 0 || problem.IsPickup[v]).ToArray();
        neighbours = problem.Visits.Length == 0 ? [] : BuildNeighbours(problem);
        visitIndex = new int[problem.NodeCount];
        for (int i = 0; i < problem.Visits.Length; i++) visitIndex[problem.Visits[i]] = i;
    }

    /// <summary>Iterations run by the last call to <see cref="Improve"/>.</summary>
    public long Iterations { get; private set; }

    /// <summary>
    /// Builds a first solution by cheapest insertion: with time windows in order of the latest
    /// allowed start (tightest deadline first, which keeps routes in time order), otherwise
    /// heaviest first (which packs capacity best).
    /// </summary>
    /// <param name="budget">Time the regret construction may take (time mode only; null in deterministic mode): past it
    /// the rest is placed in greedy order. Its cost grows with the routes it builds, and a planning run of 300 transfers
    /// spent 19 s in it against a 2 s limit (load QA).</param>
    public RoutingSolution Construct(TimeSpan? budget = null)
    {
        var s = LnsState.Empty(p);
        var order = (p.HasTimeWindows
            ? requests.OrderBy(Deadline).ThenBy(r => r)
            : requests.OrderByDescending(r => p.Demand[0][r]).ThenBy(r => r)).ToArray();
        if (p.HasTimeWindows && order.Length <= RegretLimit) return ConstructByRegret(s, order, budget);
        foreach (int r in order)
            if (!insertion.InsertBest(s, r)) s.Unassigned.Add(r);
        return s.ToSolution(p);
    }

    /// <summary>Above this many requests the O(n²) regret construction gives way to the ordered greedy one.</summary>
    private const int RegretLimit = 400;

    /// <summary>
    /// Regret-2 insertion (as in Ropke &amp; Pisinger's ALNS): repeatedly place the request that
    /// would lose most by waiting (second-best route minus best route), so requests with few
    /// options go first. With time windows it leaves far fewer requests out than greedy order.
    /// Only the route that changed is re-evaluated after each insertion.
    /// </summary>
    private RoutingSolution ConstructByRegret(LnsState s, int[] order, TimeSpan? budget)
    {
        var clock = Stopwatch.StartNew();
        int m = p.Vehicles.Count;
        var remaining = new List<int>(order);
        var cost = new Dictionary<int, (long Delta, int I, int J)[]>();
        foreach (int r in remaining)
        {
            var row = new (long, int, int)[m];
            for (int v = 0; v < m; v++) row[v] = insertion.BestInRoute(s, v, r);
            cost[r] = row;
        }
        var classSeen = new HashSet<int>();
        while (remaining.Count > 0)
        {
            if (budget is { } limit && clock.Elapsed > limit)
            {
                // Out of time: the rest in greedy order, as above the regret limit.
                var left = remaining.ToHashSet();
                foreach (int r in order.Where(left.Contains))
                    if (!insertion.InsertBest(s, r)) s.Unassigned.Add(r);
                return s.ToSolution(p);
            }
            int pick = -1, pickV = -1;
            long pickRegret = long.MinValue, pickBest = long.MaxValue;
            foreach (int r in remaining)
            {
                long best = long.MaxValue, second = long.MaxValue;
                int bestV = -1;
                classSeen.Clear();
                for (int v = 0; v < m; v++)
                {
                    // Empty vehicles of one class are one option, not several.
                    if (s.Routes[v].Count == 0 && !classSeen.Add(insertion.VehicleClass(v))) continue;
                    long d = cost[r][v].Delta;
                    if (d < best) { second = best; best = d; bestV = v; }
                    else if (d < second) second = d;
                }
                if (best >= p.DropPenalty[r]) continue; // nowhere worth it: decided below
                long regret = second == long.MaxValue ? long.MaxValue : second - best;
                if (regret > pickRegret || (regret == pickRegret && best < pickBest))
                {
                    pick = r; pickV = bestV; pickRegret = regret; pickBest = best;
                }
            }
            if (pick < 0) break;
            var (_, i, j) = cost[pick][pickV];
            insertion.InsertAt(s, pickV, pick, i, j);
            remaining.Remove(pick);
            foreach (int r in remaining) cost[r][pickV] = insertion.BestInRoute(s, pickV, r);
            // An empty vehicle of the same class may now stand for the class: its costs are still valid.
        }
        s.Unassigned.AddRange(remaining);
        return s.ToSolution(p);
    }

    /// <summary>
    /// Improves <paramref name="start"/> until the deadline or the iteration budget, whichever
    /// comes first. With an iteration budget and no deadline pressure the result depends on the seed only.
    /// </summary>
    public RoutingSolution Improve(RoutingSolution start, TimeSpan timeLimit, long maxIterations = long.MaxValue, CancellationToken cancel = default)
    {
        var current = LnsState.From(p, start);
        long currentCost = current.Cost(p);
        var best = current.Clone();
        long bestCost = currentCost;
        Iterations = 0;
        if (requests.Length == 0) return best.ToSolution(p);

        double arc = AverageArcCost(current);
        double t0 = 0.4 * arc, tf = 0.004 * arc;
        var clock = Stopwatch.StartNew();
        double limitMs = timeLimit.TotalMilliseconds;
        while (Iterations < maxIterations && !cancel.IsCancellationRequested)
        {
            double elapsed = clock.Elapsed.TotalMilliseconds;
            if (elapsed >= limitMs) break;
            double progress = maxIterations == long.MaxValue ? elapsed / limitMs : Math.Max(elapsed / limitMs, (double)Iterations / maxIterations);
            double temperature = t0 * Math.Pow(tf / t0, progress);
            Iterations++;

            var next = current.Clone();
            var removed = Ruin(next);
            Recreate(next, removed);
            long cost = next.Cost(p);
            if (cost < currentCost - temperature * Math.Log(rng.NextDouble()))
            {
                current = next;
                currentCost = cost;
                if (cost < bestCost)
                {
                    best = next.Clone();
                    bestCost = cost;
                }
            }
        }
        return best.ToSolution(p);
    }

    private List<int> Ruin(LnsState s)
    {
        var removed = new List<int>();
        var used = s.Routes.Where(r => r.Count > 0).ToArray();
        if (used.Length == 0) return removed;
        // Removing a whole short route now and then is what lets fixed costs (fewer vehicles) be earned.
        if (p.Vehicles.Any(v => v.FixedCost > 0) && rng.NextDouble() < 0.1)
        {
            var shortest = Enumerable.Range(0, s.Routes.Length).Where(v => s.Routes[v].Count > 0)
                .OrderBy(v => s.Routes[v].Count).ThenBy(_ => rng.Next()).First();
            RemoveSegment(s, shortest, 0, s.Routes[shortest].Count, removed);
            return removed;
        }
        double avgLength = used.Average(r => r.Count);
        double lsMax = Math.Min(MaxStringLength, avgLength);
        double ksMax = 4 * AverageRemoved / (1 + lsMax) - 1;
        int ks = (int)Math.Floor(rng.NextDouble() * ksMax) + 1;
        var assigned = p.Visits.Where(v => s.RouteOf[v] >= 0).ToArray();
        if (assigned.Length == 0) return removed;
        // While something is left out, ruin around it half the time: that is where room must be made.
        int seed = s.Unassigned.Count > 0 && rng.NextDouble() < 0.5
            ? s.Unassigned[rng.Next(s.Unassigned.Count)]
            : assigned[rng.Next(assigned.Length)];
        var ruined = new HashSet<int>();
        foreach (int c in neighbours[visitIndex[seed]])
        {
            if (ruined.Count >= ks) break;
            int v = s.RouteOf[c];
            if (v < 0 || ruined.Contains(v)) continue;
            var route = s.Routes[v];
            int maxLen = (int)Math.Min(route.Count, lsMax);
            int len = (int)Math.Floor(rng.NextDouble() * maxLen) + 1;
            int pos = route.IndexOf(c);
            int from = Math.Clamp(pos - rng.Next(len), 0, route.Count - len);
            RemoveSegment(s, v, from, len, removed);
            ruined.Add(v);
        }
        return removed;
    }

    /// <summary>Removes a string of visits and, for pairs, their partners; records the requests.</summary>
    private void RemoveSegment(LnsState s, int v, int from, int len, List<int> removed)
    {
        var route = s.Routes[v];
        var drop = new HashSet<int>();
        for (int k = from; k < from + len; k++)
        {
            int node = route[k];
            drop.Add(node);
            if (p.Partner[node] >= 0) drop.Add(p.Partner[node]);
        }
        route.RemoveAll(drop.Contains);
        foreach (int node in drop)
        {
            s.RouteOf[node] = -1;
            if (p.Partner[node] < 0 || p.IsPickup[node]) removed.Add(node);
        }
        s.Refresh(p, v);
    }

    private void Recreate(LnsState s, List<int> removed)
    {
        // Retry what was left out before too: a ruin may have opened room for it.
        removed.AddRange(s.Unassigned);
        s.Unassigned.Clear();
        int depot = p.Vehicles[0].StartNode;
        int rule = rng.Next(p.HasTimeWindows ? 13 : 11);
        IEnumerable<int> order = rule switch
        {
            < 4 => removed.OrderBy(_ => rng.Next()),
            < 8 => removed.OrderByDescending(r => p.Demand[0][r]).ThenBy(_ => rng.Next()),
            < 10 => removed.OrderByDescending(r => p.Distance[depot][r]),
            10 => removed.OrderBy(r => p.Distance[depot][r]),
            _ => removed.OrderBy(Deadline).ThenBy(_ => rng.Next()),
        };
        foreach (int r in order.ToArray())
            if (!insertion.InsertBest(s, r)) s.Unassigned.Add(r);
    }

    private long Deadline(int request) =>
        p.Partner[request] >= 0 ? Math.Min(p.WindowEnd[request], p.WindowEnd[p.Partner[request]]) : p.WindowEnd[request];

    private double AverageArcCost(LnsState s)
    {
        long distanceCost = 0;
        int arcs = 0;
        for (int v = 0; v < s.Routes.Length; v++)
        {
            if (s.Routes[v].Count == 0) continue;
            distanceCost += RouteEvaluator.RouteDistance(p, v, s.Routes[v]) * p.Vehicles[v].CostPerDistance;
            arcs += s.Routes[v].Count + 1;
        }
        return arcs == 0 ? 1 : Math.Max(1, (double)distanceCost / arcs);
    }

    private static int[][] BuildNeighbours(RoutingProblem p)
    {
        var visits = p.Visits;
        var result = new int[visits.Length][];
        for (int i = 0; i < visits.Length; i++)
        {
            int a = visits[i];
            result[i] = visits.OrderBy(b => b == a ? -1 : p.Distance[a][b] + p.Distance[b][a]).ThenBy(b => b).ToArray();
        }
        return result;
    }
}
