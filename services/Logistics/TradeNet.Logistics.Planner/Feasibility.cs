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
            // An empty fleet has no vehicle to carry anything: goods that need no cooling were reported as chilled ones.
            return t.Chilled
                ? new(t.Id, UnservedReason.NoChilledVehicle, "chilled goods and no chilled vehicle in the fleet")
                : new(t.Id, UnservedReason.NoVehicleWithCapacity, "no vehicle in the fleet");
        // In the solver's thousandths: compared as doubles, a leg filling a van but for float noise was refused here.
        var able = kinds.Where(v => Thousandths.Capacity(v.CapacityKg) >= Thousandths.Load(t.WeightKg)
            && (t.VolumeM3 is not { } vol || v.VolumeM3 is not { } cap || Thousandths.Capacity(cap) >= Thousandths.Load(vol))).ToList();
        if (able.Count == 0)
            return new(t.Id, UnservedReason.NoVehicleWithCapacity,
                $"{t.WeightKg:0.#} kg{(t.VolumeM3 is { } v3 ? $" / {v3:0.##} m³" : "")} exceeds every {(t.Chilled ? "chilled " : "")}vehicle's capacity");
        long service = (long)Math.Ceiling(t.ServiceTime.TotalSeconds);
        var earliestDelivery = t.PickupWindow.From.AddSeconds(service + distances.Seconds(t.Pickup, t.Delivery));
        if (earliestDelivery > t.DeliveryWindow.To)
            return new(t.Id, UnservedReason.WindowInfeasible,
                $"picked up at {t.PickupWindow.From:u} at the earliest, it cannot reach {t.Delivery.TownId} before the delivery window closes at {t.DeliveryWindow.To:u}");
        if (t.MaxRideTime is { } ride)
        {
            var drive = TimeSpan.FromSeconds(distances.Seconds(t.Pickup, t.Delivery));
            if (drive > ride)
                return new(t.Id, UnservedReason.RideTimeInfeasible,
                    $"the drive from {t.Pickup.TownId} to {t.Delivery.TownId} takes {drive:g}, longer than its maximum time on board {ride:g}");
            // Subtracted as spans: a window may end at the end of the calendar, past which no time can be added.
            var forced = t.DeliveryWindow.From - t.PickupWindow.To - TimeSpan.FromSeconds(service);
            if (forced > ride)
                return new(t.Id, UnservedReason.RideTimeInfeasible,
                    $"its delivery window opens {forced:g} after its latest loading ends, longer than its maximum time on board {ride:g}");
        }
        if (!able.Any(v => AloneFits(t, v, distances, service, shift: false)))
            return new(t.Id, UnservedReason.NotReachableInTime, "no suitable vehicle can drive from home, serve it within its windows and return within its availability");
        if (!able.Any(v => AloneFits(t, v, distances, service, shift: true)))
            return new(t.Id, UnservedReason.RouteTooLong,
                "every suitable vehicle would be out longer than its maximum route duration to serve it alone (home, pickup, delivery, home)");
        return null;
    }

    /// <summary>The solver rounds a window inward to whole seconds (of a whole-second epoch); one shorter than that would be empty.</summary>
    public static bool HoldsWholeSecond(TimeWindow w)
    {
        const long second = TimeSpan.TicksPerSecond;
        return (w.From.UtcTicks + second - 1) / second <= w.To.UtcTicks / second;
    }

    /// <summary>
    /// Whether the vehicle can serve the transfer alone: leave home, load, unload and be back within its availability,
    /// the windows, the ride limit and, with <paramref name="shift"/>, its maximum route duration. The earliest times
    /// are raised until every rule holds (a later loading when the ride limit needs it, a later departure when the shift
    /// does); two limits, so a third round that still moves something means they cannot all hold.
    /// </summary>
    private static bool AloneFits(Transfer t, Vehicle v, DistanceModel d, long service, bool shift)
    {
        const long none = long.MaxValue / 4, second = TimeSpan.TicksPerSecond;
        long serve = service * second, toPickup = d.Seconds(v.Home, t.Pickup) * second;
        long drive = d.Seconds(t.Pickup, t.Delivery) * second, home = d.Seconds(t.Delivery, v.Home) * second;
        // In whole seconds, as the solver counts them (PlanningModel: openings rounded up, closings and limits down, from a
        // whole-second epoch): counted in ticks, a transfer only a fraction of a second made possible passed here, the
        // solver could not serve it, and it was reported as crowded out by the others (FeasibilityRoundingTests).
        static long Up(DateTimeOffset at) => (at.UtcTicks + second - 1) / second * second;
        static long Down(long ticks) => ticks / second * second;
        long ride = t.MaxRideTime is { } r ? Down(r.Ticks) : none, duration = shift && v.MaxRouteDuration is { } m ? Down(m.Ticks) : none;
        long leave = Up(v.Availability.From), load = long.MinValue, unload = long.MinValue;
        for (int round = 0; round < 3; round++)
        {
            load = Math.Max(load, Math.Max(leave + toPickup, Up(t.PickupWindow.From)));
            if (load > Down(t.PickupWindow.To.UtcTicks)) return false;
            unload = Math.Max(unload, Math.Max(load + serve + drive, Up(t.DeliveryWindow.From)));
            if (unload > Down(t.DeliveryWindow.To.UtcTicks)) return false;
            long back = unload + serve + home;
            if (back > Down(v.Availability.To.UtcTicks)) return false;
            bool raised = false;
            if (unload - ride > load + serve) { load = unload - ride - serve; raised = true; }
            if (back - duration > leave) { leave = back - duration; raised = true; }
            if (!raised) return true;
        }
        return false;
    }
}
