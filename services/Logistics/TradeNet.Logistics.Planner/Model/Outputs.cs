namespace TradeNet.Logistics.Planner;

/// <summary>A visit to one town: what is loaded and unloaded there, the load on leaving, and the times.</summary>
/// <param name="LoadKg">Load on board when leaving the stop.</param>
public sealed record RouteStop(
    string TownId,
    IReadOnlyList<string> PickedUp,
    IReadOnlyList<string> Dropped,
    double LoadKg,
    double LoadM3,
    DateTimeOffset Arrival,
    DateTimeOffset Departure);

/// <summary>One vehicle's route: starts and ends at its home town (first and last stop).</summary>
public sealed record VehicleRoute(string VehicleId, IReadOnlyList<RouteStop> Stops, long DistanceMeters, double Cost);

public enum UnservedReason
{
    /// <summary>No vehicle (of the required kind) can carry its weight or volume.</summary>
    NoVehicleWithCapacity,
    /// <summary>Chilled goods but no chilled vehicle.</summary>
    NoChilledVehicle,
    /// <summary>Its own windows cannot be kept: empty, or delivery closes before the goods can arrive.</summary>
    WindowInfeasible,
    /// <summary>No suitable vehicle can go from home, serve it and return within its availability.</summary>
    NotReachableInTime,
    /// <summary>Feasible alone, but the fleet's capacity or time is taken by the other transfers.</summary>
    NoRoomInPlan,
}

public sealed record UnservedTransfer(string TransferId, UnservedReason Reason, string Detail);

public sealed record RoutePlan(
    IReadOnlyList<VehicleRoute> Routes,
    IReadOnlyList<UnservedTransfer> Unserved,
    double TotalCost,
    long TotalDistanceMeters);
