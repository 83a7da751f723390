using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using TradeNet.Contracts;
using TradeNet.Logistics.Api;
using TradeNet.Logistics.Planning;
using TradeNet.Logistics.Tests.Component;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.TimeHunt;

/// <summary>
/// One seed of the planning time hunt: the logistics service on a clock of the hunt's set at an interesting instant of a
/// zone (<see cref="TimeHuntInstants"/>), with vans working random hours in the hunt's zones and route sheets in another.
/// Trades are planned, the clock jumps days ahead (a machine resumed from sleep) and steps a few seconds back (NTP), and
/// planning runs again. Checked, from docs/logistics.md: no answer a 5xx; every route inside one working day of its van
/// (the day's bounds read from the zone's clock minute by minute) and within its route limit; every route inside what
/// next-run said just before; every time a sheet prints is the instant the route stores; a shift across midnight is a 400
/// naming <c>workingHours.end</c>.
/// </summary>
public sealed partial class PlanningTimeHunt(int seed)
{
    /// <summary>The towns' places: a town is at one place (the planner keys its distances by town).</summary>
    private static readonly TradePoint[] Places = [Towns.Roanne, Towns.Lyon, Towns.SaintEtienne];
    private readonly TimeHuntInstants hunt = new(seed);
    private readonly ShiftedClock clock = new();
    private readonly List<string> failures = [];
    private readonly Dictionary<string, (VehicleView Van, TimeZoneInfo Zone)> vans = [];
    private LogisticsApp app = null!;
    private TimeZoneInfo sheetZone = null!;

    /// <summary>Routes the runs gave the hunt's vans (not direct trips): a hunt that planned none checked no working hours.</summary>
    public int VanRoutes { get; private set; }

    public async Task<List<string>> RunAsync()
    {
        var zone = TimeHuntInstants.Zone(TimeHuntInstants.Zones[hunt.Random.Next(TimeHuntInstants.Zones.Length)]);
        sheetZone = TimeHuntInstants.Zone(TimeHuntInstants.Zones[hunt.Random.Next(TimeHuntInstants.Zones.Length)]);
        var start = hunt.Instant(zone);
        clock.Shift = start - TimeProvider.System.GetUtcNow();
        app = new LogisticsApp { TestServices = s => s.AddSingleton<TimeProvider>(clock) };
        app.Settings["Logistics:SheetTimeZone"] = sheetZone.Id;
        await using (app)
        {
            var (a, b, c) = Towns.Fresh();
            var towns = new[] { a, b, c };
            await RefusesShiftAcrossMidnightAsync(a, zone);
            for (var i = 0; i < 3; i++) await RegisterAsync(towns[i], Places[i], i == 0 ? zone : TimeHuntInstants.Zone(TimeHuntInstants.Zones[hunt.Random.Next(TimeHuntInstants.Zones.Length)]));

            await RoundAsync(towns, $"at {start:O} ({zone.Id})");
            // A machine resumed from sleep: its clock is days ahead at once; routes planned before are late now.
            clock.Shift += TimeSpan.FromDays(hunt.Random.Next(1, 6)) + TimeSpan.FromMinutes(hunt.Random.Next(0, 600));
            await RoundAsync(towns, $"after a jump to {clock.GetUtcNow():O}");
            // NTP steps it back a few seconds.
            clock.Shift -= TimeSpan.FromSeconds(hunt.Random.Next(1, 30));
            await RoundAsync(towns, $"after a step back to {clock.GetUtcNow():O}");
        }
        return failures;
    }

