using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TradeNet.Matching.Rounds;
using TradeNet.Matching.Storage.Sqlite;
using TradeNet.Matching.Tests.Component;
using TradeNet.Shared.Storage.Sqlite;
using TradeNet.Testing;

namespace TradeNet.Matching.Tests.Rounds;

public sealed class LeaseRenewalTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("tradenet-lease-");

    [Fact]
    public async Task A_round_that_runs_past_its_first_lease_keeps_it_by_renewing_so_no_other_instance_takes_over()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = new HookedStore();
        store.Wrap(new SqliteMatchingStore(Path.Combine(_dir.FullName, "matching.db")));
        var strategy = new GatedStrategy();
        // A lease of 20 s, renewed every 6.7 s.
        var rounds = new ClearingRounds(store, strategy, Options.Create(new MatchingOptions { RoundLease = TimeSpan.FromSeconds(20) }),
            clock, NullLogger<ClearingRounds>.Instance);
        var running = rounds.RunAsync("test", CancellationToken.None);
        await strategy.Started;
        var start = clock.GetUtcNow();

        clock.Advance(TimeSpan.FromSeconds(7));
        await Eventually.True(() => Task.FromResult(store.LeaseWrites >= 2), TimeSpan.FromSeconds(10), "the lease renewed");

        // Past the first lease's end, within the renewed one: another instance still finds it held.
        var later = start + TimeSpan.FromSeconds(25);
        Assert.False(await store.TryTakeLeaseAsync(ClearingRounds.LeaseName, "another instance", later, later.AddMinutes(2)));
        strategy.Release();
        Assert.Equal("completed", (await running).Status);
    }

    public void Dispose()
    {
        SqliteDatabase.ClearPool(Path.Combine(_dir.FullName, "matching.db"));
        _dir.Delete(recursive: true);
    }
}
