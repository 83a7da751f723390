using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Storage;
using TradeNet.Matching.Storage.Sqlite;
using TradeNet.Matching.Trades;
using TradeNet.Shared.Storage.Sqlite;
using static TradeNet.Matching.Tests.Storage.UnagreedTrades;

namespace TradeNet.Matching.Tests.Trades;

public sealed class UnagreedTradeRetentionTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("tradenet-unagreed-");
    private string DbPath => Path.Combine(_dir.FullName, "matching.db");

    [Fact]
    public async Task Without_a_retention_every_trade_is_kept()
    {
        var (store, clock, _) = await StoreWithCancelledProposalsAsync();
        var retention = new UnagreedTradeRetention(store, Options.Create(new MatchingOptions()), clock, NullLogger<UnagreedTradeRetention>.Instance);

        Assert.Equal(0, await retention.SweepAsync(CancellationToken.None));
        Assert.Equal(3, (await store.TradesAsync(new TradeQuery(Status: TradeStatus.Cancelled))).Count);
    }

    [Fact]
    public async Task With_a_retention_of_7_days_the_sweep_deletes_the_proposals_cancelled_before_it()
    {
        var (store, clock, trades) = await StoreWithCancelledProposalsAsync();
        var retention = new UnagreedTradeRetention(store, Options.Create(new MatchingOptions { UnagreedTradeRetention = TimeSpan.FromDays(7) }),
            clock, NullLogger<UnagreedTradeRetention>.Instance);

        Assert.Equal(2, await retention.SweepAsync(CancellationToken.None));
        Assert.Equal(trades[2].Id, Assert.Single(await store.TradesAsync(new TradeQuery(Status: TradeStatus.Cancelled))).Id);
    }

    [Theory]
    [InlineData("01:00:00")]
    [InlineData("23:59:59")]
    public async Task A_retention_under_a_day_stops_matching_at_start_naming_the_setting(string retention)
    {
        var failure = await MatchingStart.FailureWithAsync(_dir.FullName, "Matching:UnagreedTradeRetention", retention);

        Assert.Contains("Matching:UnagreedTradeRetention must be at least 24 hours", failure.Message);
    }

    /// <summary>Three proposals cancelled 9, 8 and 6 days ago, all created 10 days ago.</summary>
    private async Task<(SqliteMatchingStore Store, FakeTimeProvider Clock, Trade[] Trades)> StoreWithCancelledProposalsAsync()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        var now = clock.GetUtcNow();
        var store = new SqliteMatchingStore(DbPath);
        var trades = new List<Trade>();
        foreach (var days in new[] { -9, -8, -6 })
            trades.Add(await WriteAsync(store, Proposal(now.AddDays(-10)), t => Declined(t, now.AddDays(days))));
        return (store, clock, trades.ToArray());
    }

    public void Dispose()
    {
        SqliteDatabase.ClearPool(DbPath);
        _dir.Delete(recursive: true);
    }
}
