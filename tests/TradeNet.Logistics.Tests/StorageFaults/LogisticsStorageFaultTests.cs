using System.Net.Http.Json;
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
/// fault-free run did, with as many events. One host per route: the fleet is global to a host.</summary>
public sealed class LogisticsStorageFaultTests(ITestOutputHelper output)
{
    public static TheoryData<string> Routes() =>
        ["pickup", "delivery", "failure", "register vehicle", "replace vehicle", "withdraw vehicle", "plan run"];

    private static async Task<Func<Task<HttpResponseMessage>>> PrepareAsync(LogisticsApp app, string route)
    {
        var (a, b, _) = Towns.Fresh();
        var ops = TestSettings.OperatorAuth();
        switch (route)
        {
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
            await StorageFaultAnswers.AssertUnavailableAsync(failed, where);
            StorageFaultAnswers.AssertSame(before, await SnapshotAsync(app), where);
            Assert.True(published == await QuietAsync(app), $"{where}: an event left for a write that did not happen");

            var retried = await send();
            var answer = Masked(await retried.Content.ReadAsStringAsync());
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
        return app.Harness.Published.Select(_ => true).Count();
    }
}
