using Microsoft.Data.Sqlite;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Storage;
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
    public void The_listings_saved_since_a_book_version_are_read_along_their_mark_rather_than_the_whole_book()
    {
        var plan = Plan(SqliteMatchingStore.ListingsSavedSinceSql, ("$since", 0L));

        Assert.Contains("USING INDEX ix_book_changed (changed>?)", plan);
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

    [Theory]
    [InlineData(TradeStatus.Agreed)]
    [InlineData(TradeStatus.Completed)]
    [InlineData(TradeStatus.Cancelled)]
    public void A_rounds_read_of_the_last_days_agreed_or_completed_trades_walks_that_day_only_not_the_statuss_history(TradeStatus status)
    {
        // Completed trades are kept for good: months of them, of which a round (and every counterparts answer) wants the day's;
        // cancelled ones are most trades, and only those agreed first, in the day, are wanted.
        var plan = Plan(SqliteMatchingStore.TradesSql(new TradeQuery(Status: status, AgreedSince: DateTimeOffset.UnixEpoch, Limit: int.MaxValue)));

        Assert.Contains("USING INDEX ix_trades_status_agreed (status=? AND agreed_at>?)", plan);
    }

    [Fact]
    public void A_towns_trades_in_one_status_are_read_along_its_status_index_in_the_lists_order_without_its_history()
    {
        var plan = Plan(SqliteMatchingStore.TradesSql(new TradeQuery("roanne", TradeStatus.Proposed, 200)));

        Assert.StartsWith("SEARCH tt USING COVERING INDEX ix_trade_towns_status_created (town_id=? AND status=?)", plan);
        Assert.Contains("SEARCH t USING INDEX sqlite_autoindex_trades_1 (id=?)", plan);
        Assert.DoesNotContain("TEMP B-TREE", plan);
    }

    [Fact]
    public void A_towns_trades_and_a_later_page_of_them_start_at_their_place_in_the_towns_index()
    {
        var after = (DateTimeOffset.UnixEpoch, Guid.Empty);

        var all = Plan(SqliteMatchingStore.TradesSql(new TradeQuery("roanne", Limit: 200)));
        var laterPage = Plan(SqliteMatchingStore.TradesSql(new TradeQuery("roanne", Limit: 200, After: after)));
        var laterInStatus = Plan(SqliteMatchingStore.TradesSql(new TradeQuery("roanne", TradeStatus.Cancelled, 200, After: after)));

        Assert.StartsWith("SEARCH tt USING COVERING INDEX ix_trade_towns_created (town_id=?)", all);
        Assert.StartsWith("SEARCH tt USING COVERING INDEX ix_trade_towns_created (town_id=? AND created_at<?)", laterPage);
        Assert.StartsWith("SEARCH tt USING COVERING INDEX ix_trade_towns_status_created (town_id=? AND status=? AND created_at<?)", laterInStatus);
        Assert.All(new[] { all, laterPage, laterInStatus }, plan => Assert.DoesNotContain("TEMP B-TREE", plan));
    }

    [Fact]
    public void A_towns_trades_with_a_second_town_are_read_along_the_pairs_own_rows_rather_than_every_trade_of_the_first_town()
    {
        // A town asking ?town= about another: walking the first town's rows of the status and looking the second up in
        // each read its whole history when the two seldom trade together (375 → 97 ms for 1 in 150, docs/operations.md).
        var after = (DateTimeOffset.UnixEpoch, Guid.Empty);

        var inStatus = Plan(SqliteMatchingStore.TradesSql(new TradeQuery("roanne", TradeStatus.Cancelled, 200, WithTown: "lyon")));
        var all = Plan(SqliteMatchingStore.TradesSql(new TradeQuery("roanne", Limit: 200, WithTown: "lyon")));
        var laterInStatus = Plan(SqliteMatchingStore.TradesSql(new TradeQuery("roanne", TradeStatus.Cancelled, 200, After: after, WithTown: "lyon")));

        Assert.StartsWith("SEARCH tp USING COVERING INDEX ix_trade_town_pairs_status_created (town_id=? AND with_town_id=? AND status=?)", inStatus);
        Assert.StartsWith("SEARCH tp USING COVERING INDEX ix_trade_town_pairs_created (town_id=? AND with_town_id=?)", all);
        Assert.StartsWith("SEARCH tp USING COVERING INDEX ix_trade_town_pairs_status_created (town_id=? AND with_town_id=? AND status=? AND created_at<?)",
            laterInStatus);
        Assert.All(new[] { inStatus, all, laterInStatus }, plan =>
        {
            Assert.Contains("SEARCH t USING INDEX sqlite_autoindex_trades_1 (id=?)", plan);
            Assert.DoesNotContain("trade_towns", plan);
            Assert.DoesNotContain("TEMP B-TREE", plan);
        });
    }

    [Fact]
    public void A_towns_trades_using_a_listing_start_from_the_listings_trades_and_look_the_town_up_for_each()
    {
        var plan = Plan(SqliteMatchingStore.TradesSql(new TradeQuery("roanne", TradeStatus.Proposed, 200, ListingId: "o1")));

        Assert.Contains("SEARCH trade_listings USING COVERING INDEX ix_trade_listings_status (listing_id=?)", plan);
        Assert.Contains("SEARCH w0 EXISTS USING COVERING INDEX sqlite_autoindex_trade_towns_1 (trade_id=? AND town_id=?)", plan);
        Assert.DoesNotContain("ix_trade_towns_created", plan);
        Assert.DoesNotContain("ix_trade_towns_status_created", plan);
    }

    [Fact]
    public void A_listings_trades_in_one_status_are_read_along_its_status_index_without_the_listings_history()
    {
        // Every change or withdrawal of a listing (in matching's writer turn), each round's write and each page of the
        // book read these; a listing proposed in round after round gathers thousands of cancelled trades.
        var pageOfListings = Plan(SqliteMatchingStore.TradesOnListingsSql, ("$listings", "[]"), ("$status", "proposed"));
        var oneListing = Plan(SqliteMatchingSession.TradesUsingListingSql, ("$listing", "o1"), ("$status", "proposed"));

        Assert.Contains("USING COVERING INDEX ix_trade_listings_status (listing_id=? AND status=?)", pageOfListings);
        Assert.Contains("USING COVERING INDEX ix_trade_listings_status (listing_id=? AND status=?)", oneListing);
    }

    [Fact]
    public void The_unagreed_trade_retention_reads_its_batch_along_its_partial_index_in_its_order_without_the_other_trades()
    {
        var plan = Plan(SqliteMatchingStore.UnagreedTradesToForgetSql, ("$before", 0L), ("$max", 2000));

        Assert.StartsWith("SEARCH trades USING INDEX ix_trades_unagreed_cancelled (unagreed_cancelled_at<?)", plan);
        Assert.DoesNotContain("TEMP B-TREE", plan);
    }

    [Fact]
    public void The_unagreed_trade_retention_deletes_each_trades_index_rows_by_their_primary_key()
    {
        foreach (var table in SqliteMatchingStore.TradeIndexTables)
        {
            var plan = Plan($"DELETE FROM {table} WHERE trade_id IN (SELECT value FROM json_each($ids))", ("$ids", "[]"));

            Assert.Matches($"SEARCH {table} USING (COVERING )?INDEX sqlite_autoindex_{table}_1 \\(trade_id=\\?\\)", plan);
        }
        Assert.Matches(@"SEARCH trades USING (COVERING )?INDEX sqlite_autoindex_trades_1 \(id=\?\)",
            Plan("DELETE FROM trades WHERE id IN (SELECT value FROM json_each($ids))", ("$ids", "[]")));
    }

    private string Plan((string Sql, IReadOnlyList<(string Name, object Value)> Parameters) query) => Plan(query.Sql, query.Parameters.ToArray());

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
