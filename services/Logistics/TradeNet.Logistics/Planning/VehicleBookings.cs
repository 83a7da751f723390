using TradeNet.Logistics.Domain;

namespace TradeNet.Logistics.Planning;

/// <summary>A vehicle already sent on a route is not free again until that route brings it home: each run plans on
/// what the earlier runs left, or two runs would give one van two routes at the same hours.</summary>
public static class VehicleBookings
{
    /// <summary>The fleet as a new run may use it: a vehicle with active shipments (planned or picked up) is available
    /// from the return to its home of the latest such route (every shipment carries its route's stops, the last one the
    /// return), and left out when that is past its availability — or already past while its shipments are still
    /// active: it is late, and when it will be back is unknown until its carrier reports.</summary>
    public static IReadOnlyList<Vehicle> FreeFrom(IReadOnlyList<Vehicle> fleet, IEnumerable<Shipment> active, DateTimeOffset now)
    {
        var busyUntil = active.Where(s => s.Stops.Count > 0)
            .GroupBy(s => s.VehicleId)
            .ToDictionary(g => g.Key, g => g.Max(s => s.Stops[^1].Eta));
        var free = new List<Vehicle>(fleet.Count);
        foreach (var vehicle in fleet)
        {
            if (!busyUntil.TryGetValue(vehicle.Id, out var back)) free.Add(vehicle);
            else if (back <= now) continue; // late on its route
            else if (vehicle.AvailableFrom >= back) free.Add(vehicle);
            else if (vehicle.AvailableUntil is not { } until || until > back) free.Add(vehicle with { AvailableFrom = back });
        }
        return free;
    }
}
