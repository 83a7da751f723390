using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using TradeNet.Contracts;
using TradeNet.Logistics.Storage;
using TradeNet.Logistics.Storage.Sqlite;
using TradeNet.Logistics.Tests.Component;
using TradeNet.Testing;
using Xunit.Abstractions;

namespace TradeNet.Logistics.Tests.StorageFaults;

/// <summary>The storage-fault hunt over logistics' trade consumers (docs/operations.md, "Storage-fault hunt"): a
/// TradeAgreed (plans a direct trip per leg) and a TradeCancelled of an agreed trade (cancels its shipments), each step
/// and the COMMIT failed in turn on a fresh trade. The consume is retried as the service's bus retries it and must end
/// where the fault-free run ended, with as many events published, never given up.</summary>
public sealed class LogisticsConsumerStorageFaultTests(ITestOutputHelper output)
{
    public static TheoryData<string> Events() => ["trade agreed", "trade cancelled"];

    private static async Task<(Func<Guid, Task> Publish, Func<Task<string>> Read)> PrepareAsync(LogisticsApp app, string kind)
    {
        var (a, b, _) = Towns.Fresh();
        var trade = Guid.NewGuid();
        var agreed = Towns.Swap(trade, a, b);
        async Task<string> Read() => Masked(System.Text.Json.JsonSerializer.Serialize(
            (await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth())).OrderBy(s => s.LegIndex), LogisticsApp.Json));
        if (kind == "trade agreed") return (id => Publish(app, agreed, id), Read);
        await app.PublishAsync(agreed);
        return (id => Publish(app, new TradeCancelled(trade, "a town withdrew", true, agreed.Legs), id), Read);
    }

    private static Task Publish<T>(LogisticsApp app, T message, Guid id) where T : class =>
        app.Harness.Bus.Publish(message, ctx => ctx.MessageId = id);

    private static string Masked(string json) => System.Text.RegularExpressions.Regex.Replace(StorageFaultAnswers.Masked(json),
        "(roanne|lyon|saint-etienne)-[0-9a-f]{8}|\"(handoverCode|vehicleId)\":\"[^\"]*\"", "$1#");

    [Theory]
    [MemberData(nameof(Events))]
    public async Task A_consume_that_fails_at_any_step_is_retried_and_applied_once(string kind)
    {
        await using var app = new LogisticsApp { RetryLikeTheBus = true };
        var database = ((LogisticsSqliteStore)app.Services.GetRequiredService<ILogisticsStore>()).Database;
        var plan = new StorageFaultPlan(database);

        var reference = await PrepareAsync(app, kind);
        var published = await QuietAsync(app);
        plan.Arm();
        await ConsumeAsync(app, reference.Publish);
        var steps = plan.Disarm();
        var expected = await reference.Read();
        var expectedEvents = await QuietAsync(app) - published;
        output.WriteLine($"{kind}: {steps.Count} steps: {string.Join(" | ", steps)}");
        Assert.NotEmpty(steps);

        foreach (var (step, code) in StorageFaultPlan.Faults(steps.Count))
        {
            var prepared = await PrepareAsync(app, kind);
            published = await QuietAsync(app);
            plan.Arm(step, code);
            await ConsumeAsync(app, prepared.Publish);
            plan.Disarm();
            var where = $"{kind}, {plan.Failed ?? $"step {step} never reached"}";
            Assert.True(plan.Failed is not null, where);
            var read = await prepared.Read();
            Assert.True(expected == read, $"{where}: ended otherwise than fault-free:\n{read}\n{expected}");
            Assert.True(expectedEvents == await QuietAsync(app) - published, $"{where}: other events than fault-free");
        }
        Assert.False(app.Harness.Published.Select<Fault>().Any(), "a consume was given up");
    }

    private static async Task ConsumeAsync(LogisticsApp app, Func<Guid, Task> publish)
    {
        var id = NewId.NextGuid();
        await publish(id);
        await Eventually.True(() => Task.FromResult(app.Harness.Consumed.Select(m => m.Context.MessageId == id && m.Exception is null).Any()),
            TimeSpan.FromSeconds(20), $"{id} consumed");
    }

    private static async Task<int> QuietAsync(LogisticsApp app)
    {
        await app.OutboxDrainedAsync();
        return app.Harness.Published.Select(_ => true).Count();
    }
}
