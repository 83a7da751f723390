using MassTransit.Testing;
using TradeNet.Catalog.Storage.Sqlite;
using TradeNet.Contracts;
using TradeNet.Shared.Storage.Sqlite;
using TradeNet.Testing;
using Xunit.Abstractions;

namespace TradeNet.Catalog.Tests.StorageFaults;

/// <summary>The storage-fault hunt over the outbox relay (shared by every service; run on catalog's): its own writes
/// (the relay lease, marking events handed over) fail at each step in turn. The event must still reach the bus, under
/// its one message id (a mark that failed hands it over again; consumers drop the repeat by that id), the outbox must
/// drain, and the relay must go on with the next event.</summary>
public sealed class OutboxRelayStorageFaultTests(CatalogFactory factory, ITestOutputHelper output) : IClassFixture<CatalogFactory>
{
    [Fact]
    public async Task A_relay_write_that_fails_at_any_step_loses_no_event_and_the_relay_goes_on()
    {
        var database = ((SqliteCatalogStore)factory.Store).Database;
        var plan = new StorageFaultPlan(database, StorageFaultPlan.IsBackground);
        var town = await factory.RegisterTownAsync();
        await DrainedAsync(database);

        plan.Arm();
        var reference = await factory.PublishAsync(town.Town.Id, new Api.PublishListingRequest("offer", "cheese", 10, 1));
        await DrainedAsync(database);
        var steps = plan.Disarm();
        output.WriteLine($"relay: {steps.Count} steps: {string.Join(" | ", steps)}");
        Assert.NotEmpty(steps);

        foreach (var (step, code) in StorageFaultPlan.Faults(steps.Count))
        {
            plan.Arm(step, code);
            var listing = await factory.PublishAsync(town.Town.Id, new Api.PublishListingRequest("offer", "cheese", 10, 1));
            await Eventually.True(() => Task.FromResult(plan.Failed is not null), TimeSpan.FromSeconds(10), $"relay step {step} to be failed");
            var where = plan.Failed!;
            await DrainedAsync(database);
            plan.Disarm();
            var ids = factory.Harness.PublishesSoFar<ListingPublished>().Where(m => m.Context.Message.Listing.Id == listing.Id)
                .Select(m => m.Context.MessageId).Distinct().ToList();
            Assert.True(ids.Count == 1, $"{where}: ListingPublished went out under {ids.Count} message ids");
        }

        // And the relay goes on.
        var last = await factory.PublishAsync(town.Town.Id, new Api.PublishListingRequest("offer", "cheese", 10, 1));
        await factory.PublishedAsync<ListingPublished>(m => m.Listing.Id == last.Id, "the next event");
        Assert.NotNull(reference);
    }

    private static Task DrainedAsync(SqliteDatabase database) =>
        Eventually.True(async () => (await new SqliteOutboxStore(database).BacklogAsync(default)).Pending == 0,
            TimeSpan.FromSeconds(15), "the outbox drained");
}
