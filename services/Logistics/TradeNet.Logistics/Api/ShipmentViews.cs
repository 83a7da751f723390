using TradeNet.Contracts;
using TradeNet.Logistics.Domain;

namespace TradeNet.Logistics.Api;

public sealed record ShipmentView(
    Guid Id,
    Guid TradeId,
    int LegIndex,
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
    DateTimeOffset? PickedUpAt,
    DateTimeOffset? DeliveredAt,
    DateTimeOffset? FailedAt,
    string? FailureReason,
    DateTimeOffset? CancelledAt)
{
    public static ShipmentView From(Shipment s) => new(s.Id, s.TradeId, s.LegIndex, s.FromTown, s.ToTown, s.CarrierTown,
        s.VehicleId, s.RouteId, s.Status, s.DistanceKm, s.Cost, s.Eta, s.Stops, s.CreatedAt, s.PickedUpAt, s.DeliveredAt,
        s.FailedAt, s.FailureReason, s.CancelledAt);
}

/// <summary>What moving a trade's goods costs. Basis "direct": the sum of its direct trips; once routes are
/// shared, each shipment carries its allocated share and the sum stays the trade's cost.</summary>
public sealed record TradeTransportCost(Guid TradeId, double Cost, double DistanceKm, int Shipments, string Currency);

public sealed record FailureReport(string? Reason);
