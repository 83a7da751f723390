using Microsoft.Extensions.DependencyInjection;
using TradeNet.Contracts;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Rounds;
using TradeNet.Matching.Storage;
using TradeNet.Matching.Storage.Sqlite;
using TradeNet.Matching.Tests.Component;
using TradeNet.Matching.Trades;
using TradeNet.Shared.Storage;
using TradeNet.Testing;
using Xunit.Abstractions;

namespace TradeNet.Matching.Tests.StorageFaults;

/// <summary>The storage-fault hunt over matching's background jobs (docs/operations.md, "Storage-fault hunt"): the
/// proposal-expiry sweep and the reservation retry, each over two trades (so a fault can land half-way through a sweep),
/// and the round and unagreed-trade retentions. Each sweep runs fault-free to count its steps; then each step and the
/// COMMIT fail in turn on fresh trades or rounds of the same shape. After the failed sweep every unit is as before or as
/// the fault-free sweep left it, with an event for each one done and none for the others; the next sweep ends exactly as
/// the fault-free one did, nothing lost or done twice.</summary>
public sealed class MatchingSweepStorageFaultTests(ITestOutputHelper output)
{
    public static TheoryData<string> Sweeps() => ["proposal expiry", "reservation retry", "round retention", "unagreed trade retention"];

    /// <summary>What one sweep works on: each unit's read (a trade, or the whole list a retention keeps), masked.</summary>
    private sealed record Prepared(Func<Task<string[]>> Read, Func<Task> CleanUp);

    private static async Task<Prepared> PrepareAsync(MatchingHost host, ShiftedClock clock, string sweep)
    {
        switch (sweep)
        {
            case "round retention":
            {
                // Rounds of an empty book: every one the same shape. The newest is always kept; the others go once a day old.
                await host.RunRoundAsync();
                await host.RunRoundAsync();
                clock.Shift += TimeSpan.FromDays(2);
                return new(async () => [MatchingStorageFaultTests.Masked(await host.Operator().GetStringAsync("/api/matching/rounds?limit=500"))],
                    () => Task.CompletedTask);
            }
            case "unagreed trade retention":
            {
                var (_, _, listings) = MatchingStorageFaultTests.NewPair();
                await host.PublishListingsAsync(listings);
                var trade = Assert.Single((await host.RunRoundAsync()).TradeIds);
                // Withdrawn, not rejected: a rejected pair's listings go back to the book and the next round proposes them again.
                foreach (var listing in listings) await host.Publish(new ListingWithdrawn(listing.Id, listing.TownId, 2));
                await Eventually.True(async () => (await host.TradeAsync(trade)).Status == TradeStatus.Cancelled, TimeSpan.FromSeconds(10), "trade cancelled");
                clock.Shift += TimeSpan.FromDays(2);
                return new(async () => [MatchingStorageFaultTests.Masked(await host.Operator().GetStringAsync("/api/matching/trades?limit=1000"))],
                    () => Task.CompletedTask);
            }
        }
        var pairs = new[] { MatchingStorageFaultTests.NewPair(), MatchingStorageFaultTests.NewPair() };
        await host.PublishListingsAsync([.. pairs.SelectMany(p => p.Listings)]);
        var trades = (await host.RunRoundAsync()).TradeIds;
        Assert.Equal(2, trades.Count);
        if (sweep == "proposal expiry")
            clock.Shift += TimeSpan.FromHours(25); // past the 24-hour deadline
        else
        {
            // Both legs accepted while catalog is down: fully accepted proposals the retry reserves and agrees.
            host.Catalog.Answer = _ => throw FakeCatalog.Outage();
            foreach (var id in trades)
            {
                var trade = await host.TradeAsync(id);
                foreach (var town in trade.Legs.Select(l => l.FromTown).Distinct())
                    await host.Town(town).PostAsync($"/api/matching/trades/{id}/accept", null);
                Assert.True((await host.TradeAsync(id)).Legs.All(l => l.Response == LegResponse.Accepted), "both legs accepted");
            }
            host.Catalog.Answer = _ => new Contracts.Grpc.ReserveListingsReply { Reserved = true };
        }
        return new(() => Task.WhenAll(trades.Select(async id => MatchingStorageFaultTests.Masked(
                System.Text.Json.JsonSerializer.Serialize(await host.TradeAsync(id), MatchingHost.Json)))),
            // An expired pair's listings are back in the book: withdrawn, so the next round proposes only the next pairs.
            async () =>
            {
                if (sweep != "proposal expiry") return;
                var ids = pairs.SelectMany(p => p.Listings).ToList();
                foreach (var listing in ids) await host.Publish(new ListingWithdrawn(listing.Id, listing.TownId, 2));
                await Eventually.True(async () => !(await host.BookAsync()).Any(l => ids.Any(p => p.Id == l.Id)), TimeSpan.FromSeconds(10), "pairs withdrawn");
            });
    }

