using System.Text.Json;
using Microsoft.Data.Sqlite;
using TradeNet.Contracts;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Storage;
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
    public async Task A_file_from_before_the_unagreed_retention_gets_its_column_and_index_and_keeps_an_earlier_releases_agreed_trade_cancelled_since()
    {
        var old = OldFileWithAnAgreedTrade();

        var store = new SqliteMatchingStore(Path);
        _ = new SqliteMatchingStore(Path); // a second start finds the column and the index there

        // Agreed by a release that recorded no agreement time, cancelled by this one: it left Agreed, so it stays.
        var agreed = (await store.GetTradeAsync(old.Id))!;
        var proposal = UnagreedTrades.Proposal(old.CreatedAt);
        await using (var session = await store.BeginAsync())
        {
            Assert.True(await session.UpdateTradeAsync(agreed.Cancel("cancelled by operator ops: gone", old.CreatedAt.AddHours(1))));
            await session.InsertTradeAsync(proposal);
            Assert.True(await session.UpdateTradeAsync(proposal.Cancel("expired", old.CreatedAt.AddHours(1))));
            await session.CommitAsync();
        }

        Assert.Equal(1, await store.ForgetUnagreedTradesAsync(old.CreatedAt.AddDays(30), 10));
        Assert.Equal(TradeStatus.Cancelled, (await store.GetTradeAsync(old.Id))?.Status);
        Assert.Null(await store.GetTradeAsync(proposal.Id));
        using var check = new SqliteConnection($"Data Source={Path};Pooling=False");
        check.Open();
        using var index = check.CreateCommand();
        index.CommandText = "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'ix_trades_unagreed_cancelled'";
        Assert.EndsWith("ON trades(unagreed_cancelled_at) WHERE unagreed_cancelled_at IS NOT NULL", index.ExecuteScalar() as string);
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
        // ix_book_changed: the rows saved since a book version; those of the earlier release carry no mark.
        Assert.Equal("ix_book_changed,ix_book_live", indexes.ExecuteScalar());
        Assert.Empty((await store.ListingsSavedSinceAsync(0))!);
    }

    [Fact]
    public async Task A_file_from_before_the_towns_kept_the_trades_status_lists_each_towns_trades_as_before_and_follows_later_changes()
    {
        Directory.CreateDirectory(_settings.DataDir);
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        // Several per minute, as a round's trades share their time; statuses mixed.
        var trades = Enumerable.Range(0, 24).Select(i => Made(now, "roanne", (i % 3) switch { 0 => "lyon", 1 => "riorges", _ => "vichy" }, i / 5,
            (i % 4) switch { 0 => TradeStatus.Proposed, 1 => TradeStatus.Cancelled, 2 => TradeStatus.Agreed, _ => TradeStatus.Completed })).ToList();
        OldTradeTables(trades);
        var middle = trades.OrderByDescending(t => t.CreatedAt).ThenBy(t => t.Id.ToString(), StringComparer.Ordinal).ElementAt(9);
        var queries = new List<TradeQuery>();
        foreach (var status in Enum.GetValues<TradeStatus>().Select(s => (TradeStatus?)s).Prepend(null))
        {
            queries.Add(new TradeQuery("roanne", status));
            queries.Add(new TradeQuery("roanne", status, Limit: 3, After: (middle.CreatedAt, middle.Id)));
            queries.Add(new TradeQuery("lyon", status, WithTown: "roanne"));
        }
        // What the release before answered, by its own query on its own file.
        var before = queries.Select(q => PreviousReleaseTrades(q)).ToList();

        var store = new SqliteMatchingStore(Path);
        _ = new SqliteMatchingStore(Path); // a second start finds the columns filled and the indexes there

        for (var i = 0; i < queries.Count; i++)
        {
            Assert.NotEmpty(before[i]);
            Assert.Equal(before[i], (await store.TradesAsync(queries[i])).Select(t => t.Id));
        }
        var proposed = trades.First(t => t.Status == TradeStatus.Proposed && t.Involves("lyon"));
        await using (var session = await store.BeginAsync())
        {
            Assert.True(await session.UpdateTradeAsync(proposed.Cancel("expired", DateTimeOffset.UtcNow)));
            await session.CommitAsync();
        }
        Assert.DoesNotContain(proposed.Id, (await store.TradesAsync(new TradeQuery("lyon", TradeStatus.Proposed))).Select(t => t.Id));
        Assert.Contains(proposed.Id, (await store.TradesAsync(new TradeQuery("roanne", TradeStatus.Cancelled))).Select(t => t.Id));
        // The pairs filled in from the earlier release's rows follow the change too.
        Assert.DoesNotContain(proposed.Id, (await store.TradesAsync(new TradeQuery("roanne", TradeStatus.Proposed, WithTown: "lyon"))).Select(t => t.Id));
        Assert.Contains(proposed.Id, (await store.TradesAsync(new TradeQuery("lyon", TradeStatus.Cancelled, WithTown: "roanne"))).Select(t => t.Id));
        using var check = new SqliteConnection($"Data Source={Path};Pooling=False");
        check.Open();
        using var indexes = check.CreateCommand();
        indexes.CommandText = "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'trade_towns' AND name LIKE 'ix_%' ORDER BY name)";
        Assert.Equal("ix_trade_towns_created,ix_trade_towns_status_created", indexes.ExecuteScalar());
        indexes.CommandText = "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'trade_town_pairs' AND name LIKE 'ix_%' ORDER BY name)";
        Assert.Equal("ix_trade_town_pairs_created,ix_trade_town_pairs_status_created", indexes.ExecuteScalar());
        // One row per pair of towns of each trade, as this release writes them: two towns, one pair.
        indexes.CommandText = "SELECT COUNT(*) FROM trade_town_pairs";
        Assert.Equal((long)trades.Count, indexes.ExecuteScalar());
    }

    /// <summary>The trade tables as the release before the towns' status copies made them, holding <paramref name="trades"/>.</summary>
    private void OldTradeTables(IEnumerable<Trade> trades)
    {
        using var connection = new SqliteConnection($"Data Source={Path};Pooling=False");
        connection.Open();
        using var create = connection.CreateCommand();
        // The trade tables as the release before made them.
        create.CommandText = """
            CREATE TABLE trades (id TEXT PRIMARY KEY, round_id TEXT NOT NULL, status TEXT NOT NULL, deadline INTEGER NOT NULL,
                created_at INTEGER NOT NULL, version INTEGER NOT NULL, doc TEXT NOT NULL, agreed_at INTEGER NULL);
            CREATE INDEX ix_trades_status_deadline ON trades(status, deadline);
            CREATE INDEX ix_trades_created ON trades(created_at);
            CREATE INDEX ix_trades_status_created ON trades(status, created_at);
            CREATE TABLE trade_towns (trade_id TEXT NOT NULL REFERENCES trades(id), town_id TEXT NOT NULL, PRIMARY KEY (trade_id, town_id));
            CREATE INDEX ix_trade_towns_town ON trade_towns(town_id);
            CREATE TABLE trade_listings (trade_id TEXT NOT NULL REFERENCES trades(id), listing_id TEXT NOT NULL, PRIMARY KEY (trade_id, listing_id));
            CREATE INDEX ix_trade_listings_listing ON trade_listings(listing_id);
            """;
        create.ExecuteNonQuery();
        foreach (var trade in trades)
        {
            InsertAsAnOlderRelease(connection, trade, """
                INSERT INTO trades VALUES ($id, $round, $status, $deadline, $created, 1, $doc, NULL);
                INSERT INTO trade_towns SELECT $id, value FROM json_each($towns);
                INSERT INTO trade_listings SELECT $id, value FROM json_each($listings);
                """);
        }
    }

    /// <summary>A trade written with an older release's own statements (<paramref name="sql"/>, its parameters the trade's).</summary>
    private static void InsertAsAnOlderRelease(SqliteConnection connection, Trade trade, string sql)
    {
        using var insert = connection.CreateCommand();
        insert.CommandText = sql;
        insert.Parameters.AddWithValue("$id", trade.Id.ToString());
        insert.Parameters.AddWithValue("$round", trade.RoundId.ToString());
        insert.Parameters.AddWithValue("$status", trade.Status.ToString().ToLowerInvariant());
        insert.Parameters.AddWithValue("$deadline", trade.Deadline.ToUnixTimeMilliseconds());
        insert.Parameters.AddWithValue("$created", trade.CreatedAt.ToUnixTimeMilliseconds());
        insert.Parameters.AddWithValue("$doc", JsonSerializer.Serialize(trade, SqliteMatchingStore.Json));
        insert.Parameters.AddWithValue("$towns", JsonSerializer.Serialize(trade.Towns.ToArray()));
        insert.Parameters.AddWithValue("$listings", JsonSerializer.Serialize(trade.ListingIds.ToArray()));
        insert.ExecuteNonQuery();
    }

    private static Trade Made(DateTimeOffset now, string a, string b, int minutesAgo, TradeStatus status)
    {
        TradeLegState Leg(int index, string from, string to) => new(new TradeLeg(index, from, to, $"{from}-o", $"{to}-n", "cheese", 4.5, 54,
            4.95, new TradePoint(46.03, 4.06), new TradePoint(46.04, 4.04), null, null));
        var at = now.AddMinutes(-minutesAgo);
        return new Trade(Guid.NewGuid(), Guid.NewGuid(), status, [Leg(0, a, b), Leg(1, b, a)], at.AddDays(1), at, Version: 1);
    }

    [Fact]
    public async Task A_file_from_before_the_listings_kept_the_trades_status_reads_each_listings_trades_by_status_as_before_and_follows_later_changes()
    {
        Directory.CreateDirectory(_settings.DataDir);
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var statuses = Enum.GetValues<TradeStatus>();
        var trades = Enumerable.Range(0, 24).Select(i => Made(now, "roanne", (i % 3) switch { 0 => "lyon", 1 => "riorges", _ => "vichy" }, i / 5,
            statuses[i % statuses.Length])).ToList();
        OldTradeTables(trades);
        var listings = trades.SelectMany(t => t.ListingIds).Distinct(StringComparer.Ordinal).ToList();
        List<Guid> Expected(string listing, TradeStatus status) => trades.Where(t => t.Status == status && t.ListingIds.Contains(listing))
            .OrderBy(t => t.CreatedAt).ThenBy(t => t.Id.ToString(), StringComparer.Ordinal).Select(t => t.Id).ToList();

        var store = new SqliteMatchingStore(Path);
        _ = new SqliteMatchingStore(Path); // a second start finds the column filled and the index there

        foreach (var status in statuses)
        {
            var read = await store.TradesUsingListingsAsync(listings, status);
            foreach (var listing in listings)
                Assert.Equal(Expected(listing, status), read.GetValueOrDefault(listing, []).Select(t => t.Id));
        }
        var proposed = trades.First(t => t.Status == TradeStatus.Proposed && t.Involves("lyon"));
        await using (var session = await store.BeginAsync())
        {
            Assert.True(await session.UpdateTradeAsync(proposed.Cancel("expired", DateTimeOffset.UtcNow)));
            await session.CommitAsync();
        }
        await using (var session = await store.BeginAsync())
            Assert.DoesNotContain(proposed.Id, (await session.TradesUsingListingAsync("lyon-o", TradeStatus.Proposed)).Select(t => t.Id));
        Assert.Contains(proposed.Id, (await store.TradesUsingListingsAsync(["lyon-o"], TradeStatus.Cancelled))["lyon-o"].Select(t => t.Id));
        using var check = new SqliteConnection($"Data Source={Path};Pooling=False");
        check.Open();
        using var indexes = check.CreateCommand();
        indexes.CommandText = "SELECT group_concat(name, ',') FROM sqlite_master WHERE type = 'index' AND tbl_name = 'trade_listings' AND name LIKE 'ix_%'";
        Assert.Equal("ix_trade_listings_status", indexes.ExecuteScalar());
    }

    /// <summary>Going back is not supported (docs/operations.md, "Upgrading"), but an operator may do it: an older release
    /// started on an upgraded file makes its own indexes again and writes trades without the copies of their status this
    /// release keeps. Upgraded again, the file listed an agreed trade among Roanne's proposals (found by the 6 Dec drill,
    /// b017d16 on a folder today's host had opened): the copies were filled once, at the first upgrade, and never again.</summary>
    [Fact]
    public async Task A_file_an_older_release_wrote_again_after_the_upgrade_lists_each_trade_by_its_status_once_upgraded_again()
    {
        Directory.CreateDirectory(_settings.DataDir);
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var trades = Enumerable.Range(0, 6).Select(i => Made(now, "roanne", i % 2 == 0 ? "lyon" : "riorges", i, TradeStatus.Proposed)).ToList();
        OldTradeTables(trades);
        _ = new SqliteMatchingStore(Path); // the upgrade
        SqliteDatabase.ClearPool(Path);

        // Then the older release again: one proposal agreed, one cancelled, one new trade proposed.
        var agreed = trades[0] with { Status = TradeStatus.Agreed, Version = 2 };
        var cancelled = trades[1].Cancel("expired", now);
        var made = Made(now, "roanne", "vichy", 0, TradeStatus.Proposed);
        OlderReleaseAgain([agreed, cancelled], made);
        var store = new SqliteMatchingStore(Path);
        async Task<IEnumerable<Guid>> Trades(string town, TradeStatus status, string? with = null) =>
            (await store.TradesAsync(new TradeQuery(town, status, WithTown: with))).Select(t => t.Id);

        Assert.Contains(agreed.Id, await Trades("roanne", TradeStatus.Agreed));
        Assert.DoesNotContain(agreed.Id, await Trades("roanne", TradeStatus.Proposed));
        Assert.Contains(agreed.Id, await Trades("lyon", TradeStatus.Agreed, with: "roanne"));
        Assert.Contains(cancelled.Id, await Trades("riorges", TradeStatus.Cancelled));
        Assert.Contains(cancelled.Id, await Trades("roanne", TradeStatus.Cancelled, with: "riorges"));
        Assert.Contains(made.Id, await Trades("vichy", TradeStatus.Proposed));
        Assert.Contains(made.Id, await Trades("roanne", TradeStatus.Proposed, with: "vichy"));
        var byListing = await store.TradesUsingListingsAsync(["lyon-o", "vichy-o"], TradeStatus.Proposed);
        Assert.DoesNotContain(agreed.Id, byListing.GetValueOrDefault("lyon-o", []).Select(t => t.Id));
        Assert.Contains(made.Id, byListing.GetValueOrDefault("vichy-o", []).Select(t => t.Id));
        using var check = new SqliteConnection($"Data Source={Path};Pooling=False");
        check.Open();
        using var indexes = check.CreateCommand();
        indexes.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name IN ('ix_trade_towns_town', 'ix_trade_listings_listing')";
        Assert.Equal(0L, indexes.ExecuteScalar());
    }

    /// <summary>The book's copies of each listing's remaining quantity and end, likewise: an older release started on an
    /// upgraded file saves its listings without them, so a listing it restocked stayed out of every round once upgraded
    /// again, and one it sold out stayed in.</summary>
    [Fact]
    public async Task A_book_an_older_release_wrote_again_after_the_upgrade_gives_rounds_the_listings_live_in_its_snapshots()
    {
        Directory.CreateDirectory(_settings.DataDir);
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        ListingSnapshot Listing(string id, double remaining) => new(id, "roanne", "offer", "cheese", "kg", 12, 1, 30, remaining, 2, [], [],
            null, null, now.AddDays(3), 46.03, 4.06, 3);
        void Save(SqliteConnection connection, string sql, params ListingSnapshot[] listings)
        {
            foreach (var listing in listings)
            {
                using var command = connection.CreateCommand();
                command.CommandText = sql;
                command.Parameters.AddWithValue("$id", listing.Id);
                command.Parameters.AddWithValue("$listing", JsonSerializer.Serialize(listing, SqliteMatchingStore.Json));
                command.ExecuteNonQuery();
            }
        }
        using (var connection = new SqliteConnection($"Data Source={Path};Pooling=False"))
        {
            connection.Open();
            using var create = connection.CreateCommand();
            create.CommandText = """
                CREATE TABLE book (id TEXT PRIMARY KEY, town_id TEXT NOT NULL, version INTEGER NOT NULL, withdrawn INTEGER NOT NULL, listing TEXT NULL);
                CREATE INDEX ix_book_open ON book(withdrawn);
                """;
            create.ExecuteNonQuery();
            Save(connection, "INSERT INTO book VALUES ($id, 'roanne', 3, 0, $listing)", Listing("restocked", 0), Listing("sold", 25));
        }
        _ = new SqliteMatchingStore(Path); // the upgrade
        SqliteDatabase.ClearPool(Path);
        using (var connection = new SqliteConnection($"Data Source={Path};Pooling=False"))
        {
            // b017d16 again: its schema text, then its SqliteMatchingSession.SaveListingAsync.
            connection.Open();
            using var schema = connection.CreateCommand();
            schema.CommandText = "CREATE INDEX IF NOT EXISTS ix_book_open ON book(withdrawn)";
            schema.ExecuteNonQuery();
            Save(connection, """
                INSERT INTO book(id, town_id, version, withdrawn, listing) VALUES ($id, 'roanne', 4, 0, $listing)
                ON CONFLICT(id) DO UPDATE SET town_id = 'roanne', version = 4, withdrawn = 0, listing = $listing
                """, Listing("restocked", 30), Listing("sold", 0), Listing("new", 10));
        }

        var store = new SqliteMatchingStore(Path);

        Assert.Equal(["new", "restocked"], (await store.LiveListingsAsync(now)).Select(l => l.Id));
    }

    /// <summary>What the release of b017d16 (5 Dec) does on a file: its schema text makes its indexes again (the lines
    /// of its SqliteMatchingStore that this release drops), and its SqliteMatchingSession changes and adds trades with
    /// these statements, knowing nothing of the status copies.</summary>
    private void OlderReleaseAgain(IEnumerable<Trade> changed, Trade added)
    {
        using var connection = new SqliteConnection($"Data Source={Path};Pooling=False");
        connection.Open();
        using var schema = connection.CreateCommand();
        schema.CommandText = """
            CREATE INDEX IF NOT EXISTS ix_trade_towns_town ON trade_towns(town_id);
            CREATE INDEX IF NOT EXISTS ix_trade_listings_listing ON trade_listings(listing_id);
            """;
        schema.ExecuteNonQuery();
        foreach (var trade in changed)
        {
            using var update = connection.CreateCommand();
            update.CommandText = "UPDATE trades SET status = $status, deadline = $deadline, version = $next, doc = $doc WHERE id = $id AND version = $expected";
            update.Parameters.AddWithValue("$id", trade.Id.ToString());
            update.Parameters.AddWithValue("$status", trade.Status.ToString().ToLowerInvariant());
            update.Parameters.AddWithValue("$deadline", trade.Deadline.ToUnixTimeMilliseconds());
            update.Parameters.AddWithValue("$next", trade.Version);
            update.Parameters.AddWithValue("$expected", 1);
            update.Parameters.AddWithValue("$doc", JsonSerializer.Serialize(trade, SqliteMatchingStore.Json));
            Assert.Equal(1, update.ExecuteNonQuery());
        }
        InsertAsAnOlderRelease(connection, added, """
            INSERT INTO trades(id, round_id, status, deadline, created_at, version, doc) VALUES ($id, $round, $status, $deadline, $created, 1, $doc);
            INSERT INTO trade_towns(trade_id, town_id) SELECT $id, value FROM json_each($towns);
            INSERT INTO trade_listings(trade_id, listing_id) SELECT $id, value FROM json_each($listings);
            """);
    }

    /// <summary>The release before's query for a town's trades (each trade the town was ever in, then its status), run
    /// on the file as that release left it.</summary>
    private List<Guid> PreviousReleaseTrades(TradeQuery query)
    {
        using var connection = new SqliteConnection($"Data Source={Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        var where = new List<string>();
        for (var i = 0; i < query.Towns.Count; i++)
        {
            where.Add($"id IN (SELECT trade_id FROM trade_towns WHERE town_id = $town{i})");
            command.Parameters.AddWithValue($"$town{i}", query.Towns[i]);
        }
        if (query.Status is { } status)
        {
            where.Add("+status = $status");
            command.Parameters.AddWithValue("$status", status.ToString().ToLowerInvariant());
        }
        if (query.After is { } after)
        {
            where.Add("(created_at < $afterCreated OR (created_at = $afterCreated AND id > $afterId))");
            command.Parameters.AddWithValue("$afterCreated", after.CreatedAt.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$afterId", after.Id.ToString());
        }
        command.CommandText = "SELECT id FROM trades WHERE " + string.Join(" AND ", where) + " ORDER BY created_at DESC, id LIMIT $limit";
        command.Parameters.AddWithValue("$limit", query.Limit);
        using var reader = command.ExecuteReader();
        var ids = new List<Guid>();
        while (reader.Read()) ids.Add(Guid.Parse(reader.GetString(0)));
        return ids;
    }
}
