namespace TradeNet.Integration.Tests.Scenarios;

/// <summary>An instant the whole system lives through on a host whose clock starts just before it (libfaketime). The van
/// of the scenario works 01:00–05:00 local in <paramref name="VehicleZone"/> every day; <paramref name="DayStart"/> and
/// <paramref name="DayEnd"/> are that working day in UTC, and <paramref name="SheetOffsetBefore"/> and
/// <paramref name="SheetOffsetAfter"/> the route sheets' zone (Europe/Paris) before and after the instant: all read off
/// the calendar by hand (the zones' rules), not from the code under test.</summary>
public sealed record AwkwardInstant(
    string Name, DateTimeOffset At, string VehicleZone, DateTimeOffset DayStart, DateTimeOffset DayEnd,
    TimeSpan SheetOffsetBefore, TimeSpan SheetOffsetAfter)
{
    private static DateTimeOffset Utc(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);
    private static readonly TimeSpan Winter = TimeSpan.FromHours(1), Summer = TimeSpan.FromHours(2);

    /// <summary>Paris springs forward: 02:00 CET is 03:00 CEST at 01:00 UTC. The van's day: 01:00 CET (00:00 UTC) to
    /// 05:00 CEST (03:00 UTC), four hours of clock for three of time.</summary>
    public static readonly AwkwardInstant ParisSpringForward = new("Europe/Paris springs forward", Utc("2027-03-28T01:00:00Z"),
        "Europe/Paris", Utc("2027-03-28T00:00:00Z"), Utc("2027-03-28T03:00:00Z"), Winter, Summer);

    /// <summary>Paris falls back: 03:00 CEST is 02:00 CET at 01:00 UTC, the hour 02:00–03:00 shown twice. The van's day:
    /// 01:00 CEST (23:00 UTC the day before) to 05:00 CET (04:00 UTC), five hours of time.</summary>
    public static readonly AwkwardInstant ParisFallBack = new("Europe/Paris falls back", Utc("2027-10-31T01:00:00Z"),
        "Europe/Paris", Utc("2027-10-30T23:00:00Z"), Utc("2027-10-31T04:00:00Z"), Summer, Winter);

    /// <summary>New Year in UTC (01:00 in Paris): the van's day starts there, 00:00–04:00 UTC on 1 January 2028.</summary>
    public static readonly AwkwardInstant NewYearUtc = new("New Year 2028 UTC", Utc("2028-01-01T00:00:00Z"),
        "Europe/Paris", Utc("2028-01-01T00:00:00Z"), Utc("2028-01-01T04:00:00Z"), Winter, Winter);

    /// <summary>Into the leap day: 29 February 2028 begins in UTC, the van's day 00:00–04:00 UTC on it.</summary>
    public static readonly AwkwardInstant LeapDay = new("29 February 2028 UTC", Utc("2028-02-29T00:00:00Z"),
        "Europe/Paris", Utc("2028-02-29T00:00:00Z"), Utc("2028-02-29T04:00:00Z"), Winter, Winter);

    /// <summary>New York springs forward: 02:00 EST is 03:00 EDT at 07:00 UTC (a fortnight before Paris, still on winter
    /// time). The van's day: 01:00 EST (06:00 UTC) to 05:00 EDT (09:00 UTC).</summary>
    public static readonly AwkwardInstant NewYorkSpringForward = new("America/New_York springs forward", Utc("2027-03-14T07:00:00Z"),
        "America/New_York", Utc("2027-03-14T06:00:00Z"), Utc("2027-03-14T09:00:00Z"), Winter, Winter);

    public static readonly IReadOnlyList<AwkwardInstant> All = [ParisSpringForward, ParisFallBack, NewYearUtc, LeapDay, NewYorkSpringForward];

    /// <summary>The van's clock at the end of its day (05:00 local): its offset then.</summary>
    public TimeSpan DayEndOffset => TimeSpan.FromHours(5) - DayEnd.UtcDateTime.TimeOfDay;

    /// <summary>The route sheets' offset at a moment: the Paris clock's before or after the instant.</summary>
    public TimeSpan SheetOffsetAt(DateTimeOffset moment) => moment < At ? SheetOffsetBefore : SheetOffsetAfter;

    public override string ToString() => $"{Name} ({At:u})";
}