    private static async Task SweepAsync(MatchingHost host, string sweep)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        await (sweep switch
        {
            "proposal expiry" => services.GetRequiredService<TradeLifecycle>().ExpireAsync(CancellationToken.None),
            "reservation retry" => services.GetRequiredService<TradeLifecycle>().RetryReservationsAsync(CancellationToken.None),
            "round retention" => services.GetRequiredService<RoundRetention>().SweepAsync(CancellationToken.None),
            _ => services.GetRequiredService<UnagreedTradeRetention>().SweepAsync(CancellationToken.None),
        });
    }

    [Theory]
    [MemberData(nameof(Sweeps))]
    public async Task A_sweep_that_fails_at_any_step_leaves_the_rest_to_the_next_which_does_it_once(string sweep)
    {
        var clock = new ShiftedClock();
        await using var host = new MatchingHost(sweep switch
        {
            "round retention" => new() { ["Matching:RoundRetention"] = "1.00:00:00" },
            "unagreed trade retention" => new() { ["Matching:UnagreedTradeRetention"] = "1.00:00:00" },
            _ => null,
        }) { Clock = clock };
        var database = ((SqliteMatchingStore)host.Services.GetRequiredService<MatchingStorage>().Store).Database;
        var plan = new StorageFaultPlan(database);

        var reference = await PrepareAsync(host, clock, sweep);
        var published = await MatchingStorageFaultTests.QuietAsync(host, database);
        plan.Arm();
        await SweepAsync(host, sweep);
        var steps = plan.Disarm();
        var expected = await reference.Read();
        var expectedEvents = await MatchingStorageFaultTests.QuietAsync(host, database) - published;
        await reference.CleanUp();
        output.WriteLine($"{sweep}: {steps.Count} steps, {expectedEvents} events: {string.Join(" | ", steps)}");
        Assert.NotEmpty(steps);
        Assert.Single(expected.Distinct()); // every unit ends the same way, so each can be checked against any
        var done = expected[0];
        var eventsPerUnit = expectedEvents / expected.Length;

        foreach (var (step, code) in StorageFaultPlan.Faults(steps.Count))
        {
            var prepared = await PrepareAsync(host, clock, sweep);
            published = await MatchingStorageFaultTests.QuietAsync(host, database);
            var before = await prepared.Read();
            Assert.NotEqual(expected, before);

            plan.Arm(step, code);
            try { await SweepAsync(host, sweep); }
            catch (Exception ex) when (StorageUnavailable.Is(ex)) { } // the sweep's loop logs it and tries at the next tick
            plan.Disarm();
            var where = $"{sweep}, {plan.Failed ?? $"step {step} never reached (steps: {string.Join(" | ", steps)})"}";
            Assert.True(plan.Failed is not null, where);

            // Half-way: each unit is as before or done, with the events of those done and of no other.
            var after = await prepared.Read();
            for (var i = 0; i < after.Length; i++)
                Assert.True(after[i] == before[i] || after[i] == done, $"{where}: unit {i} is neither as before nor done:\n{after[i]}");
            var doneCount = after.Where((read, i) => read != before[i]).Count();
            Assert.True(doneCount * eventsPerUnit == await MatchingStorageFaultTests.QuietAsync(host, database) - published,
                $"{where}: {doneCount} of {after.Length} done, but other events published");

            await SweepAsync(host, sweep);
            var ended = await prepared.Read();
            Assert.True(expected.SequenceEqual(ended), $"{where}: the next sweep ended otherwise than fault-free:\n{string.Join("\n", ended)}\n{string.Join("\n", expected)}");
            Assert.True(expectedEvents == await MatchingStorageFaultTests.QuietAsync(host, database) - published, $"{where}: other events than fault-free");
            await prepared.CleanUp();
        }
    }
}
