namespace TradeNet.Logistics.Planner;

public sealed record GeoPoint(double Latitude, double Longitude);

/// <summary>Where goods are picked up, dropped or a vehicle is based: a town and its coordinates.</summary>
public sealed record Place(string TownId, GeoPoint Point);

public sealed record TimeWindow(DateTimeOffset From, DateTimeOffset To)
{
    public bool IsEmpty => To < From;
}

/// <summary>One leg of a trade: picked up and delivered by the same vehicle, pickup first, each within its window.</summary>
/// <param name="ServiceTime">Time to load at the pickup and again to unload at the delivery.</param>
/// <param name="MaxRideTime">Longest time on board, from the end of its loading to the start of its unloading (waiting
/// and other stops on the way included); null = no limit.</param>
public sealed record Transfer(
    string Id,
    Place Pickup,
    Place Delivery,
    double WeightKg,
    double? VolumeM3,
    bool Chilled,
    TimeWindow PickupWindow,
    TimeWindow DeliveryWindow,
    TimeSpan ServiceTime,
    TimeSpan? MaxRideTime = null);

/// <summary>A vehicle that starts and ends at its home town within its availability.</summary>
/// <param name="VolumeM3">Null when volume is not limiting.</param>
/// <param name="MaxRouteDuration">Longest route, from leaving home to being back (a shift); null = only the availability bounds it.</param>
public sealed record Vehicle(
    string Id,
    Place Home,
    double CapacityKg,
    double? VolumeM3,
    bool Chilled,
    double CostPerKm,
    double FixedCost,
    TimeWindow Availability,
    TimeSpan? MaxRouteDuration = null);

/// <summary>A known road distance (and optionally duration) between two towns, used instead of the estimate, in both directions unless the reverse is given too.</summary>
public sealed record RoadDistance(string FromTownId, string ToTownId, long Meters, TimeSpan? Duration = null);

/// <param name="DetourFactor">Road length ÷ great-circle length; 1.3 is typical between towns (docs/logistics.md).</param>
/// <param name="SpeedKmh">Average speed used to turn road metres into seconds.</param>
public sealed record DistanceSettings(double DetourFactor = 1.3, double SpeedKmh = 60, IReadOnlyList<RoadDistance>? Overrides = null);

/// <param name="TimeLimit">Always bounded: guided local search never stops on its own.</param>
/// <param name="Iterations">Optional own-search iteration budget; with it the plan repeats exactly for the same input (see docs/logistics.md).</param>
public sealed record PlannerOptions(TimeSpan TimeLimit, int Seed = 1, long? Iterations = null, Core.SearchStrategy Strategy = Core.SearchStrategy.Hybrid)
{
    public static PlannerOptions Default { get; } = new(TimeSpan.FromSeconds(2));
}

public sealed record PlanRequest(
    IReadOnlyList<Transfer> Transfers,
    IReadOnlyList<Vehicle> Vehicles,
    DistanceSettings? Distances = null,
    PlannerOptions? Options = null);
