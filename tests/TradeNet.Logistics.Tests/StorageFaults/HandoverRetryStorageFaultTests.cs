using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TradeNet.Logistics.Api;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Storage;
using TradeNet.Logistics.Storage.Sqlite;
using TradeNet.Logistics.Tests.Component;
using TradeNet.Testing;
using Xunit.Abstractions;

namespace TradeNet.Logistics.Tests.StorageFaults;

/// <summary>The storage-fault hunt over a stop report whose unload carries a wrong handover code: the wrong code is counted
/// in a write of its own, so a fault in a later write of the report answers 503 with the code already counted, and says so
/// (not "not applied"). The carrier sends the same report again, as told: that must not count the same code a second time.</summary>
public sealed class HandoverRetryStorageFaultTests(ITestOutputHelper output)
{
    private sealed record Stop(Func<Task<HttpResponseMessage>> Send, Guid Unload, Guid Load);

    /// <summary>A van of Roanne (fresh towns): Lyon's stop unloads leg 0 and loads leg 1; the report gives a wrong code.</summary>
    private static async Task<Stop> PrepareAsync(LogisticsApp app)
    {
        var (roanne, lyon, _) = Towns.Fresh();
        await app.RegisterAsync(TestSettings.TownAuth(roanne), Fleet.Van(Towns.Roanne, homeTown: roanne));
        var trade = Guid.NewGuid();
        await app.PublishAsync(Towns.SwapBetween(trade, roanne, Towns.Roanne, lyon, Towns.Lyon));
        await app.PlanAsync();
        var legs = (await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth())).OrderBy(s => s.LegIndex).ToArray();
        var stops = $"/api/logistics/routes/{Assert.Single(legs.Select(s => s.RouteId).Distinct())}/stops";
        // The van of an earlier round may carry them (the fleet is the host's): whichever does reports.
        var carrier = TestSettings.TownAuth(legs[0].CarrierTown);
        (await app.SendAsync(HttpMethod.Post, $"{stops}/{legs[0].Stops.Single(s => s.Action == "pickup").Sequence}/done", carrier))
            .EnsureSuccessStatusCode();
        var lyonStop = legs[0].Stops.Single(s => s.Action == "delivery").Sequence;
        Assert.Equal(lyonStop, legs[1].Stops.Single(s => s.Action == "pickup").Sequence);
        var wrong = HandoverRetryTests.WrongCodes(await app.HandoverCodeAsync(legs[0].Id), 1)[0];
        return new(() => app.SendAsync(HttpMethod.Post, $"{stops}/{lyonStop}/done", carrier, new { handoverCodes = new[] { wrong } }),
            legs[0].Id, legs[1].Id);
    }

    [Fact]
    public async Task A_stop_report_with_a_wrong_code_that_failed_at_any_step_and_is_sent_again_counts_the_code_once()
    {
        await using var app = new LogisticsApp();
        app.Settings["Logistics:PlanningTimeLimit"] = "00:00:00.100";
        var store = app.Services.GetRequiredService<ILogisticsStore>();
        var plan = new StorageFaultPlan(((LogisticsSqliteStore)store).Database);

        var reference = await PrepareAsync(app);
        await app.OutboxDrainedAsync();
        plan.Arm();
        var first = await reference.Send();
        var steps = plan.Disarm();
        output.WriteLine($"{steps.Count} steps: {string.Join(" | ", steps)}");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains($"({HandoverCodes.MaxWrong - 1} more wrong codes", await first.Content.ReadAsStringAsync());

        foreach (var (step, code) in StorageFaultPlan.Faults(steps.Count))
        {
            var stop = await PrepareAsync(app);
            await app.OutboxDrainedAsync();
            plan.Arm(step, code);
            var failed = await stop.Send();
            plan.Disarm();
            var where = plan.Failed ?? $"step {step} never reached";
            Assert.True(failed.StatusCode == HttpStatusCode.ServiceUnavailable, $"{where}: answered {(int)failed.StatusCode}");
            // The answer says what was stored: a code counted before the fault is named, and then "not applied" would be untrue.
            var detail = await StorageFaultAnswers.AssertRetryableAsync(failed, where);
            var countedBefore = (await store.WrongHandoverCodesAsync([stop.Unload])).GetValueOrDefault(stop.Unload) == 1;
            var problem = JsonSerializer.Deserialize<JsonElement>(await failed.Content.ReadAsStringAsync());
            var named = problem.TryGetProperty("wrongCodeCounted", out var ids) && ids.EnumerateArray().Any(e => e.GetGuid() == stop.Unload);
            Assert.True(countedBefore == named, $"{where}: the code {(countedBefore ? "was" : "was not")} counted, the answer: {detail}");
            Assert.True(countedBefore != detail.Contains("not applied", StringComparison.Ordinal), $"{where}: {detail}");

            var retried = await stop.Send();

            Assert.True(retried.StatusCode == HttpStatusCode.OK, $"{where}: the retry answered {(int)retried.StatusCode}");
            var items = (await retried.Content.ReadFromJsonAsync<StopReportItem[]>(LogisticsApp.Json))!;
            var unload = items.Single(x => x.ShipmentId == stop.Unload);
            Assert.True(unload.Why!.Contains($"({HandoverCodes.MaxWrong - 1} more wrong codes", StringComparison.Ordinal), $"{where}: {unload.Why}");
            Assert.True((await store.WrongHandoverCodesAsync([stop.Unload])).GetValueOrDefault(stop.Unload) == 1, $"{where}: counted more than once");
            Assert.Equal(ShipmentStatus.PickedUp, items.Single(x => x.ShipmentId == stop.Load).Status);
        }
    }
}
