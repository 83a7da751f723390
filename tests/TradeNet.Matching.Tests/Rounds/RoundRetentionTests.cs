using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Rounds;
using TradeNet.Matching.Storage.Sqlite;
using TradeNet.Shared.Storage.Sqlite;

namespace TradeNet.Matching.Tests.Rounds;

public sealed class RoundRetentionTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("tradenet-rounds-");
    private string DbPath => Path.Combine(_dir.FullName, "matching.db");

    [Fact]
    public async Task Without_a_retention_every_round_is_kept()
    {
        var (store, clock) = await StoreWithRoundsAsync();
        var retention = new RoundRetention(store, Options.Create(new MatchingOptions()), clock, NullLogger<RoundRetention>.Instance);

        Assert.Equal(0, await retention.SweepAsync(CancellationToken.None));
        Assert.Equal(3, (await store.RoundsAsync(10)).Count);
    }

    [Fact]
    public async Task With_a_retention_of_30_days_the_sweep_deletes_only_rounds_started_before_it()
    {
        var (store, clock) = await StoreWithRoundsAsync();
        var retention = new RoundRetention(store, Options.Create(new MatchingOptions { RoundRetention = TimeSpan.FromDays(30) }),
            clock, NullLogger<RoundRetention>.Instance);

        Assert.Equal(1, await retention.SweepAsync(CancellationToken.None));
        Assert.Equal([-1, -29], (await store.RoundsAsync(10)).Select(r => (int)Math.Round((r.StartedAt - clock.GetUtcNow()).TotalDays)));
    }

    [Theory]
    [InlineData("01:00:00")]
    [InlineData("23:59:59")]
    public async Task A_retention_under_a_day_stops_matching_at_start_naming_the_setting(string retention)
    {
        var failure = await MatchingStart.FailureWithAsync(_dir.FullName, "Matching:RoundRetention", retention);

        Assert.Contains("Matching:RoundRetention must be at least 24 hours", failure.Message);
    }

    private async Task<(SqliteMatchingStore Store, FakeTimeProvider Clock)> StoreWithRoundsAsync()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        var store = new SqliteMatchingStore(DbPath);
        await using var session = await store.BeginAsync();
        foreach (var days in new[] { -31, -29, -1 })
            await session.InsertRoundAsync(new ClearingRound(Guid.NewGuid(), clock.GetUtcNow().AddDays(days), 12, 40, 0, 0, "completed",
                "schedule", [], "engine", 0, 0, null));
        await session.CommitAsync();
        return (store, clock);
    }

    public void Dispose()
    {
        SqliteDatabase.ClearPool(DbPath);
        _dir.Delete(recursive: true);
    }
}
