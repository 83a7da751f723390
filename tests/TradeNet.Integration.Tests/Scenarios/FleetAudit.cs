using System.Globalization;
using System.Net;
using System.Text.Json;

namespace TradeNet.Integration.Tests.Scenarios;

/// <summary>
/// What logistics holds about a fleet's routes must make sense on its own and agree with matching, read through the
/// gateway with the operator's key (beside <see cref="ConsistencyAudit"/>, which checks legs, transfers and listings).
/// Each broken rule is one line naming what breaks it.
/// <list type="bullet">
/// <item>a leg has at most one live shipment (planned, picked up or delivered), so it rides at most one live route, and
/// is delivered at most once;</item>
/// <item>a route's shipments ride its vehicle, carried by the vehicle's home town; its view lists each live shipment
/// loaded at its own from town before it is unloaded at its to town, stops in order of sequence and time; what is on
/// board never exceeds the most capacity the vehicle ever had, and what is planned or on board now fits its capacity
/// now;</item>
/// <item>a vehicle's live routes do not overlap in time; on a vehicle whose terms never changed each route keeps to its
/// route limit, its working day and its availability; a vehicle with a route still to drive is not told
/// <c>free</c> by <c>next-run</c>;</item>
/// <item>a cancelled trade has nothing planned or on the road; matching's leg is picked up exactly when logistics has
/// its shipment picked up or delivered;</item>
/// <item>after the drain, nothing planned before it is still planned or on the road: every agreed leg ended delivered,
/// or failed and waits (pending or held).</item>
/// </list>
/// </summary>
public static class FleetAudit
{
    private const double Epsilon = 1e-6;

    public static async Task<IReadOnlyList<string>> CheckAsync(TradeNetClient ops, RandomFleet fleet)
    {
        var problems = new List<string>();
        var trades = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var town in fleet.AllTowns)
            foreach (var t in await PagesAsync(ops, $"/api/matching/trades?town={town}&limit=1000")) trades[Text(t, "id")] = t;
        var shipments = await PagesAsync(ops, "/api/logistics/shipments?limit=1000");
        var vehicles = fleet.Fleet.ToDictionary(v => v.Id, StringComparer.Ordinal);

