using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Planning;

namespace TradeNet.Logistics.Api;

/// <summary>Goods loaded or unloaded at a stop: one shipment.</summary>
public sealed record RouteGoods(Guid ShipmentId, Guid TradeId, int LegIndex, string FromTown, string ToTown, string Category,
    double Quantity, double WeightKg, ShipmentStatus Status);

public sealed record RouteStopView(int Sequence, string TownId, DateTimeOffset Eta, RouteGoods[] Pickups, RouteGoods[] Deliveries);

/// <summary>One vehicle's route: its stops in order and what happens at each. <see cref="Cost"/> is the sum of the
/// shipments' shares, which is the route's cost. <see cref="Cancelled"/>: every shipment on it was cancelled (its trades
/// stopped, or an operator re-planned it), so it has no stops and is not to be driven.</summary>
public sealed record RouteView(Guid Id, string VehicleId, string CarrierTown, double Cost, int Shipments, RouteStopView[] Stops,
    bool Cancelled = false)
{
    /// <summary>Rebuilds the route from its shipments: each carries the whole stop sequence, labelled for itself.</summary>
    public static RouteView From(Guid id, IReadOnlyList<Shipment> shipments, IReadOnlyDictionary<Guid, TransferOrder> transfers)
    {
        var live = shipments.Where(s => s.Status != ShipmentStatus.Cancelled).OrderBy(s => s.TradeId).ThenBy(s => s.LegIndex).ToList();
        RouteGoods Goods(Shipment s)
        {
            var t = transfers.GetValueOrDefault(s.TransferId);
            return new RouteGoods(s.Id, s.TradeId, s.LegIndex, s.FromTown, s.ToTown, t?.Category ?? "", t?.Quantity ?? 0, t?.WeightKg ?? 0, s.Status);
        }
        var stops = live.SelectMany(s => s.Stops).GroupBy(x => x.Sequence).OrderBy(g => g.Key).Select(g =>
        {
            var first = g.First();
            RouteGoods[] With(string action) =>
                [.. live.Where(s => s.Stops.Any(x => x.Sequence == g.Key && x.Action == action)).Select(Goods)];
            return new RouteStopView(g.Key, first.TownId, first.Eta, With(DirectTripPlanner.PickupAction), With(DirectTripPlanner.DeliveryAction));
        }).ToArray();
        // Every shipment of a route rides the same vehicle: a route whose shipments were all cancelled still names it.
        var any = live.FirstOrDefault() ?? shipments.FirstOrDefault();
        return new RouteView(id, any?.VehicleId ?? "", any?.CarrierTown ?? "", live.Sum(s => s.Cost), live.Count, stops,
            Cancelled: shipments.Count > 0 && live.Count == 0);
    }
}

/// <remarks><see cref="DirectTrips"/>: how many of the planned legs went as direct trips, and
/// <see cref="DirectTripReasons"/> how many for each reason code (as a shipment's <c>directTripReason.code</c>), so an
/// operator sees at once why the fleet did not carry them.</remarks>
public sealed record PlanningRunView(int Pending, int Planned, int Skipped, Guid[] Routes, double Cost, double DurationMs,
    int DirectTrips, IReadOnlyDictionary<string, int> DirectTripReasons)
{
    public static PlanningRunView From(PlanningRun run)
    {
        var reasons = run.Shipments.Where(s => s.DirectTrip is not null).GroupBy(s => s.DirectTrip!.Code)
            .OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());
        return new(run.Pending, run.Shipments.Count, run.Skipped, [.. run.Routes], run.Cost, run.Duration.TotalMilliseconds,
            reasons.Values.Sum(), reasons);
    }
}

/// <summary>What a per-stop report did to each shipment served at the stop.</summary>
public sealed record StopReportItem(Guid ShipmentId, string Action, string Outcome, string? Why, ShipmentStatus? Status);
