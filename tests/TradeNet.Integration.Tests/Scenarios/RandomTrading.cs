using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;

namespace TradeNet.Integration.Tests.Scenarios;

/// <summary>
/// Towns and an operator doing what they may, at random and at once, through the gateway: publish, change and withdraw
/// listings (some in whole pieces, some with windows of a few seconds), run rounds and planning runs, accept and reject
/// proposals, cancel agreed trades (some with legs delivered), pick up, deliver and report failures, rotate keys,
/// suspend a town (<see cref="RandomTradingOptions"/>). Each answer must be one
/// the action can expect (a conflict, a listing already withdrawn, a quantity under what is reserved…); anything else —
/// a 5xx, a 401/403 on the caller's own things — is recorded as unexpected. What the services end up holding is then
/// checked by <see cref="ConsistencyAudit"/>. The same seed makes the same choices; the interleaving is the machine's.
/// </summary>
public sealed class RandomTrading(TradeFlow flow, IReadOnlyList<string> categories, IReadOnlyList<string> pieceCategories,
    int seed, RandomTradingOptions options)
{
    public sealed record Unexpected(string Action, HttpStatusCode Status, string Body);

    private readonly ConcurrentQueue<Unexpected> _unexpected = new();
    private readonly ConcurrentDictionary<string, int> _answers = new();

    public IReadOnlyCollection<Unexpected> UnexpectedAnswers => _unexpected;

    /// <summary>How often each action got each answer, e.g. "accept 200": shows the run did what it meant to.</summary>
    public IReadOnlyDictionary<string, int> Answers => _answers;

    /// <summary>The longest each action took, in milliseconds.</summary>
    public IReadOnlyDictionary<string, double> Slowest => _slowest;

    private readonly ConcurrentDictionary<string, double> _slowest = new();

    public List<Trader> Towns { get; } = [];

    /// <summary>What the audit saw on its way to agreement (how many passes, the first pass's disagreements).</summary>
    public List<string> AuditNotes { get; } = [];

    /// <summary>The town the fleet's vehicles are based at: it trades nothing, so its pickups fall to an operator.</summary>
    public string? Depot { get; private set; }

    private IReadOnlyList<string> AllCategories => [.. categories, .. options.WholePieces ? pieceCategories : []];

    public async Task RegisterTownsAsync()
    {
        // Close together near Roanne, so every need's distance limit lets every offer in.
        // One of them (never the one suspended) registered with a commune's INSEE code: it must stay within 25 km of it.
        var withCode = (seed + 1) % options.Towns;
        for (var i = 0; i < options.Towns; i++)
        {
            var (name, lat, lon) = ($"Random Trading {seed}-{i}", Math.Round(46.03 + 0.01 * (i % 4), 5), Math.Round(4.05 + 0.01 * (i / 4), 5));
            var town = new Trader(await flow.RegisterTown(name, i == withCode ? Commune.Code : null, lat, lon));
            Towns.Add(town);
            Places.Add(town.Id, name, lat, lon, i == withCode ? (Commune.Lat, Commune.Lon) : null);
        }
        if (options.Vehicles == 0) return;
        var depot = await flow.RegisterTown($"Random Trading {seed} depot", null, 46.05, 4.07);
        Depot = depot.Id;
        using var ops = flow.Operator();
        // The depot's yards: its own point and two others a few km off (docs/logistics.md: a vehicle's home is its own).
        (double Lat, double Lon)[] yards = [(46.05, 4.07), (46.08, 4.10), (46.02, 4.03)];
        for (var v = 0; v < options.Vehicles; v++)
            await ops.Post("/api/logistics/vehicles", new
            {
                homeTown = depot.Id, homeLat = yards[v % yards.Length].Lat, homeLon = yards[v % yards.Length].Lon,
                capacityKg = 20_000, costPerKm = 0.5, fixedCost = 10,
            }, HttpStatusCode.Created);
        // Two trading towns with a van of their own, based a few km from the town's point (a depot at the edge of town).
        foreach (var (town, i) in Towns.Take(2).Select((t, i) => (t, i)))
            await town.Client.Post("/api/logistics/vehicles", new
            {
                homeTown = town.Id, homeLat = Places.Places[town.Id].Lat + 0.03 * (i + 1), homeLon = Places.Places[town.Id].Lon - 0.02,
                capacityKg = 3_000, costPerKm = 0.3, fixedCost = 5,
            }, HttpStatusCode.Created);
    }

    /// <summary>Notre-Dame-de-Boisset as the directory has it (services/Shared/Data): no other test registers its code.</summary>
    private static readonly (string Code, double Lat, double Lon) Commune = ("42161", 45.98962, 4.13249);

    /// <summary>Where the towns are and what they are called, as their moves and renames left them.</summary>
    public TownPlaces Places { get; } = new();

    /// <summary>The backups an operator took while the actors traded (their manifests, as the 201s answered them).</summary>
    public ConcurrentQueue<JsonElement> Backups { get; } = new();

    /// <summary>Every town lists an offer and a need in two of the categories, so the first rounds have trades to find.</summary>
    public async Task PublishStartingBookAsync()
    {
        var all = AllCategories;
        for (var i = 0; i < Towns.Count; i++)
        {
            await Towns[i].Client.Post("/api/catalog/listings", new
            {
                kind = "offer", category = all[i % all.Count], quantity = 100 + 20 * i, minLot = 5,
            }, HttpStatusCode.Created);
            await Towns[i].Client.Post("/api/catalog/listings", new
            {
                kind = "need", category = all[(i + 1) % all.Count], quantity = 80 + 20 * i, minLot = 5, maxDistanceKm = 200,
            }, HttpStatusCode.Created);
        }
    }

    /// <summary>The actors' loops, at once. Actor 0 asks for rounds (and, halfway, suspends a town); actor 1 asks for
    /// planning runs when there is a fleet.</summary>
    public Task RunAsync() =>
        Task.WhenAll(Enumerable.Range(0, options.Actors).Select(a => ActAsync(new Random(seed * 1000 + a), a)));

    /// <summary>After the actors: about half of the agreed trades delivered to the end (each carrier picks up, each receiving
    /// town confirms), so the audit sees completed trades beside agreed and cancelled ones.</summary>
    public async Task DeliverHalfAsync()
    {
        var random = new Random(seed);
        var byId = Towns.ToDictionary(t => t.Id, StringComparer.Ordinal);
        using var ops = flow.Operator();
        var agreed = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var town in Towns)
            foreach (var trade in await ListAsync(null, ops, $"/api/matching/trades?town={town.Id}&status=agreed"))
                agreed.Add(trade.GetProperty("id").GetString()!);
        foreach (var trade in agreed.Where(_ => random.Next(2) == 0))
            foreach (var shipment in await ListAsync(null, ops, $"/api/logistics/shipments?trade={trade}"))
            {
                var id = shipment.GetProperty("id").GetString();
                var status = shipment.GetProperty("status").GetString();
                // A direct trip's carrier is the giving town; a vehicle's, its home town, maybe none of these: then an
                // operator, as for a suspended town.
                var carrier = byId.GetValueOrDefault(shipment.GetProperty("carrierTown").GetString()!);
                var receiver = byId[shipment.GetProperty("toTown").GetString()!];
                if (status == "planned")
                    await CallAsync("pickup", Acting(carrier), c => c.Send(HttpMethod.Post, $"/api/logistics/shipments/{id}/pickup"), HttpStatusCode.OK);
                if (status is "planned" or "pickedUp")
                    await CallAsync("delivery", Acting(receiver), c => c.Send(HttpMethod.Post, $"/api/logistics/shipments/{id}/delivery"), HttpStatusCode.OK);
            }

        (Trader?, TradeNetClient) Acting(Trader? town) => town is { Suspended: false } ? (town, town.Client) : (null, ops);
    }

    /// <summary>One actor's steps. Only one actor asks for rounds: the service runs one round at a time and makes the
    /// others wait their turn (with the scheduled ones), and a queue of several would outlast the client's timeout.</summary>
    private async Task ActAsync(Random random, int actor)
    {
        // A round may solve for Matching:RoundTimeLimit (30 s) and look again briefly, after waiting for the round before
        // it: a busy machine takes all of that, and the round is still an answer, not a client's timeout.
        using var ops = flow.Operator(actor == 0 ? TimeSpan.FromMinutes(2) : null);
        for (var step = 0; step < options.Steps || options.Outages is { Over: false }; step++)
        {
            if (options.StepPause > TimeSpan.Zero) await Task.Delay(options.StepPause);
            if (actor == 0 && options.SuspendOneTown && step == options.Steps / 2)
                await SuspendAsync(ops, Towns[seed % Towns.Count]);
            // Backups while everything else goes on, through each service's route in turn.
            var every = Math.Max(1, options.Steps / (options.Backups + 1));
            if (actor == options.Actors - 1 && step > 0 && step % every == 0 && step / every <= options.Backups)
                await BackupAsync(ops, Backups.Count);
            var town = Towns[random.Next(Towns.Count)];
            switch (random.Next(100))
            {
                case < 15: await PublishAsync(town, random); break;
                case < 21: await ChangeAsync(town, random); break;
                case < 25: await WithdrawAsync(town, random); break;
                case < 35 when actor == 0:
                    await CallAsync("round", null, _ => ops.Send(HttpMethod.Post, "/api/matching/rounds"), HttpStatusCode.Created, HttpStatusCode.Conflict);
                    break;
                case < 35 when actor == 1 && options.Vehicles > 0: await FleetAsync(ops, random); break;
                case < 63: await AnswerAsync(town, random); break;
                case < 65 when options.KeyRotations: await RotateAsync(ops, town, random); break;
                case < 68 when options.TownChanges:
                    // A third of the changes for one restless town (its fourth own move in the hour is refused), a third
                    // for the town with an INSEE code (kept within 25 km of its commune).
                    var changing = random.Next(3) switch { 0 => Towns[(seed + 2) % Towns.Count], 1 => Towns[(seed + 1) % Towns.Count], _ => town };
                    await Places.ChangeAsync(changing, ops, byOperator: random.Next(4) == 0, random, (a, by, send, expected) => CallAsync(a, by, send, expected));
                    break;
                case < 73: await CancelAsync(ops, town, random); break;
                default: await ShipAsync(ops, town, random); break;
            }
        }
    }

    private Task PublishAsync(Trader town, Random random)
    {
        var kind = random.Next(2) == 0 ? "offer" : "need";
        var all = AllCategories;
        var window = options.ShortWindows && random.Next(4) == 0;
        var body = new
        {
            kind,
            category = all[random.Next(all.Count)],
            quantity = 20 + 10 * random.Next(20),
            // Whole numbers: a category counted in pieces takes nothing else.
            minLot = new[] { 0, 1, 3, 5, 7 }[random.Next(5)],
            maxDistanceKm = kind == "need" ? 200 : (int?)null,
            // A few seconds: long enough for a round to propose it, short enough to end before its trade is answered.
            availableUntil = window ? DateTimeOffset.UtcNow.AddSeconds(3 + random.Next(15)) : (DateTimeOffset?)null,
        };
        // 409: the town reached its limit of open listings.
        return CallAsync("publish", town, c => c.Send(HttpMethod.Post, "/api/catalog/listings", body), HttpStatusCode.Created, HttpStatusCode.Conflict);
    }

    private async Task ChangeAsync(Trader town, Random random)
    {
        if (await OwnListingAsync(town, random) is not { } listing) return;
        object body = random.Next(4) switch
        {
            0 when options.ShortWindows => new { availableUntil = random.Next(2) == 0 ? DateTimeOffset.UtcNow.AddSeconds(2 + random.Next(10)) : (DateTimeOffset?)null },
            1 => new { minLot = new[] { 0, 1, 3, 5, 7 }[random.Next(5)] },
            _ => new { quantity = 10 + 10 * random.Next(25) },
        };
        // 400: under what is reserved and fulfilled, or a min lot above the quantity; 409: withdrawn meanwhile, or
        // reopened at the town's limit.
        await CallAsync("change", town, c => c.Send(HttpMethod.Put, $"/api/catalog/listings/{listing}", body),
            HttpStatusCode.OK, HttpStatusCode.BadRequest, HttpStatusCode.Conflict);
    }

    private async Task WithdrawAsync(Trader town, Random random)
    {
        if (await OwnListingAsync(town, random) is not { } listing) return;
        await CallAsync("withdraw", town, c => c.Send(HttpMethod.Delete, $"/api/catalog/listings/{listing}"), HttpStatusCode.OK);
    }

    private async Task AnswerAsync(Trader town, Random random)
    {
        var proposed = await ListAsync(town, town.Client, "/api/matching/trades?status=proposed");
        if (proposed.Count == 0) return;
        var trade = proposed[random.Next(proposed.Count)].GetProperty("id").GetString();
        var answer = random.Next(10) < options.AcceptTenths ? "accept" : "reject";
        // 409: no longer proposed (another town rejected it, a round's check cancelled it), a listing's terms changed
        // and matching has not read the change yet, or its window ended; 503: catalog's answer did not come (the
        // acceptance is kept).
        await CallAsync(answer, town, c => c.Send(HttpMethod.Post, $"/api/matching/trades/{trade}/{answer}"),
            HttpStatusCode.OK, HttpStatusCode.Conflict, HttpStatusCode.ServiceUnavailable);
    }

    /// <summary>The operator cancels an agreed trade; one that has a leg delivered already when there is one, half the time.</summary>
    private async Task CancelAsync(TradeNetClient ops, Trader town, Random random)
    {
        var agreed = await ListAsync(null, ops, $"/api/matching/trades?town={town.Id}&status=agreed");
        if (agreed.Count == 0) return;
        var arrived = agreed.Where(t => t.GetProperty("legs").EnumerateArray().Any(l => l.GetProperty("delivered").GetBoolean())).ToList();
        var from = arrived.Count > 0 && random.Next(2) == 0 ? arrived : agreed;
        var trade = from[random.Next(from.Count)].GetProperty("id").GetString();
        // 409: goods on the road, or the trade ended meanwhile.
        await CallAsync("cancel", null, _ => ops.Send(HttpMethod.Post, $"/api/matching/trades/{trade}/cancel", new { reason = "random trading" }),
            HttpStatusCode.OK, HttpStatusCode.Conflict);
    }

    /// <summary>An operator runs planning, takes back a vehicle's route that has not set out, or releases a held leg.</summary>
    private async Task FleetAsync(TradeNetClient ops, Random random)
    {
        switch (random.Next(4))
        {
            case 0:
                var planned = (await ListAsync(null, ops, "/api/logistics/shipments?status=planned&limit=100"))
                    .Where(s => Text(s, "carrierTown") == Depot).ToList();
                if (planned.Count == 0) return;
                var route = Text(planned[random.Next(planned.Count)], "routeId");
                // 409: a shipment on it was picked up meanwhile, or nothing on it is planned any more.
                await CallAsync("replan", null, _ => ops.Send(HttpMethod.Post, $"/api/logistics/routes/{route}/replan"),
                    HttpStatusCode.OK, HttpStatusCode.Conflict);
                break;
            case 1:
                var held = await ListAsync(null, ops, "/api/logistics/transfers?status=held");
                if (held.Count == 0) return;
                var transfer = Text(held[random.Next(held.Count)], "id");
                // 409: released meanwhile, or its trade was cancelled.
                await CallAsync("release", null, _ => ops.Send(HttpMethod.Post, $"/api/logistics/transfers/{transfer}/release"),
                    HttpStatusCode.OK, HttpStatusCode.Conflict);
                break;
            default:
                // 409: another run (or a report) changed the same transfers first.
                await CallAsync("plan", null, _ => ops.Send(HttpMethod.Post, "/api/logistics/plans"), HttpStatusCode.OK, HttpStatusCode.Conflict);
                break;
        }
    }

    /// <summary>An operator backs up (docs/operations.md, "Backups and restore"): 201 with the manifest.</summary>
    private Task BackupAsync(TradeNetClient ops, int n)
    {
        var service = new[] { "catalog", "matching", "logistics" }[n % 3];
        return CallAsync("backup", null, async _ =>
        {
            var response = await ops.Send(HttpMethod.Post, $"/api/{service}/backups");
            if (response.StatusCode == HttpStatusCode.Created)
                Backups.Enqueue(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
            return response;
        }, HttpStatusCode.Created);
    }

    /// <summary>The town replaces its key, or an operator does for it.</summary>
    private Task RotateAsync(TradeNetClient ops, Trader town, Random random)
    {
        var byOperator = random.Next(2) == 0;
        return town.RotateAsync(async client =>
        {
            string? key = null;
            var answered = false;
            await CallAsync("rotate", null, async _ =>
            {
                var response = await (byOperator ? ops : client).Send(HttpMethod.Post, $"/api/catalog/towns/{town.Id}/api-key");
                answered = response.StatusCode is not (HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout);
                if (response.IsSuccessStatusCode)
                    key = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("apiKey").GetString();
                return response;
            }, HttpStatusCode.OK);
            // An answer lost to an outage leaves the key unknown (catalog may have replaced it): the town asks an
            // operator for a new one, as a town locked out would.
            return key is null && !answered && options.Outages is not null ? await ReplaceLostKeyAsync(ops, town) : key;
        }, flow.Client);
    }

    private async Task<string> ReplaceLostKeyAsync(TradeNetClient ops, Trader town)
    {
        for (var attempt = 1; ; attempt++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            string? key = null;
            await CallAsync("rotate again", null, async _ =>
            {
                var response = await ops.Send(HttpMethod.Post, $"/api/catalog/towns/{town.Id}/api-key");
                if (response.IsSuccessStatusCode)
                    key = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("apiKey").GetString();
                return response;
            }, HttpStatusCode.OK);
            if (key is not null) return key;
            if (attempt == 120) throw new InvalidOperationException($"town {town.Id}: no new key within two minutes of a lost rotation");
        }
    }

    private async Task SuspendAsync(TradeNetClient ops, Trader town) =>
        await town.SuspendAsync(() => CallAsync("suspend", null,
            _ => ops.Send(HttpMethod.Post, $"/api/catalog/towns/{town.Id}/suspension", new { reason = "random trading" }), HttpStatusCode.OK));

    /// <summary>The carrier picks up a planned shipment, reports one failed, or the receiving town confirms one on the
    /// road. A carrier that is none of the towns (a vehicle's depot), or is suspended, is an operator.</summary>
    private async Task ShipAsync(TradeNetClient ops, Trader town, Random random)
    {
        var byId = Towns.ToDictionary(t => t.Id, StringComparer.Ordinal);
        var action = random.Next(options.Failures ? 7 : 6) switch { < 3 => "delivery", < 6 => "pickup", _ => "failure" };
        var path = action switch
        {
            "delivery" => "/api/logistics/shipments?status=pickedUp",
            "pickup" => "/api/logistics/shipments?status=planned",
            _ => "/api/logistics/shipments",
        };
        var shipments = (await ListAsync(town, town.Client, path))
            .Where(s => action == "delivery" ? Text(s, "toTown") == town.Id
                : Text(s, "carrierTown") == town.Id || (Text(s, "fromTown") == town.Id && !byId.ContainsKey(Text(s, "carrierTown"))))
            .Where(s => Text(s, "status") is "planned" or "pickedUp")
            .ToList();
        if (shipments.Count == 0) return;
        var shipment = shipments[random.Next(shipments.Count)];
        var id = Text(shipment, "id");
        var carrier = byId.GetValueOrDefault(Text(shipment, "carrierTown"));
        var (by, client) = action == "delivery" ? (town, town.Client) : carrier is { Suspended: false } ? (carrier, carrier.Client) : ((Trader?)null, ops);
        // 409: the shipment moved on meanwhile (another actor, or its trade was cancelled).
        await CallAsync(action, by,
            c => (by is null ? ops : c).Send(HttpMethod.Post, $"/api/logistics/shipments/{id}/{action}",
                action == "failure" ? new { reason = "random trading: the road is closed" } : null),
            HttpStatusCode.OK, HttpStatusCode.Conflict);
    }

    private async Task<string?> OwnListingAsync(Trader town, Random random)
    {
        var listings = (await ListAsync(town, town.Client, $"/api/catalog/listings?town={town.Id}&status=active")).ToList();
        return listings.Count == 0 ? null : listings[random.Next(listings.Count)].GetProperty("id").GetString();
    }

    private static string Text(JsonElement e, string property) => e.GetProperty(property).GetString()!;

    private async Task<List<JsonElement>> ListAsync(Trader? by, TradeNetClient client, string path)
    {
        HttpResponseMessage response;
        var generation = by?.Generation ?? 0;
        var started = DateTime.UtcNow;
        try
        {
            response = await client.Send(HttpMethod.Get, path);
        }
        catch (Exception ex) when (ex is TaskCanceledException or HttpRequestException)
        {
            Record($"GET {path}", 0, $"no answer: {ex.Message}", expected: Lost(started, null));
            return [];
        }
        using var _ = response;
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            Record($"GET {path}", response.StatusCode, text,
                expected: Refused(by, generation, response.StatusCode) || Lost(started, response.StatusCode));
            return [];
        }
        return JsonDocument.Parse(text).RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    private Task CallAsync(string action, (Trader?, TradeNetClient) acting, Func<TradeNetClient, Task<HttpResponseMessage>> call,
        params HttpStatusCode[] expected) =>
        acting.Item1 is { } by ? CallAsync(action, by, call, expected) : CallAsync(action, null, _ => call(acting.Item2), expected);

    /// <summary>Calls as <paramref name="by"/> (its key as it is now), or as whoever <paramref name="call"/> uses when null.</summary>
    private async Task CallAsync(string action, Trader? by, Func<TradeNetClient, Task<HttpResponseMessage>> call, params HttpStatusCode[] expected)
    {
        var started = Stopwatch.GetTimestamp();
        var startedAt = DateTime.UtcNow;
        var generation = by?.Generation ?? 0;
        try
        {
            using var response = await call(by?.Client!);
            var text = await response.Content.ReadAsStringAsync();
            Record(action, response.StatusCode, text, expected.Contains(response.StatusCode) || Refused(by, generation, response.StatusCode)
                || Lost(startedAt, response.StatusCode) || Late(action, startedAt, response.StatusCode));
        }
        // The client's timeout or a refused connection: no answer is an unexpected answer too, unless an outage took it.
        catch (Exception ex) when (ex is TaskCanceledException or HttpRequestException)
        {
            Record(action, 0, $"no answer in {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s: {ex.Message}", expected: Lost(startedAt, null));
        }
        finally
        {
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            _slowest.AddOrUpdate(action, ms, (_, was) => Math.Max(was, ms));
        }
    }

    /// <summary>An answer an outage took (no answer, or the gateway's 502/503/504) from a call that met one.</summary>
    private bool Lost(DateTime started, HttpStatusCode? status) =>
        (status is null or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout)
        && options.Outages?.Covers(started, DateTime.UtcNow) == true;

    /// <summary>A listing published with a window of seconds, held up by a paused service until the window's end had
    /// passed: catalog rightly refuses it (400, "must be in the future").</summary>
    private bool Late(string action, DateTime started, HttpStatusCode status) =>
        action == "publish" && status == HttpStatusCode.BadRequest && options.Outages?.Covers(started, DateTime.UtcNow) == true;

    /// <summary>A town's request refused because its key was being replaced, or the town suspended, meanwhile.</summary>
    private static bool Refused(Trader? by, int generation, HttpStatusCode status) =>
        by is not null && status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden && by.MayBeRefused(generation);

    private void Record(string action, HttpStatusCode status, string body, bool expected)
    {
        _answers.AddOrUpdate(string.Create(CultureInfo.InvariantCulture, $"{action} {(int)status}"), 1, (_, n) => n + 1);
        if (!expected) _unexpected.Enqueue(new Unexpected(action, status, body.Length > 500 ? body[..500] : body));
    }
}
