using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using TradeNet.Logistics.Storage;
using TradeNet.Logistics.Storage.Sqlite;
using TradeNet.Logistics.Tests.Component;
using TradeNet.Shared.Storage;
using TradeNet.Testing;
using Xunit.Abstractions;

namespace TradeNet.Logistics.Tests.StorageFaults;

/// <summary>The storage-fault hunt over logistics' one writing gRPC call, matching's StopTrade (docs/operations.md,
/// "Storage-fault hunt"): a stop whose write fails at any step answers <c>Unavailable</c> (which matching's cancel
/// answers as logistics unavailable, nothing stopped), leaves the trade's shipments and the outbox as they were, and the
/// same call again stops the trade as the fault-free one did, with as many events (TradeStopped among them).</summary>
public sealed class StopTradeStorageFaultTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_stop_whose_write_fails_at_any_step_answers_unavailable_stops_nothing_and_succeeds_when_retried()
    {
        await using var app = new LogisticsApp();
        var database = ((LogisticsSqliteStore)app.Services.GetRequiredService<ILogisticsStore>()).Database;
        var plan = new StorageFaultPlan(database);
        var ops = TestSettings.OperatorAuth();

        async Task<Guid> AgreedAsync()
        {
            var (a, b, _) = Towns.Fresh();
            var trade = Guid.NewGuid();
            await app.PublishAsync(Towns.Swap(trade, a, b));
            return trade;
        }
        async Task<string> ShipmentsAsync(Guid trade) => System.Text.Json.JsonSerializer.Serialize(
            (await app.ShipmentsOfTradeAsync(trade, ops)).OrderBy(s => s.LegIndex), LogisticsApp.Json);

        var reference = await AgreedAsync();
        var published = await QuietAsync(app);
        plan.Arm();
        var first = await app.StopTradeAsync(reference);
        var steps = plan.Disarm();
        Assert.True(first.Stopped);
        var expectedEvents = await QuietAsync(app) - published;
        output.WriteLine($"stop trade: {steps.Count} steps, {expectedEvents} events: {string.Join(" | ", steps)}");
        Assert.NotEmpty(steps);

        foreach (var (step, code) in StorageFaultPlan.Faults(steps.Count))
        {
            var trade = await AgreedAsync();
            published = await QuietAsync(app);
            var before = await ShipmentsAsync(trade);
            plan.Arm(step, code);
            var failed = await Assert.ThrowsAsync<RpcException>(() => app.StopTradeAsync(trade));
            plan.Disarm();
            var where = plan.Failed ?? $"step {step} never reached (steps: {string.Join(" | ", steps)})";
            Assert.True(StatusCode.Unavailable == failed.StatusCode, $"{where}: {failed.StatusCode} {failed.Status.Detail}");
            Assert.Equal(StorageUnavailable.Detail, failed.Status.Detail);
            StorageFaultAnswers.AssertSame(before, await ShipmentsAsync(trade), where);
            Assert.True(published == await QuietAsync(app), $"{where}: an event left for a stop that did not happen");

            var retried = await app.StopTradeAsync(trade);
            Assert.Equal(first.ToString(), retried.ToString());
            Assert.True(expectedEvents == await QuietAsync(app) - published, $"{where}: the retry published other events than the fault-free run");
        }
    }

    private static async Task<int> QuietAsync(LogisticsApp app)
    {
        await app.OutboxDrainedAsync();
        return app.Harness.PublishedCountSoFar();
    }
}
