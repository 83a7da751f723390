namespace TradeNet.Logistics.Planner;

/// <summary>A visit to one town: what is loaded and unloaded there, the load on leaving, and the times.</summary>
/// <remarks>Services at a stop follow one another in the order listed, unloads first: each starts as soon as the one
/// before it has ended (the first at <paramref name="Arrival"/>) and its window is open. That is how
/// <see cref="PlanValidator"/> times a transfer's loading and unloading to check its time on board.</remarks>
/// <param name="LoadKg">Load on board when leaving the stop.</param>
/// <param name="Arrival">When the vehicle gets there; it waits there for a window to open. When a ride or route-duration
/// limit needs a later start than that (loading later keeps goods off board while a delivery window is still closed), it
/// arrives just in time, later than the drive from the previous stop allows: it waited on the way.</param>
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
    /// <summary>No vehicle (of the required kind) can carry its weight or volume, or the fleet has no vehicle at all.</summary>
    NoVehicleWithCapacity,
    /// <summary>Chilled goods but no chilled vehicle.</summary>
    NoChilledVehicle,
    /// <summary>Its own windows cannot be kept: empty, or delivery closes before the goods can arrive.</summary>
    WindowInfeasible,
    /// <summary>No suitable vehicle can go from home, serve it and return within its availability.</summary>
    NotReachableInTime,
    /// <summary>Feasible alone, but the fleet's capacity or time is taken by the other transfers.</summary>
    NoRoomInPlan,
    /// <summary>Its maximum time on board is shorter than the drive from pickup to delivery, or than its windows keep it on board.</summary>
    RideTimeInfeasible,
    /// <summary>Reachable in time, but every suitable vehicle would be out longer than its maximum route duration to serve it alone.</summary>
    RouteTooLong,
}

public sealed record UnservedTransfer(string TransferId, UnservedReason Reason, string Detail);

public sealed record RoutePlan(
    IReadOnlyList<VehicleRoute> Routes,
    IReadOnlyList<UnservedTransfer> Unserved,
    double TotalCost,
    long TotalDistanceMeters);
