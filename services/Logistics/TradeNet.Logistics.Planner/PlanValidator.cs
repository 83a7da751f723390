namespace TradeNet.Logistics.Planner;

/// <summary>
/// Checks a plan against its request without trusting the solver: every transfer served once
/// or reported, pickup before delivery on one vehicle, the right towns, capacity (kg, m³),
/// chilled goods on chilled vehicles, depots, windows, availability, travel times, route durations
/// and times on board.
/// </summary>
public static class PlanValidator
{
    /// <summary>Slack for the whole-second rounding of times.</summary>
    private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(1);

    public static IReadOnlyList<string> Validate(PlanRequest request, RoutePlan plan)
    {
        var errors = new List<string>();
        var distances = new DistanceModel(request.Distances);
        var transfers = request.Transfers.ToDictionary(t => t.Id);
        var vehicles = request.Vehicles.ToDictionary(v => v.Id);
        var picked = new Dictionary<string, (string Vehicle, int Stop)>();
        var dropped = new Dictionary<string, (string Vehicle, int Stop)>();
        var usedVehicles = new HashSet<string>();
        // When each transfer's loading ends and its unloading starts, as the stops time them (RouteStop).
        var loaded = new Dictionary<string, DateTimeOffset>();
        var unloading = new Dictionary<string, DateTimeOffset>();

        foreach (var route in plan.Routes)
        {
            if (!vehicles.TryGetValue(route.VehicleId, out var v)) { errors.Add($"route for unknown vehicle {route.VehicleId}"); continue; }
            if (!usedVehicles.Add(v.Id)) errors.Add($"vehicle {v.Id} has two routes");
            var stops = route.Stops;
            if (stops.Count < 2 || stops[0].TownId != v.Home.TownId || stops[^1].TownId != v.Home.TownId)
            {
                errors.Add($"vehicle {v.Id} does not start and end at its home town {v.Home.TownId}");
                continue;
            }
            // The tolerance is taken from the measured times: a limit of DateTimeOffset.MinValue or MaxValue (or
            // TimeSpan.MaxValue) has no room beyond it.
            if (stops[0].Departure + Tolerance < v.Availability.From) errors.Add($"vehicle {v.Id} leaves before it is available");
            if (stops[^1].Arrival - Tolerance > v.Availability.To) errors.Add($"vehicle {v.Id} returns after its availability ends");
            if (v.MaxRouteDuration is { } shift && stops[^1].Arrival - stops[0].Departure - Tolerance > shift)
                errors.Add($"vehicle {v.Id} is out {stops[^1].Arrival - stops[0].Departure:g} from leaving home to returning, over its maximum route duration {shift:g}");
            double kg = 0, m3 = 0;
            // The load is also counted as the solver counts it (Thousandths): each leg may be up to the noise (1e-6) over its
            // thousandths, so n legs filling a van are up to n millionths over it, not one.
            long grams = 0, litres = 0;
            var onBoard = new HashSet<string>();
            var where = new Place[stops.Count];
            where[0] = where[^1] = v.Home;
            for (int i = 1; i < stops.Count - 1; i++)
            {
                var s = stops[i];
                double serviceSeconds = 0;
                foreach (var id in s.Dropped)
                {
                    if (!transfers.TryGetValue(id, out var t)) { errors.Add($"vehicle {v.Id} drops unknown transfer {id}"); continue; }
                    if (!dropped.TryAdd(id, (v.Id, i))) errors.Add($"transfer {id} is delivered twice");
                    if (!onBoard.Remove(id)) errors.Add($"transfer {id} is delivered by {v.Id} before it is picked up by it");
                    if (t.Delivery.TownId != s.TownId) errors.Add($"transfer {id} is delivered to {s.TownId}, not {t.Delivery.TownId}");
                    kg -= t.WeightKg; m3 -= t.VolumeM3 ?? 0;
                    grams -= Thousandths.Load(t.WeightKg); litres -= Thousandths.Load(t.VolumeM3 ?? 0);
                    where[i] = t.Delivery;
                    serviceSeconds += t.ServiceTime.TotalSeconds;
                }
                foreach (var id in s.PickedUp)
                {
                    if (!transfers.TryGetValue(id, out var t)) { errors.Add($"vehicle {v.Id} picks up unknown transfer {id}"); continue; }
                    if (!picked.TryAdd(id, (v.Id, i))) errors.Add($"transfer {id} is picked up twice");
                    onBoard.Add(id);
                    if (t.Pickup.TownId != s.TownId) errors.Add($"transfer {id} is picked up in {s.TownId}, not {t.Pickup.TownId}");
                    if (t.Chilled && !v.Chilled) errors.Add($"chilled transfer {id} is on vehicle {v.Id}, which is not chilled");
                    kg += t.WeightKg; m3 += t.VolumeM3 ?? 0;
                    grams += Thousandths.Load(t.WeightKg); litres += Thousandths.Load(t.VolumeM3 ?? 0);
                    where[i] = t.Pickup;
                    serviceSeconds += t.ServiceTime.TotalSeconds;
                }
                TimeServices(errors, s, transfers, loaded, unloading);
                if (where[i] is null) { errors.Add($"vehicle {v.Id} stop {i} in {s.TownId} does nothing"); where[i] = where[i - 1]; }
                if (grams > Thousandths.Capacity(v.CapacityKg)) errors.Add($"vehicle {v.Id} carries {kg:0.###} kg after stop {i}, over its {v.CapacityKg} kg");
                if (v.VolumeM3 is { } cap && litres > Thousandths.Capacity(cap)) errors.Add($"vehicle {v.Id} carries {m3:0.###} m³ after stop {i}, over its {cap} m³");
                if (s.Departure - s.Arrival < TimeSpan.FromSeconds(serviceSeconds) - Tolerance) errors.Add($"vehicle {v.Id} stop {i} is shorter than its services");
            }
            if (onBoard.Count > 0) errors.Add($"vehicle {v.Id} returns home with {string.Join(", ", onBoard)} still on board");
            for (int i = 1; i < stops.Count; i++)
            {
                var travel = TimeSpan.FromSeconds(distances.Seconds(where[i - 1], where[i]));
                if (stops[i].Arrival < stops[i - 1].Departure + travel - Tolerance)
                    errors.Add($"vehicle {v.Id} reaches stop {i} ({stops[i].TownId}) sooner than the drive from {stops[i - 1].TownId} allows");
            }
        }

        var reported = new HashSet<string>();
        foreach (var u in plan.Unserved)
        {
            if (!transfers.ContainsKey(u.TransferId)) errors.Add($"unserved list names unknown transfer {u.TransferId}");
            if (!reported.Add(u.TransferId)) errors.Add($"transfer {u.TransferId} is reported unserved twice");
        }
        foreach (var t in request.Transfers)
        {
            bool p = picked.TryGetValue(t.Id, out var pick), d = dropped.TryGetValue(t.Id, out var drop);
            bool u = reported.Contains(t.Id);
            if (u && (p || d)) errors.Add($"transfer {t.Id} is both routed and reported unserved");
            else if (!u && !(p && d)) errors.Add($"transfer {t.Id} is neither served nor reported");
            else if (p && d && (pick.Vehicle != drop.Vehicle || pick.Stop > drop.Stop)) errors.Add($"transfer {t.Id} is not picked up before delivery on one vehicle");
            else if (p && d && t.MaxRideTime is { } ride && unloading[t.Id] - loaded[t.Id] - Tolerance > ride)
                errors.Add($"transfer {t.Id} is on board {unloading[t.Id] - loaded[t.Id]:g} from the end of its loading to the start of its unloading, over its maximum time on board {ride:g}");
        }
        return errors;
    }

