using Microsoft.Data.Sqlite;
using TradeNet.Catalog.Domain;
using TradeNet.Catalog.Storage;
using TradeNet.Catalog.Storage.Sqlite;
using TradeNet.Shared.Storage.Sqlite;

namespace TradeNet.Catalog.Tests.Storage;

/// <summary>Anyone may list the listings with any mix of filters: each is read from SQLite's own plan, so a filter that
/// would walk every listing ever published, or sort all of one status, fails here (docs/operations.md).</summary>
public sealed class ListingQueryPlanTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("catalog-plan-").FullName;

    private string Path => System.IO.Path.Combine(_dir, "catalog.db");

    public void Dispose()
    {
        SqliteDatabase.ClearPool(Path);
        Directory.Delete(_dir, recursive: true);
    }

    public static TheoryData<string?, string?, string?, string?, bool> Filters()
    {
        var data = new TheoryData<string?, string?, string?, string?, bool>();
        foreach (var town in new[] { null, "roanne" })
        foreach (var kind in new[] { null, "offer" })
        foreach (var category in new[] { null, "eggs" })
        foreach (var status in ListingStatuses.All.Prepend(null))
        foreach (var later in new[] { false, true })
            data.Add(town, kind, category, status, later);
        return data;
    }

    [Theory]
    [MemberData(nameof(Filters))]
    public void Every_filter_is_read_along_an_index_in_the_lists_order(string? town, string? kind, string? category, string? status, bool laterPage)
    {
        _ = new SqliteCatalogStore(Path);
        var after = laterPage ? new ListingCursor(DateTimeOffset.UnixEpoch, "l1") : null;
        var query = new ListingQuery(town, kind, category, status, After: after, Limit: 200, At: DateTimeOffset.UnixEpoch);

        var plan = Plan(query);

        Assert.StartsWith("SEARCH listings USING INDEX ix_listings_", plan.Replace("SCAN listings USING INDEX ix_listings_created", "SEARCH listings USING INDEX ix_listings_created"));
        if (status == ListingStatuses.Active && town is null)
            // The open listings alone, by their window's end: no more than are open now are sorted, never the ended history.
            Assert.Equal("SEARCH listings USING INDEX ix_listings_status_until (status=?)\nUSE TEMP B-TREE FOR ORDER BY", plan);
        else
            Assert.DoesNotContain("TEMP B-TREE", plan);
        // In order and unsorted is not enough: ix_listings_created is both, and walks every listing for a category nobody
        // lists. The index searched must hold the filter sent (a town's first, as the most selective).
        var searchedBy = town is not null ? "town_id=?" : status == ListingStatuses.Active ? "status=?"
            : category is not null ? "category=?" : status is not null ? "status=?" : null;
        if (searchedBy is not null)
            Assert.Contains(searchedBy, plan.Split('\n')[0]);
    }

    [Fact]
    public void A_category_in_a_status_is_read_along_both_so_a_rare_pair_is_not_walked_through_either_history()
    {
        _ = new SqliteCatalogStore(Path);

        var plan = Plan(new ListingQuery(Category: "eggs", Status: ListingStatuses.Withdrawn, Limit: 200));

        Assert.Equal("SEARCH listings USING INDEX ix_listings_status_category_created (status=? AND category=?)", plan);
    }

    [Theory]
    [InlineData(SqliteCatalogSession.CountOpenListingsSql)]
    [InlineData(SqliteCatalogSession.OpenListingsSql)]
    public void A_towns_open_listings_checked_on_every_publish_are_read_along_the_towns_index_not_every_towns_status(string sql)
    {
        // The status indexes hold every town's ended listings (stored active): walking them made each publish slower as
        // the network's history grew (23-36 ms at 200,000 listings, against 0.05 ms along the town's index).
        _ = new SqliteCatalogStore(Path);

        var plan = Plan(sql, [("$town", "roanne"), ("$active", ListingStatuses.Active), ("$now", "2026-01-01T00:00:00.0000000+00:00")]);

        Assert.Equal("SEARCH listings USING INDEX ix_listings_town_created (town_id=?)", plan);
    }

    [Fact]
    public void A_file_an_earlier_release_wrote_gets_the_lists_indexes_at_its_next_start()
    {
        using (var connection = Open())
        {
            Execute(connection, """
                CREATE TABLE listings (id TEXT PRIMARY KEY, town_id TEXT NOT NULL, kind TEXT NOT NULL, category TEXT NOT NULL,
                    quantity REAL NOT NULL, reserved REAL NOT NULL, fulfilled REAL NOT NULL, min_lot REAL NOT NULL,
                    attributes TEXT NOT NULL, requires TEXT NOT NULL, available_from TEXT NULL, available_until TEXT NULL,
                    max_distance_km REAL NULL, status TEXT NOT NULL, version INTEGER NOT NULL, created_at TEXT NOT NULL);
                CREATE INDEX ix_listings_town ON listings(town_id);
                INSERT INTO listings VALUES ('l1', 'roanne', 'offer', 'eggs', 1, 0, 0, 0, '{}', '[]', NULL, NULL, NULL,
                    'active', 1, '2026-01-01T00:00:00.0000000+00:00');
                """);
        }
        SqliteDatabase.ClearPool(Path);

        _ = new SqliteCatalogStore(Path);

        using var reopened = Open();
        using var command = reopened.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'listings' AND name LIKE 'ix_%'";
        using var reader = command.ExecuteReader();
        var indexes = new List<string>();
        while (reader.Read()) indexes.Add(reader.GetString(0));
        Assert.Superset(new HashSet<string> { "ix_listings_town_created", "ix_listings_category_created", "ix_listings_status_created",
            "ix_listings_status_category_created", "ix_listings_created", "ix_listings_status_until" }, indexes.ToHashSet());
        Assert.DoesNotContain("ix_listings_town", indexes);
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={Path};Pooling=False");
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private string Plan(ListingQuery query)
    {
        var (sql, parameters) = SqliteCatalogStore.ListingsSql(query);
        return Plan(sql, parameters);
    }

    private string Plan(string sql, (string, object?)[] parameters)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        using var reader = command.ExecuteReader();
        var lines = new List<string>();
        while (reader.Read()) lines.Add(reader.GetString(3));
        return string.Join("\n", lines);
    }
}
