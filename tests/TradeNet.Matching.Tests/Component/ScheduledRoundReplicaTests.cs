using Microsoft.Extensions.DependencyInjection;
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
        // Another replica is clearing: it holds the lease and has not stored its round yet.
        Assert.True(await store.TryTakeLeaseAsync(ClearingRounds.LeaseName, "another replica", now, now.AddMinutes(5)));
        var hooked = new HookedStore();
        await using var replica = new MatchingHost(new()
        {
            ["Storage:DataDir"] = other.DataDir,
            ["Matching:RoundInterval"] = "00:00:08",
        }) { WrapStore = hooked.Wrap };
        _ = replica.Services; // starts its schedule

        // Its first tick finds no round within the interval, so it is due, and waits for the lease.
        await Eventually.True(() => Task.FromResult(hooked.LeaseWrites > 0), TimeSpan.FromSeconds(20), "the scheduled tick asked for the lease");
        var stored = new ClearingRound(Guid.NewGuid(), DateTimeOffset.UtcNow, 100, 2, 0, 0, "completed", "schedule", [], "engine", 0, 0, null);
        await using (var session = await store.BeginAsync())
        {
            await session.InsertRoundAsync(stored);
            await session.CommitAsync();
        }
        await store.ReleaseLeaseAsync(ClearingRounds.LeaseName, "another replica");
        var asked = hooked.LeaseWrites;
        await Eventually.True(() => Task.FromResult(hooked.LeaseWrites > asked), TimeSpan.FromSeconds(5), "the tick took the lease");
        await Task.Delay(TimeSpan.FromSeconds(1)); // a round it ran would be stored by now (well before its next tick is due)

        var round = Assert.Single(await store.RoundsAsync(10));
        Assert.Equal(stored.Id, round.Id);
    }
}