    /// <summary>Services at a stop run in the order listed, unloads first, each from the end of the one before (the first
    /// from the arrival) or its window's opening, whichever is later; the planner's whole seconds of service. Each must
    /// start inside its window and be done by the departure: checked on its own from the arrival, a load whose window
    /// closed while the one before it was still being loaded passed.</summary>
    private static void TimeServices(List<string> errors, RouteStop s, Dictionary<string, Transfer> transfers,
        Dictionary<string, DateTimeOffset> loaded, Dictionary<string, DateTimeOffset> unloading)
    {
        var free = s.Arrival;
        foreach (var (id, pickup) in s.Dropped.Select(id => (id, false)).Concat(s.PickedUp.Select(id => (id, true))))
        {
            if (!transfers.TryGetValue(id, out var t)) continue;
            var window = pickup ? t.PickupWindow : t.DeliveryWindow;
            var start = free > window.From ? free : window.From;
            free = start + TimeSpan.FromSeconds(Math.Ceiling(t.ServiceTime.TotalSeconds));
            // The tolerance on the stop's side: a window may end at DateTimeOffset.MaxValue.
            if (start - Tolerance > window.To || free - Tolerance > s.Departure)
                errors.Add($"transfer {id}: {(pickup ? "pickup" : "delivery")} at {s.TownId} between {s.Arrival:u} and {s.Departure:u}, " +
                    $"starting {start:u} after the services listed before it, misses its window {window.From:u}–{window.To:u}");
            if (pickup) loaded[id] = free;
            else unloading[id] = start;
        }
    }
}
