using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using TradeNet.Contracts;
using TradeNet.Logistics.Storage;
using TradeNet.Logistics.Storage.Sqlite;
using TradeNet.Logistics.Tests.Component;
using TradeNet.Testing;
using Xunit.Abstractions;

namespace TradeNet.Logistics.Tests.StorageFaults;

/// <summary>The storage-fault hunt over logistics' consumers (docs/operations.md, "Storage-fault hunt"): a TradeAgreed
/// (plans a direct trip per leg), a TradeCancelled of an agreed trade (cancels its shipments), a TownSuspended (withdraws
/// the town's van, refuses its registrations) and a TownReinstated (lets it register again), each step
/// and the COMMIT failed in turn on a fresh trade. The consume is retried as the service's bus retries it and must end
/// where the fault-free run ended, with as many events published, never given up.</summary>
public sealed class LogisticsConsumerStorageFaultTests(ITestOutputHelper output)
{
    public static TheoryData<string> Events() => ["trade agreed", "trade cancelled", "town suspended", "town reinstated"];

    private static async Task<(Func<Guid, Task> Publish, Func<Task<string>> Read)> PrepareAsync(LogisticsApp app, string kind)
    {
        var (a, b, _) = Towns.Fresh();
        if (kind is "town suspended" or "town reinstated")
        {
            // The town's van (withdrawn by the suspension) and whether the town may register one (its standing).
            var van = await app.RegisterAsync(TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne, homeTown: a));
            async Task<string> Standing()
            {
                var vehicle = await app.SendAsync(HttpMethod.Get, $"/api/logistics/vehicles/{van.Id}", TestSettings.OperatorAuth());
                var register = await app.SendAsync(HttpMethod.Post, "/api/logistics/vehicles", TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne, homeTown: a));
                return Masked($"{(int)vehicle.StatusCode} {await vehicle.Content.ReadAsStringAsync()}\nregister: {(int)register.StatusCode}");
            }
            var suspended = new TownSuspended(a, "storage fault hunt", DateTimeOffset.UtcNow, []);
            if (kind == "town suspended") return (id => Publish(app, suspended, id), Standing);
            await app.PublishAsync(suspended);
            return (id => Publish(app, new TownReinstated(a, suspended.SuspendedAt.AddSeconds(1)), id), Standing);
        }
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
        "(roanne|lyon|saint-etienne)-[0-9a-f]{8}|veh-[0-9a-f]{32}|\"(handoverCode|vehicleId|traceId)\":\"[^\"]*\"", "$1#");

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
        await app.Harness.ConsumedAsync(reference.Publish);
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
            await app.Harness.ConsumedAsync(prepared.Publish);
            plan.Disarm();
            var where = $"{kind}, {plan.Failed ?? $"step {step} never reached"}";
            Assert.True(plan.Failed is not null, where);
            var read = await prepared.Read();
            Assert.True(expected == read, $"{where}: ended otherwise than fault-free:\n{read}\n{expected}");
            Assert.True(expectedEvents == await QuietAsync(app) - published, $"{where}: other events than fault-free");
        }
        Assert.False(app.Harness.PublishesSoFar<Fault>().Any(), "a consume was given up");
    }


    private static async Task<int> QuietAsync(LogisticsApp app)
    {
        await app.OutboxDrainedAsync();
        return app.Harness.PublishedCountSoFar();
    }
}
