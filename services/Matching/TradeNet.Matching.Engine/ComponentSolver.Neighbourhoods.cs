namespace TradeNet.Matching.Engine;

internal sealed partial class ComponentSolver
{
    /// <summary>Towns per neighbourhood: small enough that its sub-problem is solved (near) exactly in a fraction of a second.</summary>
    private const int NeighbourhoodTowns = 16;
    private const int NeighbourhoodPasses = 3;
    // Measured on 2,000 listings, K = 4: 16-town sub-problems take 0.1–0.3 s and most finish proven.
    private static readonly TimeSpan SubProblemBudget = TimeSpan.FromSeconds(0.5);

    /// <summary>This solver works on one neighbourhood of a bigger component (so it does not search neighbourhoods itself).</summary>
    private bool InsideNeighbourhood { get; init; }

    /// <summary>
    /// Large-neighbourhood search on the plan: pick a few towns that trade with each other, take out every
    /// trade among them, and solve what those towns can still do on the quantities left (a small component
    /// of its own: column generation, MIP, enumeration proof). The plan's own trades there are the
    /// sub-problem's seeds, so a neighbourhood only ever gets better. Towns whose listings leave the most
    /// LP value unused go first.
    /// </summary>
    private double[] ImproveNeighbourhoods(MasterLp lp, double[] plan, Deadline budget, ref double incumbent, ref string method)
    {
        var x = Grown((double[])plan.Clone(), lp.Columns.Count);
        var adjacency = TownAdjacency();
        var subDual = new double[m.Cap.Length];
        var scratch = new int[m.TownCount];
        var improved = 0;
        var tried = 0;
        for (var pass = 0; pass < NeighbourhoodPasses && !budget.Expired; pass++)
        {
            var passGain = 0.0;
            var covered = new HashSet<int>();
            foreach (var seed in TownsByUnusedValue(lp.Columns, x))
            {
                if (budget.Expired) break;
                ct.ThrowIfCancellationRequested();
                // A seed inside an earlier neighbourhood of this pass would mostly repeat it.
                if (covered.Contains(seed)) continue;
                var grown = Grow(seed, adjacency);
                covered.UnionWith(grown.Take(NeighbourhoodTowns / 2));
                var towns = grown.ToHashSet();
                tried++;
                var gain = SolveNeighbourhood(lp, ref x, towns, subDual, scratch, budget);
                if (gain > 0) { improved++; passGain += gain; }
            }
            Trace($"  neighbourhoods pass {pass}: tried {tried}, improved {improved}, +{passGain:F1}, plan {Objective(lp.Columns, x):F1}, t={deadline.Elapsed.TotalSeconds:F2}");
            if (passGain <= Tolerance(incumbent)) break;
        }
        var value = Objective(lp.Columns, x);
        if (value <= incumbent + Tolerance(incumbent)) return Grown(plan, lp.Columns.Count);
        incumbent = value;
        method += "+lns";
        return x;
    }

    /// <returns>The gain in objective (0 when the plan stays as it was).</returns>
    private double SolveNeighbourhood(MasterLp lp, ref double[] x, HashSet<int> towns, double[] subDual, int[] scratch, Deadline budget)
    {
        var columns = lp.Columns;
        var caps = (double[])m.Cap.Clone();
        var freed = new List<int>();
        for (var i = 0; i < x.Length; i++)
        {
            if (x[i] <= 0) continue;
            var inside = columns[i].Legs.All(e => towns.Contains(m.ListingTown[m.LegOffer[e]]));
            if (inside) freed.Add(i);
            else foreach (var l in columns[i].Listings(m)) caps[l] -= x[i];
        }
        for (var l = 0; l < caps.Length; l++) caps[l] = Math.Max(0, caps[l]);
        var arcs = comp.ArcIds.Where(a => towns.Contains(m.ArcFrom[a]) && towns.Contains(m.ArcTo[a])).ToArray();
        if (arcs.Length < 2) return 0;
        var subMarket = m.WithCaps(caps);
        var sub = new Component(subMarket, arcs, scratch);
        var current = x;
        var before = freed.Sum(i => current[i] * columns[i].Profit);
        var seeds = freed.Select(i => (columns[i].Legs, current[i])).ToList();
        var progress = Progress.Value;
        Progress.Value = null; // the sub-solves' own rounds would drown the log
        Solution solution;
        try
        {
            var limit = budget.Within(SubProblemBudget);
            solution = new ComponentSolver(subMarket, sub, limit, subDual, ct, seeds, seedsArePlan: true) { InsideNeighbourhood = true }.Solve();
        }
        finally { Progress.Value = progress; }
        if (solution.Objective <= before + Tolerance(before)) return 0;
        foreach (var i in freed) x[i] = 0;
        for (var k = 0; k < solution.Columns.Count; k++)
        {
            if (solution.Values[k] <= 0) continue;
            var i = lp.IndexOf(Column.Create(m, solution.Columns[k].Legs));
            x = Grown(x, columns.Count);
            x[i] += solution.Values[k];
        }
        return solution.Objective - before;
    }

    /// <summary>Neighbourhood of <paramref name="seed"/>: towns added one by one, each the one with the most arcs into the set so far.</summary>
    /// <returns>The towns in the order they joined.</returns>
    private List<int> Grow(int seed, List<int>[] adjacency)
    {
        var order = new List<int> { seed };
        var set = new HashSet<int> { seed };
        var links = new Dictionary<int, int>();
        void Touch(int t)
        {
            foreach (var u in adjacency[t]) if (!set.Contains(u)) links[u] = links.GetValueOrDefault(u) + 1;
        }
        Touch(seed);
        while (set.Count < NeighbourhoodTowns && links.Count > 0)
        {
            var next = links.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).First().Key;
            links.Remove(next);
            set.Add(next);
            order.Add(next);
            Touch(next);
        }
        return order;
    }

    /// <summary>Undirected town adjacency over the component's arcs (global town ids), one entry per arc.</summary>
    private List<int>[] TownAdjacency()
    {
        var adjacency = new List<int>[m.TownCount];
        for (var t = 0; t < adjacency.Length; t++) adjacency[t] = [];
        foreach (var a in comp.ArcIds)
        {
            adjacency[m.ArcFrom[a]].Add(m.ArcTo[a]);
            adjacency[m.ArcTo[a]].Add(m.ArcFrom[a]);
        }
        return adjacency;
    }

    /// <summary>The component's towns, those whose listings leave the most LP-priced value unused first.</summary>
    private List<int> TownsByUnusedValue(List<Column> columns, double[] x)
    {
        var used = new double[m.Cap.Length];
        for (var i = 0; i < x.Length; i++)
            if (x[i] > 0)
                foreach (var l in columns[i].Listings(m)) used[l] += x[i];
        var score = new Dictionary<int, double>();
        foreach (var l in comp.Listings)
        {
            var t = m.ListingTown[l];
            score[t] = score.GetValueOrDefault(t) + dual[l] * Math.Max(0, m.Cap[l] - used[l]);
        }
        return score.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).Select(kv => kv.Key).ToList();
    }
}
