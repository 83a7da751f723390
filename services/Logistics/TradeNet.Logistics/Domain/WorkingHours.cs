using System.Globalization;

namespace TradeNet.Logistics.Domain;

/// <summary>The days a vehicle's driver works, as flags so that <see cref="WorkingHours"/> compares by value (a planning
/// run compares the vehicle it planned for with the one offered at its write).</summary>
[Flags]
public enum WorkDays
{
    None = 0,
    Mon = 1, Tue = 2, Wed = 4, Thu = 8, Fri = 16, Sat = 32, Sun = 64,
    Every = Mon | Tue | Wed | Thu | Fri | Sat | Sun,
}

/// <summary>
/// A vehicle's daily working hours: from <see cref="Start"/> to <see cref="End"/> local time in <see cref="TimeZone"/> (an
/// IANA id), on <see cref="Days"/>. Each run gives a vehicle one route, so a run offers it inside one working day only
/// (<see cref="DayFrom"/>): no break inside a route is needed. No overnight shifts: <see cref="End"/> is after
/// <see cref="Start"/> on the same day.
/// </summary>
public sealed record WorkingHours(TimeOnly Start, TimeOnly End, string TimeZone, WorkDays Days)
{
    /// <summary>The least of a day worth offering (as a duty's remainder is: <see cref="Vehicle.MinRouteHours"/>); with less
    /// left today, the run offers the next working day.</summary>
    public static readonly TimeSpan MinUseful = TimeSpan.FromHours(Vehicle.MinRouteHours);

    public const string TimeFormat = "HH:mm";

    /// <summary>Day names as the API and the stores spell them, Monday first.</summary>
    public static readonly IReadOnlyList<(string Name, WorkDays Day)> DayNames =
    [
        ("mon", WorkDays.Mon), ("tue", WorkDays.Tue), ("wed", WorkDays.Wed), ("thu", WorkDays.Thu), ("fri", WorkDays.Fri),
        ("sat", WorkDays.Sat), ("sun", WorkDays.Sun),
    ];

    public static WorkDays? DayNamed(string? name)
    {
        foreach (var (day, flag) in DayNames)
            if (string.Equals(day, name?.Trim(), StringComparison.OrdinalIgnoreCase)) return flag;
        return null;
    }

    /// <summary>The days named (each known: validated before); none named is every day.</summary>
    public static WorkDays DaysOf(IEnumerable<string?>? names) =>
        names?.Aggregate(WorkDays.None, (all, name) => all | (DayNamed(name) ?? WorkDays.None)) is { } days and not WorkDays.None ? days : WorkDays.Every;

    public IReadOnlyList<string> DayList => [.. DayNames.Where(d => Days.HasFlag(d.Day)).Select(d => d.Name)];

    public static string Format(TimeOnly time) => time.ToString(TimeFormat, CultureInfo.InvariantCulture);

    public static TimeOnly? ParseTime(string? text) =>
        TimeOnly.TryParseExact(text?.Trim(), TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) ? time : null;

    /// <summary>The zone with this IANA id in the system's zone data, or null (unknown, a Windows id, or no zone data).</summary>
    public static TimeZoneInfo? FindZone(string? id) =>
        !string.IsNullOrWhiteSpace(id) && id.Length <= 100 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '_' or '-' or '+')
        && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) && zone.HasIanaId ? zone : null;

    /// <summary>
    /// The working day a run at <paramref name="earliest"/> (or a vehicle free from then) is offered in: the first worked
    /// day whose end leaves at least <see cref="MinUseful"/> after both its start and <paramref name="earliest"/>, as
    /// (its start, its end) in absolute time. Null when the zone is not known here, or no such day comes within two
    /// weeks (a day every worked day falls in a clock change's gap; validation keeps that from being the usual case).
    /// </summary>
    public (DateTimeOffset Start, DateTimeOffset End)? DayFrom(DateTimeOffset earliest)
    {
        if (FindZone(TimeZone) is not { } zone) return null;
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(earliest, zone).DateTime);
        for (var i = 0; i < 15; i++)
        {
            var date = today.AddDays(i);
            if (!Days.HasFlag(DayOf(date.DayOfWeek))) continue;
            var (start, end) = (At(date, Start, zone), At(date, End, zone));
            if (end - (start > earliest ? start : earliest) >= MinUseful) return (start, end);
        }
        return null;
    }

    /// <summary>
    /// The instant a local time on a date names: the first moment the zone's clock shows it or passes it. So a time the
    /// clock skips (02:30 when it jumps from 02:00 to 03:00 in spring) is the moment of the jump, and a time it shows
    /// twice (02:30 in autumn, when it goes back from 03:00 to 02:00) is its first showing, still on summer time. Never
    /// throws, unlike converting such a time directly.
    /// </summary>
    public static DateTimeOffset At(DateOnly date, TimeOnly time, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        if (zone.IsAmbiguousTime(local))
            return new DateTimeOffset(local, zone.GetAmbiguousTimeOffsets(local).Max()); // the larger offset is the earlier instant
        if (!zone.IsInvalidTime(local)) return new DateTimeOffset(local, zone.GetUtcOffset(local));
        // Skipped: back to the last minute the clock shows before the jump; the jump is a minute after it (transitions
        // fall on whole minutes, and the gap is at most a day, as when Samoa skipped one).
        var before = local;
        for (var i = 0; i < 48 * 60 && zone.IsInvalidTime(before); i++) before = before.AddMinutes(-1);
        return new DateTimeOffset(before, zone.GetUtcOffset(before)).AddMinutes(1);
    }

    public static WorkDays DayOf(DayOfWeek day) => day switch
    {
        DayOfWeek.Monday => WorkDays.Mon,
        DayOfWeek.Tuesday => WorkDays.Tue,
        DayOfWeek.Wednesday => WorkDays.Wed,
        DayOfWeek.Thursday => WorkDays.Thu,
        DayOfWeek.Friday => WorkDays.Fri,
        DayOfWeek.Saturday => WorkDays.Sat,
        _ => WorkDays.Sun,
    };

    /// <summary>"07:00–18:00 Europe/Paris, mon–fri" for messages.</summary>
    public override string ToString() =>
        $"{Format(Start)}–{Format(End)} {TimeZone}" + (Days == WorkDays.Every ? ", every day" : $", {string.Join(" ", DayList)}");
}
