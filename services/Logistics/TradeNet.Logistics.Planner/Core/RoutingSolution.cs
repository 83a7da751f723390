namespace TradeNet.Logistics.Planner.Core;

/// <summary>Routes per vehicle (visit nodes only, depots implied) and the visits left out.</summary>
public sealed record RoutingSolution(int[][] Routes, int[] Unassigned)
{
    public int UsedVehicles => Routes.Count(r => r.Length > 0);
}

/// <summary>Earliest-start schedule of one route: arrival and service start per visit, then at the end depot.</summary>
public sealed record RouteSchedule(long Start, long[] Arrival, long[] ServiceStart, long End, long[][] LoadAfter);
