using TradeNet.Contracts;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Storage;

namespace TradeNet.Logistics.Api;

/// <summary>A shipment as the API shows it. The goods (<see cref="Category"/>, <see cref="Quantity"/>,
/// <see cref="WeightKg"/>, spelled as on the transfer) are read from its transfer, which stays their one record;
/// they are null only if that transfer is missing, which planning never leaves behind. <see cref="HandoverCode"/>: only
/// for the receiving town and operators (<see cref="HandoverCodes"/>); null for the sender and the carrier.
/// <see cref="HandoverLocked"/>, for the same readers: true once <see cref="HandoverCodes.MaxWrong"/> wrong codes were given,
/// so no carrier's code is taken any more and the receiving town (or an operator) must report the delivery itself.
/// <see cref="DirectTripReason"/>: why a direct trip is one (null on a vehicle's route, and on direct trips planned before
/// the reason was kept).</summary>
public sealed record ShipmentView(
    Guid Id,
    Guid TradeId,
    int LegIndex,
    string FromTown,
    string ToTown,
    string? Category,
    double? Quantity,
    double? WeightKg,
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
    DateTimeOffset? CancelledAt,
    string? HandoverCode = null,
    bool? HandoverLocked = null,
    DirectTripReasonView? DirectTripReason = null)
{
    public static ShipmentView From(Shipment s, TransferOrder? transfer) => new(s.Id, s.TradeId, s.LegIndex, s.FromTown, s.ToTown,
        transfer?.Category, transfer?.Quantity, transfer?.WeightKg, s.CarrierTown, s.VehicleId, s.RouteId, s.Status, s.DistanceKm,
        s.Cost, s.Eta, s.Stops, s.CreatedAt, s.PickedUpAt, s.DeliveredAt, s.FailedAt, s.FailureReason, s.CancelledAt,
        DirectTripReason: DirectTripReasonView.From(s.DirectTrip));
}

public static class ShipmentViews
{
    /// <summary>The shipments with their goods, their transfers read in one store call however many there are.</summary>
    public static async Task<ShipmentView[]> ViewsAsync(this ILogisticsStore store, IReadOnlyList<Shipment> shipments, CancellationToken ct)
    {
        if (shipments.Count == 0) return [];
        var transfers = (await store.TransfersAsync([.. shipments.Select(s => s.TransferId)], ct)).ToDictionary(t => t.Id);
        return [.. shipments.Select(s => ShipmentView.From(s, transfers.GetValueOrDefault(s.TransferId)))];
    }

    public static async Task<ShipmentView> ViewAsync(this ILogisticsStore store, Shipment shipment, CancellationToken ct) =>
        (await store.ViewsAsync([shipment], ct))[0];
}

/// <summary>What moving a trade's goods costs. Basis "direct": the sum of its direct trips; once routes are
/// shared, each shipment carries its allocated share and the sum stays the trade's cost.</summary>
public sealed record TradeTransportCost(Guid TradeId, double Cost, double DistanceKm, int Shipments, string Currency);

public sealed record FailureReport(string? Reason);

/// <summary>A carrier's report of a stop done: the handover codes of the towns it unloaded for there.</summary>
public sealed record StopDoneReport(string?[]? HandoverCodes = null);

/// <summary>A carrier's delivery report: the receiving town's handover code (the receiver and operators send none).</summary>
public sealed record DeliveryReport(string? HandoverCode = null);
