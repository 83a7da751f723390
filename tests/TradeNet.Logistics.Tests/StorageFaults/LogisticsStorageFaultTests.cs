using System.Net.Http.Json;
using TradeNet.Contracts;
using Microsoft.Extensions.DependencyInjection;
using TradeNet.Logistics.Api;
using TradeNet.Logistics.Storage;
using TradeNet.Logistics.Storage.Sqlite;
using TradeNet.Logistics.Tests.Component;
using TradeNet.Shared.Storage.Sqlite;
using TradeNet.Testing;
using Xunit.Abstractions;

namespace TradeNet.Logistics.Tests.StorageFaults;

/// <summary>The storage-fault hunt over logistics' mutating routes (docs/operations.md, "Storage-fault hunt"): each route
/// run fault-free counts its write's steps; then, on a fresh trade between fresh towns each time, every step and the
/// COMMIT fail in turn with a genuine SQLite error. The answer must be a 503 naming no internals; every shipment,
/// transfer and vehicle as before, nothing left in the outbox; and the same request sent again must answer as the
/// fault-free run did, with as many events. A stop report is a write per shipment: a fault after one was stored answers a
/// 503 naming it, and the same report again answers it "repeated" and the rest as fault-free. One host per route: the fleet
/// is global to a host.</summary>
public sealed class LogisticsStorageFaultTests(ITestOutputHelper output)
{
    public static TheoryData<string> Routes() =>
        ["pickup", "delivery", "failure", "register vehicle", "replace vehicle", "withdraw vehicle", "plan run", "replan route",
            "stop done", "stop failure", "release transfer"];

    /// <summary>Trades whose legs a route left pending (re-planned, failed at a stop): cancelled before the next planning
    /// run, so that run plans only the next fresh trade and each route hunted has the same shape.</summary>
    private readonly List<TradeAgreed> _leftPending = [];