        CheckLegs(shipments, trades, problems);
        var liveRoutes = new Dictionary<string, List<(DateTimeOffset From, DateTimeOffset To, string Route)>>(StringComparer.Ordinal);
        foreach (var route in shipments.Where(s => vehicles.ContainsKey(Text(s, "vehicleId")) && Text(s, "status") != "cancelled")
                     .GroupBy(s => Text(s, "routeId")))
            await CheckRouteAsync(ops, route.Key, [.. route], vehicles, liveRoutes, problems);
        await CheckVehiclesAsync(ops, vehicles, liveRoutes, problems);
        CheckDuties(shipments, vehicles, problems);
        await CheckAttemptsAsync(ops, shipments, problems);
        if (fleet.DrainedAt != default)
            foreach (var s in shipments.Where(s => Text(s, "status") is "planned" or "pickedUp" && s.GetProperty("createdAt").GetDateTimeOffset() < fleet.DrainedAt))
                problems.Add($"shipment {Text(s, "id")} (trade {Text(s, "tradeId")}, leg {s.GetProperty("legIndex").GetInt32()}): still {Text(s, "status")} after the drain");
        return problems;
    }

    private static void CheckLegs(List<JsonElement> shipments, Dictionary<string, JsonElement> trades, List<string> problems)
    {
        foreach (var leg in shipments.GroupBy(s => (Trade: Text(s, "tradeId"), Leg: s.GetProperty("legIndex").GetInt32())))
        {
            var statuses = leg.Select(s => Text(s, "status")).ToList();
            var live = leg.Where(s => Text(s, "status") is "planned" or "pickedUp" or "delivered").ToList();
            if (live.Count > 1)
                problems.Add($"trade {leg.Key.Trade}, leg {leg.Key.Leg}: {live.Count} live shipments on routes {string.Join(", ", live.Select(s => Text(s, "routeId")))} ({string.Join(", ", statuses)})");
            if (!trades.TryGetValue(leg.Key.Trade, out var trade)) continue;
            var status = Text(trade, "status");
            if (status == "cancelled" && statuses.Any(s => s is "planned" or "pickedUp"))
                problems.Add($"trade {leg.Key.Trade} (cancelled), leg {leg.Key.Leg}: a shipment still {string.Join(", ", statuses)}");
            if (status is not ("agreed" or "completed")) continue;
            var matching = trade.GetProperty("legs").EnumerateArray().FirstOrDefault(l => l.GetProperty("index").GetInt32() == leg.Key.Leg);
            if (matching.ValueKind != JsonValueKind.Object) continue;
            var pickedUp = statuses.Any(s => s is "pickedUp" or "delivered");
            if (matching.GetProperty("pickedUp").GetBoolean() != pickedUp)
                problems.Add($"trade {leg.Key.Trade} ({status}), leg {leg.Key.Leg}: matching's leg {(pickedUp ? "not " : "")}picked up, logistics' shipments {string.Join(", ", statuses)}");
        }
    }

    private static async Task CheckRouteAsync(TradeNetClient ops, string routeId, List<JsonElement> onRoute, Dictionary<string, FleetVehicle> vehicles,
        Dictionary<string, List<(DateTimeOffset, DateTimeOffset, string)>> liveRoutes, List<string> problems)
    {
        using var response = await ops.Send(HttpMethod.Get, $"/api/logistics/routes/{routeId}");
        if (response.StatusCode != HttpStatusCode.OK)
        {
            problems.Add($"route {routeId}: {(int)response.StatusCode} for a route with live shipments");
            return;
        }
        var view = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        var vehicleId = Text(view, "vehicleId");
        var vehicle = vehicles[Text(onRoute[0], "vehicleId")];
        foreach (var s in onRoute.Where(s => Text(s, "vehicleId") != vehicleId || Text(s, "carrierTown") != vehicle.Terms.HomeTown))
            problems.Add($"route {routeId} ({vehicleId}): shipment {Text(s, "id")} rides {Text(s, "vehicleId")} carried by {Text(s, "carrierTown")}, the vehicle's home is {vehicle.Terms.HomeTown}");
        if (view.GetProperty("cancelled").GetBoolean())
            problems.Add($"route {routeId}: reads cancelled with {onRoute.Count} live shipments");

        var stops = view.GetProperty("stops").EnumerateArray().ToList();
        for (var i = 1; i < stops.Count; i++)
            if (stops[i].GetProperty("sequence").GetInt32() <= stops[i - 1].GetProperty("sequence").GetInt32()
                || stops[i].GetProperty("eta").GetDateTimeOffset() < stops[i - 1].GetProperty("eta").GetDateTimeOffset())
                problems.Add($"route {routeId}: stop {stops[i].GetProperty("sequence").GetInt32()} comes before the one listed ahead of it");
        var loadedAt = new Dictionary<string, int>(StringComparer.Ordinal);
        var unloadedAt = new Dictionary<string, int>(StringComparer.Ordinal);
        double load = 0, most = 0, active = 0, mostActive = 0;
        foreach (var stop in stops)
        {
            var sequence = stop.GetProperty("sequence").GetInt32();
            foreach (var g in stop.GetProperty("deliveries").EnumerateArray())
            {
                unloadedAt[Text(g, "shipmentId")] = sequence;
                if (Text(g, "toTown") != Text(stop, "townId")) problems.Add($"route {routeId}, stop {sequence}: unloads shipment {Text(g, "shipmentId")} bound for {Text(g, "toTown")} at {Text(stop, "townId")}");
                load -= g.GetProperty("weightKg").GetDouble();
                if (Text(g, "status") is "planned" or "pickedUp") active -= g.GetProperty("weightKg").GetDouble();
            }
            foreach (var g in stop.GetProperty("pickups").EnumerateArray())
            {
                loadedAt[Text(g, "shipmentId")] = sequence;
                if (Text(g, "fromTown") != Text(stop, "townId")) problems.Add($"route {routeId}, stop {sequence}: loads shipment {Text(g, "shipmentId")} from {Text(g, "fromTown")} at {Text(stop, "townId")}");
                load += g.GetProperty("weightKg").GetDouble();
                if (Text(g, "status") is "planned" or "pickedUp") active += g.GetProperty("weightKg").GetDouble();
            }
            (most, mostActive) = (Math.Max(most, load), Math.Max(mostActive, active));
        }
        if (most > vehicle.MaxCapacityKg + Epsilon)
            problems.Add(Line($"route {routeId} ({vehicleId}): {most} kg on board at once, the vehicle never had more than {vehicle.MaxCapacityKg} kg"));
        if (!vehicle.Withdrawn && mostActive > vehicle.Terms.CapacityKg + Epsilon && !vehicle.Changed)
            problems.Add(Line($"route {routeId} ({vehicleId}): {mostActive} kg planned or on board at once, capacity {vehicle.Terms.CapacityKg} kg"));
        foreach (var s in onRoute)
        {
            var id = Text(s, "id");
            if (!loadedAt.TryGetValue(id, out var p) || !unloadedAt.TryGetValue(id, out var d) || p >= d)
                problems.Add($"route {routeId}: shipment {id} ({Text(s, "status")}) loaded at stop {(loadedAt.TryGetValue(id, out var lp) ? lp : -1)}, unloaded at {(unloadedAt.TryGetValue(id, out var up) ? up : -1)}");
        }

        if (stops.Count == 0 || !onRoute.Any(s => Text(s, "status") is "planned" or "pickedUp")) return;
        DateTimeOffset from = stops[0].GetProperty("eta").GetDateTimeOffset(), to = stops[^1].GetProperty("eta").GetDateTimeOffset();
        if (!liveRoutes.TryGetValue(vehicleId, out var list)) liveRoutes[vehicleId] = list = [];
        list.Add((from, to, routeId));
        if (vehicle.Changed) return;
        var terms = vehicle.Terms;
        var limit = terms.MaxRouteHours ?? 10;
        if (to - from > TimeSpan.FromHours(limit) + TimeSpan.FromSeconds(1))
            problems.Add(Line($"route {routeId} ({vehicleId}): {(to - from).TotalHours:F2} h from {from:u} to {to:u}, its limit is {limit} h"));
        if (terms.AvailableUntil is { } until && to > until)
            problems.Add(Line($"route {routeId} ({vehicleId}): back at {to:u}, its availability ends {until:u}"));
        if (terms.Hours is { } hours && (from.UtcDateTime.Date != to.UtcDateTime.Date
            || TimeOnly.FromDateTime(from.UtcDateTime) < hours.Start || TimeOnly.FromDateTime(to.UtcDateTime) > hours.End
            || (hours.Days is { } days && !days.Contains(from.UtcDateTime.DayOfWeek.ToString()[..3].ToLowerInvariant()))))
            problems.Add(Line($"route {routeId} ({vehicleId}): {from:u} to {to:u}, outside its working hours {hours.Start}-{hours.End} UTC {string.Join(",", hours.Days ?? [])}"));
    }

    private static async Task CheckVehiclesAsync(TradeNetClient ops, Dictionary<string, FleetVehicle> vehicles,
        Dictionary<string, List<(DateTimeOffset From, DateTimeOffset To, string Route)>> liveRoutes, List<string> problems)
    {
        foreach (var (id, routes) in liveRoutes)
        {
            var ordered = routes.OrderBy(r => r.From).ToList();
            for (var i = 1; i < ordered.Count; i++)
                if (ordered[i].From < ordered[i - 1].To)
                    problems.Add(Line($"vehicle {id}: route {ordered[i].Route} leaves at {ordered[i].From:u}, before route {ordered[i - 1].Route} is back at {ordered[i - 1].To:u}"));
        }
        foreach (var vehicle in vehicles.Values.Where(v => !v.Withdrawn))
        {
            using var response = await ops.Send(HttpMethod.Get, $"/api/logistics/vehicles/{vehicle.Id}/next-run");
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.OK)
            {
                problems.Add($"vehicle {vehicle.Id}: next-run {(int)response.StatusCode} {text}");
                continue;
            }
            var next = JsonDocument.Parse(text).RootElement;
            var ahead = liveRoutes.GetValueOrDefault(vehicle.Id)?.Where(r => r.To > DateTimeOffset.UtcNow).ToList() ?? [];
            if (ahead.Count > 0 && Text(next, "state") == "free")
                problems.Add($"vehicle {vehicle.Id}: next-run says free, routes {string.Join(", ", ahead.Select(r => r.Route))} are still to be driven");
        }
    }

    /// <summary>Routes that leave less than the rest (11 h) after the one before came home are one driver's duty, and
    /// together last at most the vehicle's route limit (docs/logistics.md, "A driver's day across runs"): every route not
    /// taken back counts, active or ended, by the times it was planned with. Only vehicles whose terms never changed.</summary>
    private static void CheckDuties(List<JsonElement> shipments, Dictionary<string, FleetVehicle> vehicles, List<string> problems)
    {
        foreach (var vehicle in vehicles.Values.Where(v => !v.Changed))
        {
            var routes = shipments.Where(s => Text(s, "vehicleId") == vehicle.Id && Text(s, "status") != "cancelled")
                .GroupBy(s => Text(s, "routeId"))
                .Select(r => (Route: r.Key,
                    Leaves: r.Min(s => s.GetProperty("stops")[0].GetProperty("eta").GetDateTimeOffset()),
                    Back: r.Max(s => s.GetProperty("stops").EnumerateArray().Last().GetProperty("eta").GetDateTimeOffset())))
                .OrderBy(r => r.Leaves).ToList();
            var limit = TimeSpan.FromHours(vehicle.Terms.MaxRouteHours ?? 10);
            var duty = new List<(string Route, DateTimeOffset Leaves, DateTimeOffset Back)>();
            foreach (var route in routes)
            {
                if (duty.Count > 0 && route.Leaves - duty[^1].Back >= TimeSpan.FromHours(11)) duty.Clear();
                duty.Add(route);
                var worked = duty.Aggregate(TimeSpan.Zero, (sum, r) => sum + (r.Back - r.Leaves));
                if (worked > limit + TimeSpan.FromSeconds(duty.Count))
                    problems.Add(Line($"vehicle {vehicle.Id}: routes {string.Join(", ", duty.Select(r => $"{r.Route} {r.Leaves:HH:mm:ss}-{r.Back:HH:mm:ss}"))} are one duty of {worked.TotalHours:F2} h, its limit is {limit.TotalHours} h"));
            }
        }
    }

    /// <summary>A transfer counts its failed shipments since agreed or released (never more than its leg has) and is held
    /// exactly when they reach the limit (3).</summary>
    private static async Task CheckAttemptsAsync(TradeNetClient ops, List<JsonElement> shipments, List<string> problems)
    {
        var failed = shipments.Where(s => Text(s, "status") == "failed").GroupBy(s => Text(s, "tradeId") + "/" + s.GetProperty("legIndex").GetInt32())
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        foreach (var status in new[] { "pending", "held", "planned" })
            foreach (var t in await PagesAsync(ops, $"/api/logistics/transfers?status={status}&limit=1000"))
            {
                var attempts = t.GetProperty("attempts").GetInt32();
                var leg = Text(t, "tradeId") + "/" + t.GetProperty("legIndex").GetInt32();
                if (attempts > failed.GetValueOrDefault(leg) || (status == "held") != (attempts >= 3))
                    problems.Add($"transfer {Text(t, "id")} (trade {Text(t, "tradeId")}, leg {t.GetProperty("legIndex").GetInt32()}): {status} with {attempts} attempts, its leg has {failed.GetValueOrDefault(leg)} failed shipments");
            }
    }

    /// <summary>Every page of a list, following its <c>Link: next</c>.</summary>
    private static async Task<List<JsonElement>> PagesAsync(TradeNetClient ops, string path)
    {
        var all = new List<JsonElement>();
        for (string? next = path; next is not null;)
        {
            using var response = await ops.Send(HttpMethod.Get, next);
            var text = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode) throw new Xunit.Sdk.XunitException($"GET {next}: {(int)response.StatusCode} {text}");
            all.AddRange(JsonDocument.Parse(text).RootElement.EnumerateArray().Select(e => e.Clone()));
            next = response.Headers.TryGetValues("Link", out var links) && links.Single() is var link && link.Contains("rel=\"next\"", StringComparison.Ordinal)
                ? link[(link.IndexOf('<') + 1)..link.IndexOf('>')] : null;
        }
        return all;
    }

    private static string Text(JsonElement e, string property) => e.GetProperty(property).GetString()!;

    private static string Line(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
