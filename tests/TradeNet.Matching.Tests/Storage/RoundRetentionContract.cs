using TradeNet.Matching.Domain;
using TradeNet.Matching.Storage;
using TradeNet.Testing;

namespace TradeNet.Matching.Tests.Storage;

public sealed class RoundRetentionContract : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    private readonly TestSettings _settings = new();

    public void Dispose() => _settings.Dispose();

    [Theory, MemberData(nameof(StoreAdapters.Available), MemberType = typeof(StoreAdapters))]
    public async Task Forgetting_rounds_deletes_the_oldest_before_the_time_a_batch_at_a_time_and_never_the_newest(string adapter)
    {
        var store = StoreAdapters.Create(adapter, _settings).Store;
        var rounds = new[] { -40, -35, -31, -2 }.Select(days => Round(Now.AddDays(days))).ToList();
        await InsertAsync(store, rounds);

        Assert.Equal(2, await store.ForgetRoundsAsync(Now.AddDays(-30), 2));
        Assert.Equal([rounds[3].Id, rounds[2].Id], (await store.RoundsAsync(10)).Select(r => r.Id));
        Assert.Equal(1, await store.ForgetRoundsAsync(Now.AddDays(-30), 2));
        Assert.Equal(0, await store.ForgetRoundsAsync(Now.AddDays(-30), 2));

        // Even past the retention, the newest round stays: the schedule and the next round read it.
        Assert.Equal(0, await store.ForgetRoundsAsync(Now, 10));
        Assert.Equal(rounds[3].Id, Assert.Single(await store.RoundsAsync(10)).Id);
    }

    private static async Task InsertAsync(IMatchingStore store, IEnumerable<ClearingRound> rounds)
    {
        await using var session = await store.BeginAsync();
        foreach (var round in rounds) await session.InsertRoundAsync(round);
        await session.CommitAsync();
    }

    private static ClearingRound Round(DateTimeOffset at) =>
        new(Guid.NewGuid(), at, 12, 40, 2, 432.1, "completed", "schedule", [Guid.NewGuid()], "engine", 17, 5, null);
}
