using TradeNet.Contracts;

namespace TradeNet.Logistics.Domain;

/// <summary>A carrier's vehicle: based in its home town (which owns it), with what it can carry and what it costs.
/// No availability means "any time within the planning horizon".</summary>
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
    DateTimeOffset UpdatedAt)
{
    /// <summary>The town that may change or withdraw it (besides operators).</summary>
    public string OwnerTown => HomeTown;
}
