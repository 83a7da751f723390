using MassTransit;
using TradeNet.Catalog.Storage.Sqlite;
using TradeNet.Contracts;
using TradeNet.Contracts.Grpc;
using TradeNet.Shared.Storage.Sqlite;
using TradeNet.Testing;
using Xunit.Abstractions;

namespace TradeNet.Catalog.Tests.StorageFaults;

/// <summary>The storage-fault hunt over catalog's consumers of trade events (docs/operations.md, "Storage-fault hunt"): a
/// TradeCancelled gives a held reservation back (or, with delivered legs, books those as fulfilled and releases the rest),
/// a TradeCompleted books it fulfilled. Each event, consumed fault-free, counts its write's steps; then each step and the
/// COMMIT fail in turn on a fresh reservation of the same shape. The consume is retried as the service's bus retries it,
/// must not be given up (no <c>Fault</c>), and must end where the fault-free run ended, with as many ListingChanged.</summary>
public sealed class CatalogConsumerStorageFaultTests(ITestOutputHelper output)
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web);

    public static TheoryData<string> Events() => ["trade cancelled", "trade cancelled after a delivery", "trade completed"];

    private sealed record Prepared(Func<Guid, Task> Publish, Func<Task<string>> Read);

    /// <summary>Town A offers 10 cheese, town B needs 10; matching reserved 4 of each for a fresh trade.</summary>
    private static async Task<Prepared> PrepareAsync(CatalogFactory catalog, string kind)
    {
        var (a, b) = (await catalog.RegisterTownAsync(), await catalog.RegisterTownAsync());
        var offer = await catalog.PublishAsync(a.Town.Id, new Api.PublishListingRequest("offer", "cheese", 10, 1));
        var need = await catalog.PublishAsync(b.Town.Id, new Api.PublishListingRequest("need", "cheese", 10, 1));
        var trade = Guid.NewGuid();
        var reserve = new ReserveListingsRequest
        {
            TradeId = trade.ToString(),
            Items = { new ReservationItem { ListingId = offer.Id, Quantity = 4 }, new ReservationItem { ListingId = need.Id, Quantity = 4 } },
        };
        Assert.True((await catalog.Grpc(TestSettings.ServiceAuth("matching")).ReserveListingsAsync(reserve)).Reserved);
        TradeLeg[] legs = [new(0, a.Town.Id, b.Town.Id, offer.Id, need.Id, "cheese", 4, 4, 4, new(46.03, 4.06), new(46.04, 4.04), null, null)];
        async Task<string> Read() => StorageFaultAnswers.Masked(System.Text.Json.JsonSerializer.Serialize(
            new[] { await catalog.ListingAsync(offer.Id), await catalog.ListingAsync(need.Id) }, Json));
        object message = kind switch
        {
            "trade cancelled" => new TradeCancelled(trade, "a town withdrew", true, legs),
            "trade cancelled after a delivery" => new TradeCancelled(trade, "stopped by an operator", true, legs, [0]),
            _ => new TradeCompleted(trade, legs),
        };
        return new(id => catalog.Harness.Bus.Publish(message, message.GetType(), ctx => ctx.MessageId = id), Read);
    }

    [Theory]
    [MemberData(nameof(Events))]
    public async Task A_consume_that_fails_at_any_step_is_retried_and_applied_once(string kind)
    {
        await using var catalog = new CatalogFactory { RetryLikeTheBus = true };
        var database = ((SqliteCatalogStore)catalog.Store).Database;
        var plan = new StorageFaultPlan(database);

        var reference = await PrepareAsync(catalog, kind);
        var published = await QuietAsync(catalog, database);
        plan.Arm();
        await catalog.Harness.ConsumedAsync(reference.Publish);
        var steps = plan.Disarm();
        var expected = await reference.Read();
        var expectedEvents = await QuietAsync(catalog, database) - published;
        output.WriteLine($"{kind}: {steps.Count} steps, {expectedEvents} events: {string.Join(" | ", steps)}");
        Assert.NotEmpty(steps);

        foreach (var (step, code) in StorageFaultPlan.Faults(steps.Count))
        {
            var prepared = await PrepareAsync(catalog, kind);
            published = await QuietAsync(catalog, database);
            plan.Arm(step, code);
            await catalog.Harness.ConsumedAsync(prepared.Publish);
            plan.Disarm();
            var where = $"{kind}, {plan.Failed ?? $"step {step} never reached"}";
            Assert.True(plan.Failed is not null, where);
            var read = await prepared.Read();
            Assert.True(expected == read, $"{where}: ended otherwise than fault-free:\n{read}\n{expected}");
            Assert.True(expectedEvents == await QuietAsync(catalog, database) - published, $"{where}: other events than fault-free");
        }
        Assert.False(catalog.Harness.PublishesSoFar<Fault>().Any(), "a consume was given up");
    }


    /// <summary>Waits until the outbox is empty; how many events the bus has seen.</summary>
    private static async Task<int> QuietAsync(CatalogFactory catalog, SqliteDatabase database)
    {
        var outbox = new SqliteOutboxStore(database);
        await Eventually.Until(async () => (await outbox.BacklogAsync(default)).Pending, n => n == 0, TimeSpan.FromSeconds(10), "the outbox drained");
        return catalog.Harness.PublishedCountSoFar();
    }
}
