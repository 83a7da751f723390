using Google.OrTools.ConstraintSolver;
using Google.Protobuf.WellKnownTypes;

namespace TradeNet.Logistics.Planner.Core;

/// <summary>How OR-Tools builds its first solution.</summary>
public enum FirstSolution
{
    Automatic,
    PathCheapestArc,
    Savings,
    ParallelCheapestInsertion,
    LocalCheapestInsertion,
}

/// <summary>
/// The problem as an OR-Tools routing model: arc costs per vehicle cost class, capacity
/// dimensions, a time dimension with windows, route spans and ride limits, pickup-delivery pairs
/// (same vehicle, pickup first), optional visits as disjunctions, and vehicle features as vehicle-variable domains.
/// Guided local search always runs under a time limit, since it never stops by itself.
/// </summary>
public static class OrToolsSearch
{
    public static RoutingSolution? Solve(
        RoutingProblem p,
        TimeSpan timeLimit,
        FirstSolution firstSolution = FirstSolution.Automatic,
        RoutingSolution? start = null,
        long solutionLimit = long.MaxValue)
    {
        // The limit covers loading the native library and building the model, not just the search.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int n = p.NodeCount, m = p.Vehicles.Count;
        var starts = p.Vehicles.Select(v => v.StartNode).ToArray();
        var ends = p.Vehicles.Select(v => v.EndNode).ToArray();
        using var manager = new RoutingIndexManager(n, m, starts, ends);
        using var model = new RoutingModel(manager);
        var keepAlive = new List<object>(); // callbacks must outlive the solve

        // Arc costs: one registered matrix per distinct cost per distance unit.
        var costCallbacks = new Dictionary<long, int>();
        for (int v = 0; v < m; v++)
        {
            long cpd = p.Vehicles[v].CostPerDistance;
            if (!costCallbacks.TryGetValue(cpd, out int cb))
            {
                var matrix = p.Distance.Select(row => row.Select(d => d * cpd).ToArray()).ToArray();
                keepAlive.Add(matrix);
                cb = model.RegisterTransitMatrix(matrix);
                costCallbacks[cpd] = cb;
            }
            model.SetArcCostEvaluatorOfVehicle(cb, v);
            model.SetFixedCostOfVehicle(p.Vehicles[v].FixedCost, v);
        }

        for (int k = 0; k < p.Dimensions; k++)
        {
            var demand = (long[])p.Demand[k].Clone();
            keepAlive.Add(demand);
            int cb = model.RegisterUnaryTransitVector(demand);
            model.AddDimensionWithVehicleCapacity(cb, 0, p.Vehicles.Select(v => v.Capacity[k]).ToArray(), true, $"load{k}");
        }

        RoutingDimension? time = null;
        if (p.HasTimeWindows || p.HasPairs || p.HasDurationLimits)
        {
            var transit = new long[n][];
            for (int i = 0; i < n; i++)
            {
                transit[i] = new long[n];
                for (int j = 0; j < n; j++) transit[i][j] = p.ServiceTime[i] + p.TravelTime[i][j];
            }
            keepAlive.Add(transit);
            int cb = model.RegisterTransitMatrix(transit);
            long horizon = Math.Max(p.Horizon, 1);
            model.AddDimension(cb, horizon, horizon, false, "time");
            time = model.GetDimensionOrDie("time");
            foreach (int node in p.Visits)
            {
                long lo = Math.Min(p.WindowStart[node], horizon), hi = Math.Min(p.WindowEnd[node], horizon);
                time.CumulVar(manager.NodeToIndex(node)).SetRange(lo, hi);
            }
            for (int v = 0; v < m; v++)
            {
                var veh = p.Vehicles[v];
                time.CumulVar(model.Start(v)).SetRange(Math.Max(veh.Earliest, p.WindowStart[veh.StartNode]), Math.Min(Math.Min(veh.Latest, p.WindowEnd[veh.StartNode]), horizon));
                time.CumulVar(model.End(v)).SetRange(Math.Max(veh.Earliest, 0), Math.Min(Math.Min(veh.Latest, p.WindowEnd[veh.EndNode]), horizon));
                // The span is end cumul minus start cumul: leaving the depot to reaching it again.
                if (veh.HasMaxDuration) time.SetSpanUpperBoundForVehicle(Math.Min(veh.MaxDuration, horizon), v);
            }
        }

        var solver = model.solver();
        foreach (int node in p.Visits)
        {
            long index = manager.NodeToIndex(node);
            var disallowed = Enumerable.Range(0, m).Where(v => !p.Allowed(v, node)).Select(v => (long)v).ToArray();
            if (disallowed.Length > 0) model.VehicleVar(index).RemoveValues(disallowed);
            if (p.IsPickup[node])
            {
                long di = manager.NodeToIndex(p.Partner[node]);
                model.AddPickupAndDelivery(index, di);
                solver.Add(solver.MakeEquality(model.VehicleVar(index), model.VehicleVar(di)));
                solver.Add(solver.MakeEquality(model.ActiveVar(index), model.ActiveVar(di)));
                if (time is not null) solver.Add(solver.MakeLessOrEqual(time.CumulVar(index), time.CumulVar(di)));
                // Cumuls are service starts: the ride (delivery start − pickup end) within its limit. A plain solver
                // constraint, which the first-solution heuristics do not see: they may find nothing when every visit is
                // mandatory, but the planner's visits are optional and the hybrid starts from the own search's routes.
                if (time is not null && p.MaxRide[node] < long.MaxValue)
                    solver.Add(solver.MakeLessOrEqual(solver.MakeDifference(time.CumulVar(di), time.CumulVar(index)),
                        Math.Min(p.MaxRide[node], p.Horizon) + p.ServiceTime[node]));
            }
            if (p.IsOptional(node))
            {
                // A pair's penalty is split over its two nodes so that dropping the pair costs it once.
                long penalty = p.Partner[node] >= 0 ? (p.DropPenalty[node] + 1) / 2 : p.DropPenalty[node];
                model.AddDisjunction([index], penalty);
            }
        }

        var search = operations_research_constraint_solver.DefaultRoutingSearchParameters();
        search.FirstSolutionStrategy = firstSolution switch
        {
            FirstSolution.PathCheapestArc => FirstSolutionStrategy.Types.Value.PathCheapestArc,
            FirstSolution.Savings => FirstSolutionStrategy.Types.Value.Savings,
            FirstSolution.ParallelCheapestInsertion => FirstSolutionStrategy.Types.Value.ParallelCheapestInsertion,
            FirstSolution.LocalCheapestInsertion => FirstSolutionStrategy.Types.Value.LocalCheapestInsertion,
            _ => p.HasPairs ? FirstSolutionStrategy.Types.Value.ParallelCheapestInsertion : FirstSolutionStrategy.Types.Value.PathCheapestArc,
        };
        search.LocalSearchMetaheuristic = LocalSearchMetaheuristic.Types.Value.GuidedLocalSearch;
        var searchTime = timeLimit - clock.Elapsed;
        search.TimeLimit = Duration.FromTimeSpan(searchTime < TimeSpan.FromMilliseconds(10) ? TimeSpan.FromMilliseconds(10) : searchTime);
        if (solutionLimit != long.MaxValue) search.SolutionLimit = solutionLimit;

        Assignment? result;
        if (start is not null)
        {
            model.CloseModelWithParameters(search);
            var routes = start.Routes.Select(r => r.Select(node => manager.NodeToIndex(node)).ToArray()).ToArray();
            var initial = model.ReadAssignmentFromRoutes(routes, true);
            var left = timeLimit - clock.Elapsed; // closing the model took some of it
            search.TimeLimit = Duration.FromTimeSpan(left < TimeSpan.FromMilliseconds(10) ? TimeSpan.FromMilliseconds(10) : left);
            result = initial is null ? model.SolveWithParameters(search) : model.SolveFromAssignmentWithParameters(initial, search);
        }
        else
        {
            result = model.SolveWithParameters(search);
        }
        GC.KeepAlive(keepAlive);
        if (result is null) return null;

        var outRoutes = new int[m][];
        var onRoute = new bool[n];
        for (int v = 0; v < m; v++)
        {
            var route = new List<int>();
            long index = model.Start(v);
            index = result.Value(model.NextVar(index));
            while (!model.IsEnd(index))
            {
                int node = manager.IndexToNode(index);
                route.Add(node);
                onRoute[node] = true;
                index = result.Value(model.NextVar(index));
            }
            outRoutes[v] = route.ToArray();
        }
        var unassigned = p.Visits.Where(node => !onRoute[node]).ToArray();
        return new RoutingSolution(outRoutes, unassigned);
    }
}