    private async Task RefusesShiftAcrossMidnightAsync(string town, TimeZoneInfo zone)
    {
        var response = await app.SendAsync(HttpMethod.Post, "/api/logistics/vehicles", TestSettings.TownAuth(town), new
        {
            homeLat = Towns.Roanne.Lat, homeLon = Towns.Roanne.Lon, capacityKg = 2000,
            workingHours = new { start = "22:00", end = "06:00", timeZone = zone.Id },
        });
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.BadRequest || !body.Contains("workingHours.end", StringComparison.Ordinal))
            failures.Add($"seed {seed}: a night shift 22:00–06:00 answered {(int)response.StatusCode} {body}");
    }

    private async Task RegisterAsync(string town, TradePoint home, TimeZoneInfo zone)
    {
        TimeOnly from, to;
        do
        {
            (from, to) = hunt.Random.Next(3) == 0 ? (new TimeOnly(6, 0), new TimeOnly(18, 0)) : (hunt.WallTime(), hunt.WallTime());
            if (to < from) (from, to) = (to, from);
        } while (to - from < TimeSpan.FromHours(2));
        string[] days = hunt.Random.Next(2) == 0 ? ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] : ["mon", "wed", "fri", "sun"];
        var response = await app.SendAsync(HttpMethod.Post, "/api/logistics/vehicles", TestSettings.TownAuth(town), new
        {
            homeLat = home.Lat, homeLon = home.Lon, capacityKg = 3000, chilled = true, costPerKm = 0.3, fixedCost = 5,
            maxRouteHours = hunt.Random.Next(2, 13),
            workingHours = new { start = from.ToString("HH:mm", CultureInfo.InvariantCulture), end = to.ToString("HH:mm", CultureInfo.InvariantCulture), timeZone = zone.Id, days },
        });
        if (response.StatusCode != HttpStatusCode.Created)
        {
            failures.Add($"seed {seed}: registering a van working {from}–{to} {zone.Id} answered {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            return;
        }
        var van = (await response.Content.ReadFromJsonAsync<VehicleView>(LogisticsApp.Json))!;
        vans[van.Id] = (van, zone);
    }

    /// <summary>Next-run for every van, a few trades, a run, then every new route checked.</summary>
    private async Task RoundAsync(string[] towns, string when)
    {
        var told = new Dictionary<string, NextRun>();
        foreach (var id in vans.Keys)
        {
            var response = await app.SendAsync(HttpMethod.Get, $"/api/logistics/vehicles/{id}/next-run", TestSettings.OperatorAuth());
            if (await Failed(response, $"next-run of {id} {when}")) continue;
            told[id] = (await response.Content.ReadFromJsonAsync<NextRun>(LogisticsApp.Json))!;
        }
        var now = clock.GetUtcNow();
        for (var t = 0; t < 3; t++)
        {
            var (x, y) = (hunt.Random.Next(3), hunt.Random.Next(1, 3));
            var (from, to) = (x, (x + y) % 3);
            // Some legs open later or close at a day's bound: the window is the leg's, and pickups keep to it.
            DateTimeOffset? opens = hunt.Random.Next(3) == 0 ? now + TimeSpan.FromMinutes(hunt.Random.Next(0, 1440)) : null;
            DateTimeOffset? closes = hunt.Random.Next(3) == 0 ? (opens ?? now) + TimeSpan.FromMinutes(hunt.Random.Next(60, 2880)) : null;
            var trade = new TradeAgreed(Guid.NewGuid(),
            [
                new TradeLeg(0, towns[x], towns[(x + y) % 3], "offer-a", "need-b", "cheese", 20, 200, 20, Places[from], Places[to], opens, closes),
                new TradeLeg(1, towns[(x + y) % 3], towns[x], "offer-b", "need-a", "firewood", 2, 200, 300, Places[to], Places[from], null, null),
            ]);
            await app.PublishAsync(trade);
        }
        var plan = await app.SendAsync(HttpMethod.Post, "/api/logistics/plans", TestSettings.OperatorAuth());
        if (await Failed(plan, $"planning {when}")) return;
        var run = (await plan.Content.ReadFromJsonAsync<PlanningRunView>(LogisticsApp.Json))!;
        foreach (var routeId in run.Routes) await CheckRouteAsync(routeId, now, told, when);
    }

    private async Task CheckRouteAsync(Guid routeId, DateTimeOffset plannedAt, Dictionary<string, NextRun> told, string when)
    {
        var response = await app.SendAsync(HttpMethod.Get, $"/api/logistics/routes/{routeId}", TestSettings.OperatorAuth());
        if (await Failed(response, $"route {routeId} {when}")) return;
        var route = (await response.Content.ReadFromJsonAsync<RouteView>(LogisticsApp.Json))!;
        var what = $"seed {seed} {when}: route {routeId} of {route.VehicleId}";
        if (route.Stops.Length == 0) return;
        var (leaves, back) = (route.Stops[0].Eta, route.Stops[^1].Eta);
        if (vans.TryGetValue(route.VehicleId, out var its))
        {
            VanRoutes++;
            var hours = its.Van.WorkingHours!;
            var (start, end) = (TimeOnly.ParseExact(hours.Start, "HH:mm", CultureInfo.InvariantCulture), TimeOnly.ParseExact(hours.End, "HH:mm", CultureInfo.InvariantCulture));
            // The working day it is in: the local date it leaves on (or the day before, were its start skipped past midnight).
            var date = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(leaves, its.Zone).DateTime);
            var inDay = new[] { date, date.AddDays(-1) }.Any(d =>
                hours.Days.Contains(d.DayOfWeek.ToString()[..3].ToLowerInvariant())
                && TimeHuntInstants.FirstShowing(its.Zone, d.ToDateTime(start)) <= leaves
                && back <= TimeHuntInstants.FirstShowing(its.Zone, d.ToDateTime(end)));
            if (!inDay) failures.Add($"{what}: leaves {leaves:O}, back {back:O}, outside its working hours {hours.Start}–{hours.End} {hours.TimeZone} {string.Join(' ', hours.Days)}");
            if (back - leaves > TimeSpan.FromHours(its.Van.MaxRouteHours!.Value) + TimeSpan.FromSeconds(1))
                failures.Add($"{what}: lasts {back - leaves}, beyond its {its.Van.MaxRouteHours} h");
            if (leaves < plannedAt - TimeSpan.FromSeconds(1)) failures.Add($"{what}: leaves {leaves:O}, before the run at {plannedAt:O}");
            if (told.TryGetValue(route.VehicleId, out var next)
                && (!next.Offered || (next.From is { } f && leaves < f) || (next.Until is { } u && back > u)))
                failures.Add($"{what}: leaves {leaves:O}, back {back:O}, but next-run said offered={next.Offered} {next.From:O}–{next.Until:O}: {next.Message}");
        }
        await CheckSheetsAsync(route, what);
    }

    /// <summary>Every time a sheet prints maps back to the instant the route stores.</summary>
    private async Task CheckSheetsAsync(RouteView route, string what)
    {
        var csv = await app.SendAsync(HttpMethod.Get, $"/api/logistics/routes/{route.Id}/sheet.csv", TestSettings.OperatorAuth());
        if (await Failed(csv, $"{what} sheet.csv")) return;
        var lines = (await csv.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(l => l.Split(',')).ToList();
        foreach (var cells in lines)
        {
            var stop = route.Stops.FirstOrDefault(s => s.Sequence.ToString(CultureInfo.InvariantCulture) == cells[0]);
            var eta = DateTimeOffset.ParseExact(cells[3], "yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);
            // To the second: the sheet's format has no fractions (a direct trip leaves at the run's own instant).
            if (stop is null || eta != Second(stop.Eta) || eta.Offset != sheetZone.GetUtcOffset(stop.Eta) || cells[4] != sheetZone.Id)
                failures.Add($"{what}: sheet.csv row '{string.Join(',', cells)}' is not stop {cells[0]}'s {stop?.Eta:O} in {sheetZone.Id}");
        }
        var html = await app.SendAsync(HttpMethod.Get, $"/api/logistics/routes/{route.Id}/sheet.html", TestSettings.OperatorAuth());
        if (await Failed(html, $"{what} sheet.html")) return;
        var times = SheetTime().Matches(await html.Content.ReadAsStringAsync()).Select(m => m.Groups[1].Value).ToList();
        if (times.Count != route.Stops.Length) { failures.Add($"{what}: sheet.html shows {times.Count} times for {route.Stops.Length} stops"); return; }
        for (var i = 0; i < times.Count; i++)
        {
            var eta = route.Stops[i].Eta;
            var ok = times[i].Length > 16
                ? DateTimeOffset.ParseExact(times[i], "yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture) == Minute(eta)
                : ShowsOneInstant(times[i], eta, route);
            if (!ok) failures.Add($"{what}: sheet.html shows '{times[i]}' for stop {i + 1} at {eta:O} ({sheetZone.Id})");
        }
    }

    /// <summary>A time without offset is printed only when every stop has the same offset, and it reads as the stop's instant.</summary>
    private bool ShowsOneInstant(string shown, DateTimeOffset eta, RouteView route)
    {
        var offsets = route.Stops.Select(s => sheetZone.GetUtcOffset(s.Eta)).Distinct().ToList();
        var local = DateTime.ParseExact(shown, "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        return offsets.Count == 1 && new DateTimeOffset(local, offsets[0]) == Minute(eta);
    }

    private static DateTimeOffset Second(DateTimeOffset t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerSecond, t.Offset);

    private static DateTimeOffset Minute(DateTimeOffset t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerMinute, t.Offset);

    private async Task<bool> Failed(HttpResponseMessage response, string what)
    {
        if (response.IsSuccessStatusCode) return false;
        failures.Add($"seed {seed}: {what} answered {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return true;
    }

    [GeneratedRegex(@"<tr><td>\d+</td><td>[^<]*</td><td>([^<]+)</td>")]
    private static partial Regex SheetTime();
}
