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
}
