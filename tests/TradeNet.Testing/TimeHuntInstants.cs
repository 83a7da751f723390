namespace TradeNet.Testing;

/// <summary>
/// The instants a time hunt puts under the system, drawn from a seed: each zone's clock changes (found in the zone data,
/// not written down, so a tzdata update moves them with it) and the minutes around them, local midnights, month and year
/// ends, 29 February. The zones: Paris (the network's), New York (another DST date), Adelaide (half an hour off UTC,
/// summer in January), Kolkata (half an hour, no DST), Lord Howe (a half-hour change), Santiago (its clock skips midnight).
/// </summary>
public sealed class TimeHuntInstants(int seed)
{
    public static readonly string[] Zones =
        ["Europe/Paris", "America/New_York", "Australia/Adelaide", "Asia/Kolkata", "Australia/Lord_Howe", "America/Santiago"];

    public Random Random { get; } = new(seed);

    public int Seed => seed;

    /// <summary>Seeds written "3", "1-40" or "1-5,9" (<see cref="SeedList"/>).</summary>
    public static IEnumerable<int> Seeds(string text) => SeedList.Parse(text);

    public static TimeZoneInfo Zone(string id) => TimeZoneInfo.FindSystemTimeZoneById(id);

    /// <summary>The UTC instants at which the zone's offset changes within the years given (to the minute).</summary>
    public static IReadOnlyList<DateTimeOffset> Changes(TimeZoneInfo zone, int fromYear, int toYear)
    {
        var found = new List<DateTimeOffset>();
        var at = new DateTimeOffset(fromYear, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var end = new DateTimeOffset(toYear + 1, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var offset = zone.GetUtcOffset(at);
        for (; at < end; at = at.AddHours(1))
        {
            var next = zone.GetUtcOffset(at.AddHours(1));
            if (next == offset) continue;
            var minute = at;
            while (zone.GetUtcOffset(minute) == offset) minute = minute.AddMinutes(1);
            found.Add(minute);
            offset = next;
        }
        return found;
    }

    /// <summary>One interesting instant in the zone between 2027 and 2029 (2028 has a 29 February), a few minutes either
    /// side of it at most.</summary>
    public DateTimeOffset Instant(TimeZoneInfo zone)
    {
        var jitter = TimeSpan.FromMinutes(Random.Next(-90, 91));
        switch (Random.Next(5))
        {
            case 0 when Changes(zone, 2027, 2029) is { Count: > 0 } changes:
                return changes[Random.Next(changes.Count)] + jitter;
            case 1:
                return Midnight(zone, new DateOnly(2027, 1, 1).AddDays(Random.Next(3 * 365))) + jitter;
            case 2:
                var month = new DateOnly(2027 + Random.Next(3), 1 + Random.Next(12), 1).AddMonths(1).AddDays(-1);
                return Midnight(zone, month.AddDays(1)) + jitter;
            case 3:
                return Midnight(zone, new DateOnly(2028, 2, 29 - Random.Next(2))) + TimeSpan.FromHours(Random.Next(48)) + jitter;
            default:
                return new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero) + TimeSpan.FromMinutes(Random.Next(3 * 365 * 24 * 60));
        }
    }

    /// <summary>A local wall time worth trying: whole hours, the half hours around a change, a minute before midnight.</summary>
    public TimeOnly WallTime() => Random.Next(6) switch
    {
        0 => new TimeOnly(0, 0),
        1 => new TimeOnly(23, 59),
        2 => new TimeOnly(Random.Next(0, 4), Random.Next(2) * 30),
        _ => new TimeOnly(Random.Next(24), Random.Next(4) * 15),
    };

    /// <summary>The first instant the zone's clock shows the date's 00:00 or passes it (an independent oracle, by minutes).</summary>
    public static DateTimeOffset Midnight(TimeZoneInfo zone, DateOnly date) => FirstShowing(zone, date.ToDateTime(TimeOnly.MinValue));

    /// <summary>The first whole UTC minute at which the zone's clock shows <paramref name="local"/> or a later time: what
    /// the docs promise <c>WorkingHours.At</c> gives, found by walking the minutes rather than by the zone's rules.</summary>
    public static DateTimeOffset FirstShowing(TimeZoneInfo zone, DateTime local)
    {
        // No zone is more than 14 h off UTC: start before any instant that could show it, and walk.
        var at = new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), TimeSpan.Zero).AddHours(-15);
        while (TimeZoneInfo.ConvertTime(at, zone).DateTime < local) at = at.AddMinutes(1);
        return at;
    }
}
