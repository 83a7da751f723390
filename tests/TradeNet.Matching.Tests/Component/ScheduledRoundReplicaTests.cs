using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Rounds;
using TradeNet.Matching.Storage;
using TradeNet.Testing;

namespace TradeNet.Matching.Tests.Component;

/// <summary>Scheduled rounds of replicas that share one store (QA with two matching processes on one SQLite file).</summary>
public class ScheduledRoundReplicaTests
{
    [Fact]
    public async Task A_scheduled_tick_that_waited_for_another_replicas_round_is_left_out_once_that_round_is_stored()
    {
        await using var other = new MatchingHost();
        await other.PublishListingsAsync(Swap.All);
        var store = other.Services.GetRequiredService<IMatchingStore>();
        var now = DateTimeOffset.UtcNow;
        // Another replica is clearing: it holds the lease and has not stored its round yet. (For a day: the replica's clock
        // below moves on by whole intervals, and must not find the lease run out.)
        Assert.True(await store.TryTakeLeaseAsync(ClearingRounds.LeaseName, "another replica", now, now.AddDays(1)));
        var hooked = new HookedStore();
        // The replica's schedule runs on a clock of the test's, which moves only until the first tick: on the system
        // clock a second tick came 8 s after the first, and a machine slow enough to take that long over what follows
        // saw a second, rightful round.
        var clock = new FakeTimeProvider(now);
        await using var replica = new MatchingHost(new()
        {
            ["Storage:DataDir"] = other.DataDir,
            ["Matching:RoundInterval"] = "00:00:08",
        }) { WrapStore = hooked.Wrap, Clock = clock };
        _ = replica.Services; // starts its schedule

        // Its first tick finds no round within the interval, so it is due, and waits for the lease. (The clock moves an
        // interval at a time until then: the schedule's timer may not exist yet when it first moves.)
        await Eventually.True(() =>
        {
            if (hooked.LeaseWrites == 0) clock.Advance(TimeSpan.FromSeconds(8));
            return Task.FromResult(hooked.LeaseWrites > 0);
        }, TimeSpan.FromSeconds(20), "the scheduled tick asked for the lease");
        // Started now, by the replica's clock, which moves no more: any tick still pending finds it within the interval.
        var stored = new ClearingRound(Guid.NewGuid(), clock.GetUtcNow(), 100, 2, 0, 0, "completed", "schedule", [], "engine", 0, 0, null);
        await using (var session = await store.BeginAsync())
        {
            await session.InsertRoundAsync(stored);
            await session.CommitAsync();
        }
        await store.ReleaseLeaseAsync(ClearingRounds.LeaseName, "another replica");
        var asked = hooked.LeaseWrites;
        await Eventually.True(() => Task.FromResult(hooked.LeaseWrites > asked), TimeSpan.FromSeconds(5), "the tick took the lease");
        await Task.Delay(TimeSpan.FromSeconds(1)); // a round it ran would be stored by now

        var round = Assert.Single(await store.RoundsAsync(10));
        Assert.Equal(stored.Id, round.Id);
    }

    [Fact]
    public async Task A_scheduled_round_whose_lease_another_instance_took_is_logged_as_information_not_as_an_error()
    {
        var logs = new RecordedLogs();
        var strategy = new GatedStrategy();
        await using var host = new MatchingHost(new() { ["Matching:RoundInterval"] = "00:00:01" }) { Strategy = strategy, Logs = logs };
        await host.PublishListingsAsync(Swap.All);
        await strategy.Started;

        // While the scheduled round solves, another instance finds its lease run out (by its own clock, far ahead) and takes it.
        var store = host.Services.GetRequiredService<IMatchingStore>();
        var later = DateTimeOffset.UtcNow.AddDays(1);
        Assert.True(await store.TryTakeLeaseAsync(ClearingRounds.LeaseName, "another instance", later, later.AddDays(1)));
        strategy.Release();

        await Eventually.True(() => Task.FromResult(logs.At<ScheduledClearing>(LogLevel.Information).Any(l => l.Contains("took", StringComparison.Ordinal))),
            TimeSpan.FromSeconds(20), "the taken-over round logged");
        Assert.Empty(logs.Of<ScheduledClearing>(LogLevel.Warning));
        Assert.Empty(await store.RoundsAsync(1));
    }
}
