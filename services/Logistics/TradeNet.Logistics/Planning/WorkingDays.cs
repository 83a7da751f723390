using TradeNet.Logistics.Domain;

namespace TradeNet.Logistics.Planning;

/// <summary>
/// A vehicle with working hours is offered to a run inside one working day: a run gives it at most one route, which the
/// planner keeps within the vehicle's availability, so bounding that availability by the day keeps the route inside the
/// working hours without breaks in the planner. The day is the first one worked that has at least
/// <see cref="WorkingHours.MinUseful"/> left after the vehicle is free (after now, its return, its rest, its own start).
/// </summary>
public static class WorkingDays
{
    /// <summary>The vehicle as offered (its availability already narrowed by its routes and duty), narrowed to its working
    /// day; itself when it has no working hours; null when no working day is left in its availability (or its zone is not
    /// known here). The window's start is the day's start, not now: the run reads the fleet twice (to plan, then in its
    /// write) and the two must agree; the planner starts no route before now anyway.</summary>
    public static Vehicle? Within(Vehicle offered, DateTimeOffset now)
    {
        if (offered.WorkingHours is not { } hours) return offered;
        var earliest = offered.AvailableFrom is { } own && own > now ? own : now;
        if (hours.DayFrom(earliest) is not { } day) return null;
        var (start, end) = day;
        var from = offered.AvailableFrom is { } f && f > start ? f : start;
        var until = offered.AvailableUntil is { } u && u < end ? u : end;
        return until > from && until > now ? offered with { AvailableFrom = from, AvailableUntil = until } : null;
    }
}