    private async Task<Func<Task<HttpResponseMessage>>> PrepareAsync(LogisticsApp app, string route)
    {
        var (a, b, _) = Towns.Fresh();
        var ops = TestSettings.OperatorAuth();
        switch (route)
        {
            case "release transfer":
            {
                // Held after its one allowed failed trip (Logistics:MaxDeliveryAttempts 1 in this host).
                var held = Guid.NewGuid();
                await app.PublishAsync(Towns.Swap(held, a, b));
                var trip = (await app.ShipmentsOfTradeAsync(held, ops)).Single(s => s.LegIndex == 0);
                (await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{trip.Id}/failure", TestSettings.TownAuth(a), new { reason = "the van broke down" }))
                    .EnsureSuccessStatusCode();
                var transfers = await (await app.SendAsync(HttpMethod.Get, $"/api/logistics/trades/{held}/transfers", ops)).Content
                    .ReadFromJsonAsync<TransferView[]>(LogisticsApp.Json);
                var transfer = transfers!.Single(t => t.LegIndex == 0);
                Assert.Equal(TradeNet.Logistics.Domain.TransferStatus.Held, transfer.Status);
                return () => app.SendAsync(HttpMethod.Post, $"/api/logistics/transfers/{transfer.Id}/release", ops);
            }
            case "replan route" or "stop done" or "stop failure":
            {
                foreach (var left in _leftPending) await app.PublishAsync(new TradeCancelled(left.TradeId, "storage fault hunt", true, left.Legs));
                _leftPending.Clear();
                // A van of Roanne carries both legs: Roanne loads leg 0; Lyon unloads it and loads leg 1; Roanne unloads leg 1.
                var agreed = Towns.Swap(Guid.NewGuid(), a, b);
                await app.RegisterAsync(TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne, homeTown: a));
                await app.PublishAsync(agreed);
                await app.PlanAsync();
                var legs = (await app.ShipmentsOfTradeAsync(agreed.TradeId, ops)).OrderBy(s => s.LegIndex).ToArray();
                var routeId = Assert.Single(legs.Select(s => s.RouteId).Distinct());
                if (route != "stop done") _leftPending.Add(agreed);
                if (route == "replan route") return () => app.SendAsync(HttpMethod.Post, $"/api/logistics/routes/{routeId}/replan", ops);
                int Stop(int leg, string action) => legs[leg].Stops.Single(x => x.Action == action).Sequence;
                // Lyon's stop is two writes, one per shipment: the hunt reaches a fault after the first committed.
                Assert.Equal(Stop(0, "delivery"), Stop(1, "pickup"));
                (await app.SendAsync(HttpMethod.Post, $"/api/logistics/routes/{routeId}/stops/{Stop(0, "pickup")}/done", ops)).EnsureSuccessStatusCode();
                var lyon = $"/api/logistics/routes/{routeId}/stops/{Stop(1, "pickup")}";
                return route == "stop done"
                    ? () => app.SendAsync(HttpMethod.Post, $"{lyon}/done", ops)
                    : () => app.SendAsync(HttpMethod.Post, $"{lyon}/failure", ops, new { reason = "the road to Lyon is closed" });
            }
            case "register vehicle":
                return () => app.SendAsync(HttpMethod.Post, "/api/logistics/vehicles", TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne, homeTown: a));
            case "replace vehicle":
            {
                var van = await app.RegisterAsync(TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne, homeTown: a));
                return () => app.SendAsync(HttpMethod.Put, $"/api/logistics/vehicles/{van.Id}", TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne, capacityKg: 900, homeTown: a));
            }
            case "withdraw vehicle":
            {
                var van = await app.RegisterAsync(TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne, homeTown: a));
                return () => app.SendAsync(HttpMethod.Delete, $"/api/logistics/vehicles/{van.Id}", TestSettings.TownAuth(a));
            }
        }
        var trade = Guid.NewGuid();
        if (route == "plan run")
        {
            // A planning run: the fresh trade's legs wait for it (a van of the fleet carries them) and go onto the van.
            await app.RegisterAsync(TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne, homeTown: a));
            await app.PublishAsync(Towns.Swap(trade, a, b));
            return () => app.SendAsync(HttpMethod.Post, "/api/logistics/plans", ops);
        }
        await app.PublishAsync(Towns.Swap(trade, a, b));
        var leg = (await app.ShipmentsOfTradeAsync(trade, ops)).Single(s => s.LegIndex == 0);
        switch (route)
        {
            case "pickup":
                return () => app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{leg.Id}/pickup", TestSettings.TownAuth(a));
            case "failure":
                return () => app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{leg.Id}/failure", TestSettings.TownAuth(a), new { reason = "the van broke down" });
            case "delivery":
                (await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{leg.Id}/pickup", TestSettings.TownAuth(a))).EnsureSuccessStatusCode();
                var code = await app.HandoverCodeAsync(leg.Id);
                return () => app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{leg.Id}/delivery", TestSettings.TownAuth(a), new { handoverCode = code });
        }
        throw new ArgumentException(route);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_route_whose_write_fails_at_any_step_answers_503_applies_nothing_and_succeeds_when_retried(string route)
    {
        await using var app = new LogisticsApp();
        if (route == "release transfer") app.Settings["Logistics:MaxDeliveryAttempts"] = "1";
        // Small routes: a tenth of a second finds them, and a route hunt plans once per step.
        if (route is "replan route" or "stop done" or "stop failure") app.Settings["Logistics:PlanningTimeLimit"] = "00:00:00.100";
        var database = ((LogisticsSqliteStore)app.Services.GetRequiredService<ILogisticsStore>()).Database;
        var plan = new StorageFaultPlan(database);

        var reference = await PrepareAsync(app, route);
        var published = await QuietAsync(app);
        plan.Arm();
        var first = await reference();
        var steps = plan.Disarm();
        var expected = Masked(await first.Content.ReadAsStringAsync());
        Assert.True(first.IsSuccessStatusCode, $"{route} fault-free: {(int)first.StatusCode} {expected}");
        var expectedEvents = await QuietAsync(app) - published;
        output.WriteLine($"{route}: {steps.Count} steps: {string.Join(" | ", steps)}");
        Assert.NotEmpty(steps);

        foreach (var (step, code) in StorageFaultPlan.Faults(steps.Count))
        {
            var send = await PrepareAsync(app, route);
            published = await QuietAsync(app);
            var before = await SnapshotAsync(app);

            plan.Arm(step, code);
            var failed = await send();
            plan.Disarm();
            var where = $"{route}, {plan.Failed ?? $"step {step} never reached (steps: {string.Join(" | ", steps)})"}";
            var body = await failed.Content.ReadAsStringAsync();
            var detail = await StorageFaultAnswers.AssertRetryableAsync(failed, where);
            Guid[] stored = [];
            if (detail.Contains("not applied"))
            {
                StorageFaultAnswers.AssertSame(before, await SnapshotAsync(app), where);
                Assert.True(published == await QuietAsync(app), $"{where}: an event left for a write that did not happen");
            }
            else
            {
                // A stop's shipments are reported in writes of their own: the answer names those stored before the fault.
                Assert.True(route.StartsWith("stop", StringComparison.Ordinal), $"{where}: answered '{detail}'");
                stored = System.Text.Json.JsonSerializer.Deserialize<System.Text.Json.JsonElement>(body).GetProperty("stored")
                    .EnumerateArray().Select(e => e.GetGuid()).ToArray();
                Assert.NotEmpty(stored);
                Assert.Equal(RouteEndpoints.StopPartlyStored(int.Parse(failed.RequestMessage!.RequestUri!.Segments[^2].TrimEnd('/')), stored), detail);
            }

            var retried = await send();
            var text = await retried.Content.ReadAsStringAsync();
            // The shipments stored before the fault answer "repeated"; otherwise the retry answers as the fault-free run.
            foreach (var id in stored)
            {
                var repeated = $"(\"shipmentId\":\"{id}\",\"action\":\"[a-z]+\",\"outcome\":)\"repeated\"";
                Assert.Matches(repeated, text);
                text = System.Text.RegularExpressions.Regex.Replace(text, repeated, "$1\"applied\"");
            }
            var answer = Masked(text);
            Assert.True(first.StatusCode == retried.StatusCode, $"{where}: the retry answered {(int)retried.StatusCode} {answer}");
            Assert.Equal(expected, answer);
            Assert.True(expectedEvents == await QuietAsync(app) - published, $"{where}: the retry published other events than the fault-free run");
        }
    }

    // Fresh towns carry a tag, shipments and routes ids; handover codes and run times differ.
    private static string Masked(string json) => System.Text.RegularExpressions.Regex.Replace(StorageFaultAnswers.Masked(json),
        "(roanne|lyon|saint-etienne)-[0-9a-f]{8}|\"(handoverCode|vehicleId|durationMs|elapsedMs)\":(\"[^\"]*\"|[0-9.]+)", "$1#");

    /// <summary>What an operator reads: every shipment, every transfer in each status, every vehicle.</summary>
    private static async Task<string> SnapshotAsync(LogisticsApp app)
    {
        var ops = TestSettings.OperatorAuth();
        var parts = new List<string>();
        foreach (var path in (string[])["/api/logistics/shipments?limit=1000", "/api/logistics/vehicles?limit=1000",
                     "/api/logistics/transfers?status=pending&limit=1000", "/api/logistics/transfers?status=planned&limit=1000",
                     "/api/logistics/transfers?status=held&limit=1000", "/api/logistics/transfers?status=cancelled&limit=1000",
                     "/api/logistics/transfers?status=delivered&limit=1000"])
        {
            var response = await app.SendAsync(HttpMethod.Get, path, ops);
            parts.Add($"{path} {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        return string.Join("\n", parts);
    }

    /// <summary>Waits until the outbox is empty; how many events the bus has seen.</summary>
    private static async Task<int> QuietAsync(LogisticsApp app)
    {
        await app.OutboxDrainedAsync();
        return app.Harness.PublishedCountSoFar();
    }
}
