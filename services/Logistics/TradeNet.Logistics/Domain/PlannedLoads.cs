namespace TradeNet.Logistics.Domain;

/// <summary>What a vehicle's routes already planned carry: the goods must still fit it after a change of its terms.
/// Times and home may change (routes already planned keep their plan, the next run plans with the new terms); a van
/// cannot shrink under goods it is to carry, nor stop chilling goods that need it.</summary>
public static class PlannedLoads
{
    /// <summary>The most weight on board at once over the routes of <paramref name="shipments"/> (planned or picked up):
    /// each from its pickup stop until its delivery stop, in the route's stop order.</summary>
    public static double PeakKg(IReadOnlyList<Shipment> shipments, IReadOnlyDictionary<Guid, TransferOrder> transfers) =>
        shipments.GroupBy(s => s.RouteId).Select(route =>
        {
            var changes = route.SelectMany(s =>
            {
                var kg = transfers.GetValueOrDefault(s.TransferId)?.WeightKg ?? 0;
                var on = s.Status == ShipmentStatus.PickedUp ? int.MinValue : s.Stops.Where(x => x.Action == Planning.DirectTripPlanner.PickupAction).Select(x => x.Sequence).DefaultIfEmpty(int.MinValue).Min();
                var off = s.Stops.Where(x => x.Action == Planning.DirectTripPlanner.DeliveryAction).Select(x => x.Sequence).DefaultIfEmpty(int.MaxValue).Max();
                return new[] { (At: on, Kg: kg), (At: off, Kg: -kg) };
            }).OrderBy(c => c.At).ThenBy(c => c.Kg); // at one stop, unloads before loads
            double load = 0, peak = 0;
            foreach (var change in changes) peak = Math.Max(peak, load += change.Kg);
            return peak;
        }).DefaultIfEmpty(0).Max();

    /// <summary>Why <paramref name="changed"/> no longer fits the goods planned on <paramref name="current"/>, or null.</summary>
    public static string? Misfit(Vehicle current, Vehicle changed, IReadOnlyList<Shipment> shipments,
        IReadOnlyDictionary<Guid, TransferOrder> transfers, Func<string, bool> isChilled)
    {
        if (shipments.Count == 0) return null;
        if (changed.CapacityKg < current.CapacityKg && PeakKg(shipments, transfers) is var peak && changed.CapacityKg < peak - 1e-9)
            return $"capacityKg: its planned routes carry up to {peak:0.###} kg at once";
        if (current.Chilled && !changed.Chilled && shipments.Any(s => transfers.GetValueOrDefault(s.TransferId) is { } t && isChilled(t.Category)))
            return "chilled: its planned routes carry goods that must stay chilled";
        return null;
    }
}
