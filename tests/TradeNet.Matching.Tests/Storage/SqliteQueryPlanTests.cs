using Microsoft.Data.Sqlite;
using TradeNet.Matching.Storage.Sqlite;
using TradeNet.Shared.Storage.Sqlite;
using TradeNet.Testing;

namespace TradeNet.Matching.Tests.Storage;

/// <summary>The reads that run every round or on every list keep to an index as history grows: read from SQLite's own
/// plan, so a changed query or a dropped index that would walk months of trades or listings fails here.</summary>
public sealed class SqliteQueryPlanTests : IDisposable
{
    private readonly TestSettings _settings = new();

    public void Dispose()
    {
        SqliteDatabase.ClearPool(Path);
        _settings.Dispose();
    }

    private string Path => System.IO.Path.Combine(_settings.DataDir, "matching.db");

    [Fact]
    public void A_rounds_read_of_the_book_uses_the_live_index_rather_than_every_listing()
    {
        var plan = Plan(SqliteMatchingStore.LiveListingsSql, ("$now", 0L));

        Assert.Contains("USING INDEX ix_book_live (open_until>?)", plan);
    }

    [Fact]
    public void A_page_of_the_book_is_read_along_its_primary_key()
    {
        var plan = Plan(SqliteMatchingStore.ListingsPageSql, ("$after", ""), ("$limit", 500));

        Assert.Contains("sqlite_autoindex_book_1 (id>?)", plan);
        Assert.DoesNotContain("TEMP B-TREE", plan);
    }

    [Fact]
    public void The_trades_of_one_status_are_listed_newest_first_along_an_index_without_sorting_them_all()
    {
        var plan = Plan("SELECT doc FROM trades WHERE status = $status ORDER BY created_at DESC, id LIMIT 200", ("$status", "completed"));

        Assert.Contains("USING INDEX ix_trades_status_created (status=?)", plan);
        // At most trades created in the same millisecond are sorted by id ("RIGHT PART"): the order by time is the index's.
        Assert.DoesNotContain("TEMP B-TREE FOR ORDER BY", plan);
    }

    private string Plan(string sql, params (string Name, object Value)[] parameters)
    {
        _ = new SqliteMatchingStore(Path);
        using var connection = new SqliteConnection($"Data Source={Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        using var reader = command.ExecuteReader();
        var lines = new List<string>();
        while (reader.Read()) lines.Add(reader.GetString(3));
        return string.Join("\n", lines);
    }
}
