using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using TradeNet.Contracts;
using TradeNet.Matching.Storage;
using TradeNet.Matching.Storage.Sqlite;
using TradeNet.Matching.Tests.Component;
using TradeNet.Shared.Storage.Sqlite;
using TradeNet.Testing;
using Xunit.Abstractions;

namespace TradeNet.Matching.Tests.StorageFaults;

/// <summary>The storage-fault hunt over every one of matching's consumers (docs/operations.md, "Storage-fault hunt"): the
/// listing events, a shipment's pickup, delivery and failure, logistics' TradeStopped. Each event,
/// consumed fault-free, counts its write's steps; then each step and the COMMIT fail in turn on a fresh pair of towns.
/// The consume is retried as the service's bus retries it, must not be given up (no <c>Fault</c>), and must end where the
/// fault-free run ended, with as many events published.</summary>
public sealed class MatchingConsumerStorageFaultTests(ITestOutputHelper output)
{
    public static TheoryData<string> Events() => ["listing published", "listing changed", "listing withdrawn", "shipment delivered", "shipment picked up",
        "shipment failed", "trade stopped"];

    private sealed record Prepared(Func<Guid, Task> Publish, Func<Task<string>> Read, Type Message);

    private static async Task<Prepared> PrepareAsync(MatchingHost host, string kind)
    {
        var (a, b, listings) = MatchingStorageFaultTests.NewPair();
        var cheese = listings[0];
        if (kind == "listing published")
            return new(id => host.Publish(new ListingPublished(cheese), id), () => ReadAsync(host, listings, null), typeof(ListingPublished));
        await host.PublishListingsAsync(listings);
        var round = await host.RunRoundAsync();
        var trade = (await Task.WhenAll(round.TradeIds.Select(host.TradeAsync))).Single(t => t.Legs.Any(l => l.FromTown == a)).Id;
        Task<string> Read() => ReadAsync(host, listings, trade);
        switch (kind)
        {
            case "listing changed":
                // Below what the proposal holds: the proposal is cancelled (TradeCancelled).
                return new(id => host.Publish(new ListingChanged(cheese with { Quantity = 5, Remaining = 5, Version = 2 }), id), Read, typeof(ListingChanged));
            case "listing withdrawn":
                return new(id => host.Publish(new ListingWithdrawn(cheese.Id, a, 2), id), Read, typeof(ListingWithdrawn));
        }
        (await host.Town(a).PostAsync($"/api/matching/trades/{trade}/accept", null)).EnsureSuccessStatusCode();
        (await host.Town(b).PostAsync($"/api/matching/trades/{trade}/accept", null)).EnsureSuccessStatusCode();
        var at = DateTimeOffset.UtcNow;
        switch (kind)
        {
            case "shipment picked up":
                return new(id => host.Publish(new ShipmentPickedUp(Guid.NewGuid(), trade, 0, at), id), Read, typeof(ShipmentPickedUp));
            case "shipment failed":
                return new(id => host.Publish(new ShipmentFailed(Guid.NewGuid(), trade, 0, "axle broke", at), id), Read, typeof(ShipmentFailed));
            case "trade stopped":
                // Logistics stopped the goods with leg 1 arrived: the trade is cancelled, leg 1 delivered (TradeCancelled).
                return new(id => host.Publish(new TradeStopped(trade, "stopped by an operator", [new ArrivedLeg(1, at)], at), id), Read, typeof(TradeStopped));
        }
        await host.Publish(new ShipmentDelivered(Guid.NewGuid(), trade, 0, DateTimeOffset.UtcNow));
        await Eventually.True(async () => (await host.TradeAsync(trade)).Legs.Any(l => l.Delivered), TimeSpan.FromSeconds(10), "leg 0 delivered");
        // The second leg's delivery completes the trade (TradeCompleted).
        return new(id => host.Publish(new ShipmentDelivered(Guid.NewGuid(), trade, 1, DateTimeOffset.UtcNow), id), Read, typeof(ShipmentDelivered));
    }

    private static async Task<string> ReadAsync(MatchingHost host, ListingSnapshot[] listings, Guid? trade)
    {
        var book = (await host.BookAsync()).Where(l => listings.Any(p => p.Id == l.Id)).OrderBy(l => l.Id);
        var text = System.Text.Json.JsonSerializer.Serialize(book, MatchingHost.Json);
        if (trade is { } id) text += System.Text.Json.JsonSerializer.Serialize(await host.TradeAsync(id), MatchingHost.Json);
        return MatchingStorageFaultTests.Masked(text);
    }

    [Theory]
    [MemberData(nameof(Events))]
    public async Task A_consume_that_fails_at_any_step_is_retried_and_applied_once(string kind)
    {
        await using var host = new MatchingHost { RetryLikeTheBus = true };
        var database = ((SqliteMatchingStore)host.Services.GetRequiredService<MatchingStorage>().Store).Database;
        var plan = new StorageFaultPlan(database);

        var reference = await PrepareAsync(host, kind);
        var published = await MatchingStorageFaultTests.QuietAsync(host, database);
        plan.Arm();
        await ConsumeAsync(host, reference);
        var steps = plan.Disarm();
        var expected = await reference.Read();
        var expectedEvents = await MatchingStorageFaultTests.QuietAsync(host, database) - published;
        output.WriteLine($"{kind}: {steps.Count} steps: {string.Join(" | ", steps)}");
        Assert.NotEmpty(steps);

        foreach (var (step, code) in StorageFaultPlan.Faults(steps.Count))
        {
            var prepared = await PrepareAsync(host, kind);
            published = await MatchingStorageFaultTests.QuietAsync(host, database);
            plan.Arm(step, code);
            await ConsumeAsync(host, prepared);
            plan.Disarm();
            var where = $"{kind}, {plan.Failed ?? $"step {step} never reached"}";
            Assert.True(plan.Failed is not null, where);
            Assert.True(expected == await prepared.Read(), $"{where}: ended otherwise than fault-free:\n{await prepared.Read()}\n{expected}");
            Assert.True(expectedEvents == await MatchingStorageFaultTests.QuietAsync(host, database) - published, $"{where}: other events than fault-free");
        }
        Assert.False(host.Harness.PublishesSoFar<Fault>().Any(), "a consume was given up");
    }

    /// <summary>Publishes the event and waits until a consume of it succeeded (after its retries).</summary>
    private static async Task ConsumeAsync(MatchingHost host, Prepared prepared)
    {
        var id = NewId.NextGuid();
        await prepared.Publish(id);
        await Eventually.True(() => Task.FromResult(host.Harness.ConsumedWithoutFaultSoFar(id)),
            TimeSpan.FromSeconds(20), $"{prepared.Message.Name} {id} consumed");
    }
}
