namespace TradeNet.Logistics.Planner.Core;

/// <summary>Mutable working solution of the ruin-and-recreate search; cloned per iteration.</summary>
internal sealed class LnsState
{
    public List<int>[] Routes = [];
    /// <summary>Requests (pickups or single visits) not on any route.</summary>
    public List<int> Unassigned = [];
    public int[] RouteOf = [];
    public long[] RouteCost = [];
    /// <summary>Sum of demands per route and dimension; for capacity-only problems the peak load.</summary>
    public long[][] Load = [];

    public static LnsState Empty(RoutingProblem p)
    {
        int m = p.Vehicles.Count;
        var s = new LnsState
        {
            Routes = Enumerable.Range(0, m).Select(_ => new List<int>()).ToArray(),
            RouteOf = Enumerable.Repeat(-1, p.NodeCount).ToArray(),
            RouteCost = new long[m],
            Load = Enumerable.Range(0, m).Select(_ => new long[p.Dimensions]).ToArray(),
        };
        return s;
    }

    public LnsState Clone() => new()
    {
        Routes = Routes.Select(r => new List<int>(r)).ToArray(),
        Unassigned = new List<int>(Unassigned),
        RouteOf = (int[])RouteOf.Clone(),
        RouteCost = (long[])RouteCost.Clone(),
        Load = Load.Select(l => (long[])l.Clone()).ToArray(),
    };

    public long Cost(RoutingProblem p)
    {
        long c = 0;
        foreach (long rc in RouteCost) c += rc;
        foreach (int u in Unassigned) c += p.DropPenalty[u];
        return c;
    }

    public void Refresh(RoutingProblem p, int v)
    {
        RouteCost[v] = RouteEvaluator.RouteCost(p, v, Routes[v]);
        Array.Clear(Load[v]);
        foreach (int node in Routes[v])
        {
            RouteOf[node] = v;
            for (int k = 0; k < p.Dimensions; k++)
                if (p.Demand[k][node] > 0) Load[v][k] += p.Demand[k][node];
        }
    }

    public RoutingSolution ToSolution(RoutingProblem p)
    {
        var unassigned = new List<int>();
        foreach (int u in Unassigned)
        {
            unassigned.Add(u);
            if (p.Partner[u] >= 0) unassigned.Add(p.Partner[u]);
        }
        return new RoutingSolution(Routes.Select(r => r.ToArray()).ToArray(), unassigned.ToArray());
    }

    public static LnsState From(RoutingProblem p, RoutingSolution s)
    {
        var st = Empty(p);
        for (int v = 0; v < s.Routes.Length; v++)
        {
            st.Routes[v].AddRange(s.Routes[v]);
            st.Refresh(p, v);
        }
        foreach (int u in s.Unassigned)
            if (p.Partner[u] < 0 || p.IsPickup[u]) st.Unassigned.Add(u);
        return st;
    }
}
