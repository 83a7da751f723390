using TradeNet.Testing;
using System.Globalization;
using System.Text.RegularExpressions;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Planning;

namespace TradeNet.Logistics.Tests.TimeHunt;

/// <summary>
/// One seed of the working-day hunt: random working hours in the hunt's zones, asked about at the hunt's instants, and
/// the answers checked against what docs/logistics.md ("Working hours") promises, with the zone's clock read minute by
/// minute as the oracle (<see cref="TimeHuntInstants.FirstShowing"/>) rather than through the code under test.
/// </summary>
public static partial class WorkingDayHunt
{
    public static List<string> Run(int seed, int cases)
    {
        var hunt = new TimeHuntInstants(seed);
        var failures = new List<string>();
        for (var i = 0; i < cases && failures.Count < 5; i++)
        {
            var zoneId = TimeHuntInstants.Zones[hunt.Random.Next(TimeHuntInstants.Zones.Length)];
            var zone = TimeHuntInstants.Zone(zoneId);
            var now = hunt.Instant(zone);
            var hours = Hours(hunt, zoneId);
            var what = $"seed {seed} case {i}: {hours} at {now:O}";
            try
            {
                CheckAt(hunt, zone, now, what, failures);
                CheckDay(hours, zone, now, what, failures);
                CheckOffer(hunt, hours, zone, now, what, failures);
            }
            catch (Exception ex)
            {
                failures.Add($"{what}: threw {ex.GetType().Name}: {ex.Message}");
            }
        }
        return failures;
    }

    /// <summary>Hours at least an hour long on one date (what validation lets through), often near a clock change's hour.</summary>
    private static WorkingHours Hours(TimeHuntInstants hunt, string zone)
    {
        TimeOnly start, end;
        do
        {
            (start, end) = (hunt.WallTime(), hunt.WallTime());
            if (end < start) (start, end) = (end, start);
        } while (end - start < TimeSpan.FromHours(1));
        var days = hunt.Random.Next(3) == 0 ? WorkDays.Every : (WorkDays)hunt.Random.Next(1, 128);
        return new WorkingHours(start, end, zone, days);
    }

    /// <summary>A local time names the first moment the clock shows it or passes it (skipped: the jump; twice: the first).</summary>
    private static void CheckAt(TimeHuntInstants hunt, TimeZoneInfo zone, DateTimeOffset now, string what, List<string> failures)
    {
        var date = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime).AddDays(hunt.Random.Next(-1, 2));
        var time = hunt.WallTime();
        var at = WorkingHours.At(date, time, zone);
        var oracle = TimeHuntInstants.FirstShowing(zone, date.ToDateTime(time));
        if (at != oracle) failures.Add($"{what}: At({date:yyyy-MM-dd} {time:HH:mm}, {zone.Id}) is {at:O}, the clock first shows it at {oracle:O}");
    }

    /// <summary>DayFrom gives the first worked date whose hours leave at least an hour after its start and after now.</summary>
    private static void CheckDay(WorkingHours hours, TimeZoneInfo zone, DateTimeOffset now, string what, List<string> failures)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        (DateTimeOffset, DateTimeOffset)? expected = null;
        for (var date = today; date < today.AddDays(15) && expected is null; date = date.AddDays(1))
        {
            if (!hours.Days.HasFlag(WorkingHours.DayOf(date.DayOfWeek))) continue;
            var (start, end) = (TimeHuntInstants.FirstShowing(zone, date.ToDateTime(hours.Start)),
                TimeHuntInstants.FirstShowing(zone, date.ToDateTime(hours.End)));
            if (end - (start > now ? start : now) >= WorkingHours.MinUseful) expected = (start, end);
        }
        var day = hours.DayFrom(now);
        if (day != expected) failures.Add($"{what}: DayFrom gives {Show(day)}, the clock says {Show(expected)}");
    }

    /// <summary>A vehicle is offered inside its working day and its own availability, never ending by now; next-run says
    /// what the run offers, and every local time it prints is the instant it prints in UTC.</summary>
    private static void CheckOffer(TimeHuntInstants hunt, WorkingHours hours, TimeZoneInfo zone, DateTimeOffset now, string what,
        List<string> failures)
    {
        DateTimeOffset? from = hunt.Random.Next(3) == 0 ? now + TimeSpan.FromMinutes(hunt.Random.Next(-3000, 3000)) : null;
        DateTimeOffset? until = hunt.Random.Next(3) == 0 ? (from ?? now) + TimeSpan.FromMinutes(hunt.Random.Next(30, 6000)) : null;
        var van = new Vehicle("van", "roanne", Towns.Roanne, "van", 2000, null, true, 0.5, 20, from, until, now, now, null, hours);
        var offered = WorkingDays.Within(van, now);
        if (offered is not null)
        {
            var day = hours.DayFrom(from is { } f && f > now ? f : now);
            if (day is not { } d || offered.AvailableFrom < d.Start || offered.AvailableUntil > d.End
                || offered.AvailableFrom < from || offered.AvailableUntil > until || offered.AvailableUntil <= now)
                failures.Add($"{what}: van available {from:O}–{until:O} offered {offered.AvailableFrom:O}–{offered.AvailableUntil:O}, outside its day {Show(day)}");
        }

        var duty = new DutyRules(_ => 10, TimeSpan.FromHours(11));
        var next = NextRun.Of(van, [], now, duty, _ => 10);
        var free = VehicleBookings.FreeFrom([van], [], now, duty);
        if (next.Offered != (free.Count == 1))
            failures.Add($"{what}: next-run says offered={next.Offered} ({next.Message}), the run offers {free.Count} vehicles");
        // A start already past is "from when the run plans" (the planner starts no route before now), whoever says it.
        else if (free is [var run] && (next.Until != run.AvailableUntil || Effective(next.From, now) != Effective(run.AvailableFrom, now)))
            failures.Add($"{what}: next-run says {next.From:O}–{next.Until:O} ({next.Message}), the run offers {run.AvailableFrom:O}–{run.AvailableUntil:O}");
        foreach (Match m in LocalAndUtc().Matches(next.Message))
        {
            var local = DateTime.ParseExact(m.Groups[1].Value, "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            var utc = TimeOnly.ParseExact(m.Groups[3].Value, "HH:mm", CultureInfo.InvariantCulture);
            var offsets = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local) : [zone.GetUtcOffset(local)];
            if (m.Groups[2].Value != zone.Id || zone.IsInvalidTime(local) || !offsets.Any(o => TimeOnly.FromDateTime(local - o) == utc))
                failures.Add($"{what}: next-run prints '{m.Value}', which is no instant in {zone.Id}");
        }
    }

    private static DateTimeOffset Effective(DateTimeOffset? from, DateTimeOffset now) => from is { } f && f > now ? f : now;

    private static string Show((DateTimeOffset Start, DateTimeOffset End)? day) => day is { } d ? $"{d.Start:O}–{d.End:O}" : "no day";

    [GeneratedRegex(@"(\d{4}-\d\d-\d\d \d\d:\d\d) (\S+) \((\d\d:\d\d) UTC\)")]
    private static partial Regex LocalAndUtc();
}
