namespace TradeNet.Matching.Engine;

internal sealed partial class ComponentSolver
{
    /// <summary>Towns per neighbourhood: small enough that its sub-problem is solved (near) exactly in a fraction of a second.</summary>
    private const int NeighbourhoodTowns = 16;
    private const int NeighbourhoodPasses = 3;
    // Measured on 2,000 listings, K = 4: 16-town sub-problems take 0.1–0.3 s and most finish proven.
    private static readonly TimeSpan SubProblemBudget = TimeSpan.FromSeconds(0.5);

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
        for (var pass = 0; pass < Math.Min(NeighbourhoodPasses, planSearchPasses ?? NeighbourhoodPasses) && !budget.Expired; pass++)
        {
            var passGain = 0.0;
            var covered = new HashSet<int>();
            foreach (var seed in TownsByUnusedValue(lp.Columns, x))
            {
                if (budget.Expired) break;
                ct.ThrowIfCancellationRequested();
                // A seed inside an earlier neighbourhood of this pass would mostly repeat it.
                if (covered.Contains(seed)) continue;
                var grown = Grow(seed, adjacency, NeighbourhoodTowns);
                covered.UnionWith(grown.Take(NeighbourhoodTowns / 2));
                var towns = grown.ToHashSet();
                tried++;
                (x, var gain) = SolveNeighbourhood(lp, x, towns, subDual, scratch, budget);
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

    /// <returns>The plan (the same array when it stays as it was) and the gain in objective.</returns>
    private (double[] Plan, double Gain) SolveNeighbourhood(MasterLp lp, double[] x, HashSet<int> towns, double[] subDual, int[] scratch, Deadline budget)
    {
        var columns = lp.Columns;
        var freed = new List<int>();
        var before = 0.0;
        for (var i = 0; i < x.Length; i++)
            if (x[i] > 0 && columns[i].Legs.All(e => towns.Contains(m.ListingTown[m.LegOffer[e]])))
            {
                freed.Add(i);
                before += x[i] * columns[i].Profit;
            }
        var arcs = comp.ArcIds.Where(a => towns.Contains(m.ArcFrom[a]) && towns.Contains(m.ArcTo[a])).ToArray();
        if (arcs.Length < 2) return (x, 0);
        // The sub-problem's quantities: what the trades outside the neighbourhood leave.
        var caps = new double[m.Cap.Length];
        var inside = freed.ToHashSet();
        Residual(caps, columns, x, i => !inside.Contains(i));
        var subMarket = m.WithCaps(caps);
        // At most NeighbourhoodTowns towns, so the sub-solver never searches neighbourhoods itself.
        var sub = new Component(subMarket, arcs, scratch);
        var seeds = freed.Select(i => (columns[i].Legs, x[i])).ToList();
        var progress = Progress.Value;
        Progress.Value = null; // the sub-solves' own rounds would drown the log
        Solution solution;
        try
        {
            solution = new ComponentSolver(subMarket, sub, budget.Within(SubProblemBudget), subDual, ct, seeds, seedsArePlan: true).Solve();
        }
        finally { Progress.Value = progress; }
        if (solution.Objective <= before + Tolerance(before)) return (x, 0);
        foreach (var i in freed) x[i] = 0;
        var added = new List<(int Index, double Value)>();
        for (var k = 0; k < solution.Columns.Count; k++)
            if (solution.Values[k] > 0) added.Add((lp.IndexOf(Column.Create(m, solution.Columns[k].Legs)), solution.Values[k]));
        x = Grown(x, columns.Count);
        foreach (var (i, value) in added) x[i] += value;
        return (x, solution.Objective - before);
    }

    /// <summary>Neighbourhood of <paramref name="seed"/> (<paramref name="size"/> towns at most): towns added one by one, each the one with the most arcs into the set so far.</summary>
    /// <returns>The towns in the order they joined.</returns>
    private static List<int> Grow(int seed, List<int>[] adjacency, int size)
    {
        var order = new List<int> { seed };
        var set = new HashSet<int> { seed };
        var links = new Dictionary<int, int>();
        void Touch(int t)
        {
            foreach (var u in adjacency[t]) if (!set.Contains(u)) links[u] = links.GetValueOrDefault(u) + 1;
        }
        Touch(seed);
        while (set.Count < size && links.Count > 0)
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
        var left = new double[m.Cap.Length];
        Residual(left, columns, x);
        var score = new Dictionary<int, double>();
        foreach (var l in comp.Listings)
            score[m.ListingTown[l]] = score.GetValueOrDefault(m.ListingTown[l]) + dual[l] * left[l];
        return score.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).Select(kv => kv.Key).ToList();
    }
}
