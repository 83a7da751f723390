using TradeNet.Contracts;

namespace TradeNet.Logistics.Domain;

public enum ShipmentStatus { Planned, PickedUp, Delivered, Failed, Cancelled }

/// <summary>A transfer on its way: which vehicle carries it, on which route, and how far it got.</summary>
/// <remarks><see cref="Version"/> grows with every applied transition, so concurrent writers cannot both win.
/// <see cref="DirectTrip"/>: why the fleet did not carry it, on a direct trip by its giving town; null on a vehicle's route
/// and on direct trips planned before the reason was kept.</remarks>
public sealed record Shipment(
    Guid Id,
    Guid TradeId,
    int LegIndex,
    Guid TransferId,
    string FromTown,
    string ToTown,
    string CarrierTown,
    string VehicleId,
    Guid RouteId,
    ShipmentStatus Status,
    double DistanceKm,
    double Cost,
    DateTimeOffset Eta,
    IReadOnlyList<ShipmentStop> Stops,
    DateTimeOffset CreatedAt,
    DateTimeOffset? PickedUpAt = null,
    DateTimeOffset? DeliveredAt = null,
    DateTimeOffset? FailedAt = null,
    string? FailureReason = null,
    DateTimeOffset? CancelledAt = null,
    long Version = 1,
    DirectTripReason? DirectTrip = null)
{
    /// <summary>The towns that may see the shipment: sender, receiver and carrier.</summary>
    public bool Involves(string townId) => FromTown == townId || ToTown == townId || CarrierTown == townId;
}
