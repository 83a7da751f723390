using System.Text.Json;
using Microsoft.Data.Sqlite;
using TradeNet.Contracts;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Storage.Sqlite;
using TradeNet.Shared.Storage.Sqlite;
using TradeNet.Testing;

namespace TradeNet.Matching.Tests.Storage;

public sealed class SqliteUpgradeTests : IDisposable
{
    private readonly TestSettings _settings = new();

    public void Dispose()
    {
        SqliteDatabase.ClearPool(Path);
        _settings.Dispose();
    }

    private string Path => System.IO.Path.Combine(_settings.DataDir, "matching.db");

    /// <summary>The trades table as releases before agreed_at made it, holding one agreed trade.</summary>
    private Trade OldFileWithAnAgreedTrade()
    {
        Directory.CreateDirectory(_settings.DataDir);
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var leg = new TradeLegState(new TradeLeg(0, "roanne", "riorges", "o1", "n1", "cheese", 4.5, 54, 4.95,
            new TradePoint(46.03, 4.06), new TradePoint(46.04, 4.04), null, null), LegResponse.Accepted, now);
        var trade = new Trade(Guid.NewGuid(), Guid.NewGuid(), TradeStatus.Agreed, [leg], now.AddDays(1), now, Version: 2);
        var doc = JsonSerializer.Serialize(trade, SqliteMatchingStore.Json);
        using var connection = new SqliteConnection($"Data Source={Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            CREATE TABLE trades (id TEXT PRIMARY KEY, round_id TEXT NOT NULL, status TEXT NOT NULL, deadline INTEGER NOT NULL,
                created_at INTEGER NOT NULL, version INTEGER NOT NULL, doc TEXT NOT NULL);
            INSERT INTO trades VALUES ($id, $round, 'agreed', $deadline, $created, 2, json_remove($doc, '$.agreedAt'));
            """;
        command.Parameters.AddWithValue("$id", trade.Id.ToString());
        command.Parameters.AddWithValue("$round", trade.RoundId.ToString());
        command.Parameters.AddWithValue("$deadline", trade.Deadline.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$created", trade.CreatedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$doc", doc);
        command.ExecuteNonQuery();
        return trade;
    }

    [Fact]
    public async Task A_file_from_before_agreed_at_is_upgraded_its_agreed_trades_reading_null_and_new_agreements_recorded()
    {
        var old = OldFileWithAnAgreedTrade();

        var store = new SqliteMatchingStore(Path);
        _ = new SqliteMatchingStore(Path); // a second start finds the column there

        var read = await store.GetTradeAsync(old.Id);
        Assert.Equal((TradeStatus.Agreed, 2L, (DateTimeOffset?)null), (read!.Status, read.Version, read.AgreedAt));
        var at = old.CreatedAt.AddMinutes(5);
        await using (var session = await store.BeginAsync())
        {
            Assert.True(await session.UpdateTradeAsync(read with { AgreedAt = at }));
            await session.CommitAsync();
        }
        Assert.Equal(at, (await store.GetTradeAsync(old.Id))!.AgreedAt);
    }

    [Fact]
    public async Task A_book_from_before_the_live_index_gets_its_columns_from_each_snapshot_so_rounds_read_only_the_live_listings()
    {
        Directory.CreateDirectory(_settings.DataDir);
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        ListingSnapshot Listing(string id) => new(id, "roanne", "offer", "cheese", "kg", 12, 1, 30, 25, 2, [], [], null, null,
            now.AddDays(3), 46.03, 4.06, 3);
        using (var connection = new SqliteConnection($"Data Source={Path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE book (id TEXT PRIMARY KEY, town_id TEXT NOT NULL, version INTEGER NOT NULL, withdrawn INTEGER NOT NULL, listing TEXT NULL);
                CREATE INDEX ix_book_open ON book(withdrawn);
                INSERT INTO book VALUES ('live', 'roanne', 3, 0, $live), ('exhausted', 'roanne', 3, 0, $exhausted),
                    ('ended', 'roanne', 3, 0, $ended), ('no-end', 'roanne', 3, 0, $noEnd), ('tombstone', 'roanne', 3, 1, NULL);
                """;
            // Written in another zone than UTC and below the millisecond, as catalog may announce a window's end.
            var endsSoon = now.AddMilliseconds(1).AddTicks(3).ToOffset(TimeSpan.FromHours(2));
            command.Parameters.AddWithValue("$live", JsonSerializer.Serialize(Listing("live") with { AvailableUntil = endsSoon }, SqliteMatchingStore.Json));
            command.Parameters.AddWithValue("$exhausted", JsonSerializer.Serialize(Listing("exhausted") with { Remaining = 0 }, SqliteMatchingStore.Json));
            command.Parameters.AddWithValue("$ended", JsonSerializer.Serialize(Listing("ended") with { AvailableUntil = now.AddMinutes(-1) }, SqliteMatchingStore.Json));
            command.Parameters.AddWithValue("$noEnd", JsonSerializer.Serialize(Listing("no-end") with { AvailableUntil = null }, SqliteMatchingStore.Json));
            command.ExecuteNonQuery();
        }

        var store = new SqliteMatchingStore(Path);
        _ = new SqliteMatchingStore(Path); // a second start finds nothing to fill

        Assert.Equal(["live", "no-end"], (await store.LiveListingsAsync(now.AddMilliseconds(1))).Select(l => l.Id));
        Assert.Equal(["no-end"], (await store.LiveListingsAsync(now.AddMilliseconds(2))).Select(l => l.Id));
        Assert.Equal(["ended", "exhausted", "live", "no-end"], (await store.ListingsPageAsync(null, 10)).Select(l => l.Id));
        using var check = new SqliteConnection($"Data Source={Path};Pooling=False");
        check.Open();
        using var indexes = check.CreateCommand();
        indexes.CommandText = "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'book' AND name LIKE 'ix_%' ORDER BY name)";
        Assert.Equal("ix_book_live", indexes.ExecuteScalar());
    }
}
