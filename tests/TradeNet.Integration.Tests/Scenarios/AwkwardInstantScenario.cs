using System.Globalization;
using System.Net;
using System.Text.Json;
using TradeNet.Integration.Tests.Infrastructure;
using TradeNet.Testing;

namespace TradeNet.Integration.Tests.Scenarios;

/// <summary>
/// The whole standalone host living through an <see cref="AwkwardInstant"/> with its real clock running: the host's clock
/// starts <see cref="Lead"/> before the instant. Before it: towns register, a van working 01:00–05:00 local around the
/// instant registers, a key is rotated, a round proposes two trades whose deadline (<see cref="ProposalTtl"/>) lies just
/// after the instant, and one is accepted by both towns. After it: the rotated key is refused and the new one passes, the
/// agreed trade is planned on the van by a scheduled planning run, its route sheet (csv and html) is read back, it is
/// delivered and completes; the other proposal expires at its deadline, not an hour early or late; scheduled rounds ran
/// through the instant at their interval; the consistency audit passes and the host logged no failure.
/// </summary>
public sealed class AwkwardInstantScenario(StandaloneTradeNet tradeNet, AwkwardInstant instant, Action<string> note)
{
    /// <summary>How long before the instant the host's clock starts: enough for the host to start and the "before" steps
    /// to run on a busy two-core machine. <c>TRADENET_AWKWARD_LEAD_SECONDS</c> sets it.</summary>
    public static TimeSpan Lead => TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable("TRADENET_AWKWARD_LEAD_SECONDS"), CultureInfo.InvariantCulture, out var s) ? s : 20);

    public static readonly TimeSpan ProposalTtl = TimeSpan.FromSeconds(15), SweepInterval = TimeSpan.FromSeconds(1),
        RoundInterval = TimeSpan.FromSeconds(3), PlanningInterval = TimeSpan.FromSeconds(3);

    /// <summary>The host's settings for the scenario: short deadlines and schedules, so they cross the instant.</summary>
    public static IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Matching__ProposalTtl"] = ProposalTtl.ToString("c", CultureInfo.InvariantCulture),
        ["Matching__SweepInterval"] = SweepInterval.ToString("c", CultureInfo.InvariantCulture),
        ["Matching__RoundInterval"] = RoundInterval.ToString("c", CultureInfo.InvariantCulture),
        ["Logistics__PlanningInterval"] = PlanningInterval.ToString("c", CultureInfo.InvariantCulture),
        ["Gateway__RateLimit__PermitsPerMinute"] = "100000",
    };

    private readonly TradeFlow _flow = new(tradeNet.Gateway, tradeNet.OperatorApiKey);

    public async Task RunAsync()
    {
        using var ops = _flow.Operator();
        var at = instant.At;

        // Before the instant.
        var roanne = await _flow.RegisterTown("Roanne", "42187", 46.0443, 4.07974);
        var riorges = await _flow.RegisterTown("Riorges", "42184", 46.0431, 4.0413);
        var coteau = await _flow.RegisterTown("Le Coteau", "42071", 46.0192, 4.0922);
        var mably = await _flow.RegisterTown("Mably", "42127", 46.0848, 4.0617);
        var van = await roanne.Client.Post("/api/logistics/vehicles", new
        {
            homeLat = 46.0443, homeLon = 4.07974, name = "night van", capacityKg = 50_000, chilled = true, costPerKm = 0.6, fixedCost = 25,
            workingHours = new { start = "01:00", end = "05:00", timeZone = instant.VehicleZone },
        }, HttpStatusCode.Created);
        var vanId = van.GetProperty("id").GetString()!;
        CheckNextRun(await roanne.Client.Get($"/api/logistics/vehicles/{vanId}/next-run"), "before the instant");

        var (offeredA, wantedA) = await _flow.Categories(0);
        var (offeredB, wantedB) = await _flow.Categories(1);
        // Listings and the round as late before the instant as is safe, so the proposals' deadline lies after it
        // (scheduled rounds clear the book as soon as it holds them).
        await UntilHostTime(at - TimeSpan.FromSeconds(10));
        var oldMablyKey = mably.ApiKey;
        var rotated = await mably.Client.Post($"/api/catalog/towns/{mably.Id}/api-key", null, HttpStatusCode.OK);
        mably = mably with { ApiKey = rotated.GetProperty("apiKey").GetString()!, Client = _flow.Client(rotated.GetProperty("apiKey").GetString()!) };
        await TradeFlow.Publish(roanne, "offer", offeredA, 200, 10);
        await TradeFlow.Publish(riorges, "need", offeredA, 100, 10);
        await TradeFlow.Publish(riorges, "offer", wantedA, 500, 10);
        await TradeFlow.Publish(roanne, "need", wantedA, 400, 10);
        await TradeFlow.Publish(coteau, "offer", offeredB, 200, 10);
        await TradeFlow.Publish(mably, "need", offeredB, 100, 10);
        await TradeFlow.Publish(mably, "offer", wantedB, 500, 10);
        await TradeFlow.Publish(coteau, "need", wantedB, 400, 10);
        var tradeA = (await _flow.RunRoundUntilTrade(roanne, riorges.Id)).GetProperty("id").GetString()!;
        var proposedB = await _flow.RunRoundUntilTrade(coteau, mably.Id);
        var tradeB = proposedB.GetProperty("id").GetString()!;
        await roanne.Client.Post($"/api/matching/trades/{tradeA}/accept", null, HttpStatusCode.OK);
        await riorges.Client.Post($"/api/matching/trades/{tradeA}/accept", null, HttpStatusCode.OK);
        await coteau.Client.Post($"/api/matching/trades/{tradeB}/accept", null, HttpStatusCode.OK);
        await TradeFlow.TradeStatus(roanne, tradeA, "agreed");
        AssertBeforeTheInstant("the proposals were made and the first agreed");

        var deadlineB = proposedB.GetProperty("deadline").GetDateTimeOffset();
        var roundB = await ops.Get($"/api/matching/rounds/{proposedB.GetProperty("roundId").GetString()}");
        // The round's start + the TTL, in whole milliseconds (as the round stores and announces it).
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds((roundB.GetProperty("startedAt").GetDateTimeOffset() + ProposalTtl).ToUnixTimeMilliseconds()),
            deadlineB);
        Assert.True(roundB.GetProperty("startedAt").GetDateTimeOffset() < at && deadlineB > at,
            $"trade {tradeB}'s round started at {roundB.GetProperty("startedAt")} and its deadline is {deadlineB:O}: it should cross {at:O}");

        // After the instant.
        await UntilHostTime(at + TimeSpan.FromSeconds(0.5));
        var stillProposed = await coteau.Client.Get($"/api/matching/trades/{tradeB}");
        if (tradeNet.HostNow() < deadlineB - TimeSpan.FromSeconds(0.5))
            Assert.Equal("proposed", stillProposed.GetProperty("status").GetString());
        using (var old = _flow.Client(oldMablyKey))
            Assert.Equal(HttpStatusCode.Unauthorized, (await old.Send(HttpMethod.Get, "/api/matching/trades")).StatusCode);
        Assert.Equal(tradeB, (await mably.Client.Get($"/api/matching/trades/{tradeB}")).GetProperty("id").GetString());

        var shipments = await Eventually.Until(async () => (await ops.Get($"/api/logistics/shipments?trade={tradeA}")).EnumerateArray().ToList(),
            s => s.Count == 2, TimeSpan.FromSeconds(60), $"trade {tradeA}'s shipments planned by a scheduled run");
        Assert.All(shipments, s => Assert.Equal(vanId, s.GetProperty("vehicleId").GetString()));
        var routeId = Assert.Single(shipments.Select(s => s.GetProperty("routeId").GetString()).Distinct())!;
        await CheckRouteAndSheets(roanne, routeId);
        await TradeFlow.PickUpAndDeliver(shipments, roanne, riorges);
        var completed = await TradeFlow.TradeStatus(riorges, tradeA, "completed");
        Assert.True(completed.GetProperty("agreedAt").GetDateTimeOffset() < at, "trade A was agreed before the instant");

        var expired = await Eventually.Until(() => mably.Client.Get($"/api/matching/trades/{tradeB}"),
            t => t.GetProperty("status").GetString() == "cancelled", TimeSpan.FromSeconds(60), $"trade {tradeB} expired");
        Assert.Equal("expired", expired.GetProperty("reason").GetString());
        var cancelledAt = expired.GetProperty("cancelledAt").GetDateTimeOffset();
        Assert.True(cancelledAt >= deadlineB && cancelledAt <= deadlineB + SweepInterval + TimeSpan.FromSeconds(5),
            $"trade {tradeB} with deadline {deadlineB:O} expired at {cancelledAt:O}");
        var late = await mably.Client.Send(HttpMethod.Post, $"/api/matching/trades/{tradeB}/accept");
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);

        // Rotated again after the instant, by an operator: only the newest key passes.
        var again = (await ops.Post($"/api/catalog/towns/{mably.Id}/api-key", null, HttpStatusCode.OK)).GetProperty("apiKey").GetString()!;
        using (var newest = _flow.Client(again))
            await Eventually.Until(() => newest.Send(HttpMethod.Get, "/api/matching/trades"), r => r.StatusCode == HttpStatusCode.OK,
                TimeSpan.FromSeconds(10), "the newest key passes");
        await Eventually.Until(() => mably.Client.Send(HttpMethod.Get, "/api/matching/trades"), r => r.StatusCode == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(10), "the key rotated away is refused");

        await CheckScheduledRounds(ops);
        await Audit(ops, [roanne.Id, riorges.Id, coteau.Id, mably.Id]);
        var failures = tradeNet.Logs().Split('\n')
            .Where(l => l.StartsWith("fail:", StringComparison.Ordinal) || l.StartsWith("crit:", StringComparison.Ordinal)).ToList();
        Assert.True(failures.Count == 0, "the host logged failures:\n" + string.Join("\n", failures));
        note($"{instant}: host clock at the end {tradeNet.HostNow():O}; trade {tradeA} completed on route {routeId}, {tradeB} expired at {cancelledAt:O}");
    }

    /// <summary>The van's next run: its working day read in UTC is the calendar's.</summary>
    private void CheckNextRun(JsonElement nextRun, string when)
    {
        note($"next-run {when}: {nextRun}");
        Assert.True(nextRun.GetProperty("offered").GetBoolean(), $"{when}: {nextRun}");
        Assert.Equal(instant.DayEnd, nextRun.GetProperty("until").GetDateTimeOffset());
        // Its message gives the day's end in the van's zone and in UTC: the 05:00 of the van's clock that day.
        Assert.Contains($"{instant.DayEnd.ToOffset(instant.DayEndOffset):yyyy-MM-dd} 05:00 {instant.VehicleZone} ({instant.DayEnd:HH:mm} UTC)",
            nextRun.GetProperty("message").GetString());
        if (nextRun.GetProperty("from").ValueKind != JsonValueKind.Null)
            Assert.Equal(instant.DayStart, nextRun.GetProperty("from").GetDateTimeOffset());
    }

    /// <summary>The route lies in the van's working day; every time on the sheets is a stored instant, in Paris time
    /// with the offset the Paris clock shows then.</summary>
    private async Task CheckRouteAndSheets(TradeFlow.Town carrier, string routeId)
    {
        var route = await carrier.Client.Get($"/api/logistics/routes/{routeId}");
        var etas = route.GetProperty("stops").EnumerateArray()
            .ToDictionary(s => s.GetProperty("sequence").GetInt32(), s => s.GetProperty("eta").GetDateTimeOffset());
        Assert.All(etas.Values, eta => Assert.True(eta >= instant.DayStart && eta <= instant.DayEnd,
            $"stop at {eta:O} outside the van's working day {instant.DayStart:O}–{instant.DayEnd:O}"));

        var csv = await (await carrier.Client.Send(HttpMethod.Get, $"/api/logistics/routes/{routeId}/sheet.csv")).Content.ReadAsStringAsync();
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var header = lines[0].Split(',');
        int Column(string name) => Array.IndexOf(header, name);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.NotEmpty(rows);
        var shown = new List<DateTimeOffset>();
        foreach (var row in rows)
        {
            var eta = DateTimeOffset.Parse(row[Column("eta")], CultureInfo.InvariantCulture);
            Assert.Equal("Europe/Paris", row[Column("time_zone")]);
            Assert.True(eta.Offset == instant.SheetOffsetAt(eta), $"sheet row {string.Join(',', row)}: Paris shows {instant.SheetOffsetAt(eta)} then");
            Assert.True(eta >= instant.DayStart && eta <= instant.DayEnd, $"sheet row {string.Join(',', row)} outside the van's working day");
            if (int.TryParse(row[Column("sequence")], CultureInfo.InvariantCulture, out var sequence) && etas.TryGetValue(sequence, out var stored)
                && row[Column("action")] is not ("depart" or "start" or "return"))
                Assert.Equal(Seconds(stored), eta);
            shown.Add(eta);
        }
        note($"sheet.csv: {string.Join(" ", rows.Select(r => $"{r[Column("action")]}@{r[Column("eta")]}"))}");

        var html = await (await carrier.Client.Send(HttpMethod.Get, $"/api/logistics/routes/{routeId}/sheet.html")).Content.ReadAsStringAsync();
        Assert.Contains("Europe/Paris", html);
        // A route whose times do not share one offset (it crosses the change) shows each with its offset: in October
        // 02:30 comes twice.
        var format = shown.Select(t => t.Offset).Distinct().Count() > 1 ? "yyyy-MM-dd HH:mm zzz" : "yyyy-MM-dd HH:mm";
        foreach (var eta in shown)
            Assert.Contains(eta.ToString(format, CultureInfo.InvariantCulture), html);
    }

    private static DateTimeOffset Seconds(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);

    /// <summary>Scheduled rounds ran before and after the instant, none an interval early or an hour late.</summary>
    private async Task CheckScheduledRounds(TradeNetClient ops)
    {
        var rounds = (await ops.Get("/api/matching/rounds?limit=500")).EnumerateArray()
            .Select(r => (Started: r.GetProperty("startedAt").GetDateTimeOffset(), Trigger: r.GetProperty("trigger").GetString()))
            .OrderBy(r => r.Started).ToList();
        var scheduled = rounds.Where(r => r.Trigger == "schedule").Select(r => r.Started).ToList();
        Assert.Contains(scheduled, s => s < instant.At);
        Assert.Contains(scheduled, s => s > instant.At);
        for (var i = 1; i < rounds.Count; i++)
            Assert.True(rounds[i].Started - rounds[i - 1].Started <= 2 * RoundInterval + TimeSpan.FromSeconds(2),
                $"no round between {rounds[i - 1].Started:O} and {rounds[i].Started:O} (every {RoundInterval})");
        for (var i = 1; i < scheduled.Count; i++)
            Assert.True(scheduled[i] - scheduled[i - 1] >= RoundInterval * 0.9 - TimeSpan.FromMilliseconds(50),
                $"scheduled rounds at {scheduled[i - 1]:O} and {scheduled[i]:O}, under {RoundInterval} apart");
    }

    private async Task Audit(TradeNetClient ops, IReadOnlyCollection<string> towns)
    {
        IReadOnlyList<string> problems;
        var until = DateTime.UtcNow.AddSeconds(15);
        while ((problems = await ConsistencyAudit.CheckAsync(ops, towns)).Count > 0 && DateTime.UtcNow < until) await Task.Delay(500);
        Assert.True(problems.Count == 0, "the consistency audit:\n" + string.Join("\n", problems));
    }

    private async Task UntilHostTime(DateTimeOffset moment)
    {
        var wait = moment - tradeNet.HostNow();
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
    }

    private void AssertBeforeTheInstant(string step)
    {
        var now = tradeNet.HostNow();
        Assert.True(now < instant.At, $"{step} at host time {now:O}, after {instant}: too slow for a lead of {Lead.TotalSeconds} s " +
            "(set TRADENET_AWKWARD_LEAD_SECONDS higher)");
    }
}
