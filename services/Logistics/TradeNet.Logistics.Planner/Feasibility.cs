namespace TradeNet.Logistics.Planner;

/// <summary>
/// Checks each transfer on its own before planning, so that an impossible one is reported
/// with the real reason instead of just being left out by the solver.
/// </summary>
internal static class Feasibility
{
    public static UnservedTransfer? Check(Transfer t, IReadOnlyList<Vehicle> fleet, DistanceModel distances)
    {
        if (t.PickupWindow.IsEmpty || t.DeliveryWindow.IsEmpty)
            return new(t.Id, UnservedReason.WindowInfeasible, "a time window ends before it starts");
        if (!HoldsWholeSecond(t.PickupWindow) || !HoldsWholeSecond(t.DeliveryWindow))
            return new(t.Id, UnservedReason.WindowInfeasible, "a time window holds no whole second, the solver's unit");
        var kinds = t.Chilled ? fleet.Where(v => v.Chilled).ToList() : fleet.ToList();
        if (kinds.Count == 0)
            return new(t.Id, UnservedReason.NoChilledVehicle, "chilled goods and no chilled vehicle in the fleet");
        var able = kinds.Where(v => v.CapacityKg >= t.WeightKg && (t.VolumeM3 is not { } vol || v.VolumeM3 is not { } cap || cap >= vol)).ToList();
        if (able.Count == 0)
            return new(t.Id, UnservedReason.NoVehicleWithCapacity,
                $"{t.WeightKg:0.#} kg{(t.VolumeM3 is { } v3 ? $" / {v3:0.##} m³" : "")} exceeds every {(t.Chilled ? "chilled " : "")}vehicle's capacity");
        long service = (long)Math.Ceiling(t.ServiceTime.TotalSeconds);
        var earliestDelivery = t.PickupWindow.From.AddSeconds(service + distances.Seconds(t.Pickup, t.Delivery));
        if (earliestDelivery > t.DeliveryWindow.To)
            return new(t.Id, UnservedReason.WindowInfeasible,
                $"picked up at {t.PickupWindow.From:u} at the earliest, it cannot reach {t.Delivery.TownId} before the delivery window closes at {t.DeliveryWindow.To:u}");
        if (!able.Any(v => AloneFits(t, v, distances, service)))
            return new(t.Id, UnservedReason.NotReachableInTime, "no suitable vehicle can drive from home, serve it within its windows and return within its availability");
        return null;
    }

    /// <summary>The solver rounds a window inward to whole seconds (of a whole-second epoch); one shorter than that would be empty.</summary>
    public static bool HoldsWholeSecond(TimeWindow w)
    {
        const long second = TimeSpan.TicksPerSecond;
        return (w.From.UtcTicks + second - 1) / second <= w.To.UtcTicks / second;
    }

    private static bool AloneFits(Transfer t, Vehicle v, DistanceModel d, long service)
    {
        var time = v.Availability.From.AddSeconds(d.Seconds(v.Home, t.Pickup));
        if (time < t.PickupWindow.From) time = t.PickupWindow.From;
        if (time > t.PickupWindow.To) return false;
        time = time.AddSeconds(service + d.Seconds(t.Pickup, t.Delivery));
        if (time < t.DeliveryWindow.From) time = t.DeliveryWindow.From;
        if (time > t.DeliveryWindow.To) return false;
        time = time.AddSeconds(service + d.Seconds(t.Delivery, v.Home));
        return time <= v.Availability.To;
    }
}
