using TradeNet.Contracts;

namespace TradeNet.Logistics.Domain;

/// <summary>A carrier's vehicle: based in its home town (which owns it), with what it can carry and what it costs.
/// No availability means "any time within the planning horizon"; no <see cref="MaxRouteHours"/> means
/// <c>Logistics:MaxRouteHours</c> bounds each route (leaving home to being back); no <see cref="WorkingHours"/> means any hour
/// of any day.</summary>
public sealed record Vehicle(
    string Id,
    string HomeTown,
    TradePoint Home,
    string? Name,
    double CapacityKg,
    double? VolumeM3,
    bool Chilled,
    double CostPerKm,
    double FixedCost,
    DateTimeOffset? AvailableFrom,
    DateTimeOffset? AvailableUntil,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    double? MaxRouteHours = null,
    WorkingHours? WorkingHours = null)
{
    // Far above any road vehicle, and low enough that the route solver's integer scaling (grams, milli-credits
    // per metre, micro-credits) cannot overflow.
    public const double MaxCapacityKg = 100_000, MaxVolumeM3 = 1_000, MaxCostPerKm = 1_000, MaxFixedCost = 100_000;
    public const double MinCapacityKg = 1, MinVolumeM3 = 0.01;

    /// <summary>A route's length in hours, leaving home to being back: from an hour (shorter serves nothing but the next
    /// town) to a day (longer is not one working shift).</summary>
    public const double MinRouteHours = 1, MaxRouteHoursLimit = 24;

    /// <summary>How far ahead availability may reach: times near the end of the calendar overflow the planner's date
    /// arithmetic and would fail every planning run.</summary>
    public static readonly TimeSpan MaxAvailabilityAhead = TimeSpan.FromDays(3653);

    /// <summary>The town that may change or withdraw it (besides operators).</summary>
    public string OwnerTown => HomeTown;

    /// <summary>Within the limits the API enforces (a vehicle stored before they existed may not be).</summary>
    public bool WithinLimits => CapacityKg is > 0 and <= MaxCapacityKg && VolumeM3 is null or (> 0 and <= MaxVolumeM3)
        && CostPerKm is >= 0 and <= MaxCostPerKm && FixedCost is >= 0 and <= MaxFixedCost
        && MaxRouteHours is null or (>= MinRouteHours and <= MaxRouteHoursLimit);
}
