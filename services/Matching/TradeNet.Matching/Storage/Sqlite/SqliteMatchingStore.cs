using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Data.Sqlite;
using TradeNet.Contracts;
using TradeNet.Matching.Domain;
using TradeNet.Shared.Storage.Sqlite;

namespace TradeNet.Matching.Storage.Sqlite;

/// <summary>The embedded default: one SQLite file, documents as JSON beside the columns the queries need.</summary>
public sealed class SqliteMatchingStore : IMatchingStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS book (
            id TEXT PRIMARY KEY,
            town_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            withdrawn INTEGER NOT NULL,
            listing TEXT NULL,
            remaining REAL NULL,
            open_until INTEGER NULL,
            changed INTEGER NULL);
        CREATE TABLE IF NOT EXISTS book_version (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            version INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS trades (
            id TEXT PRIMARY KEY,
            round_id TEXT NOT NULL,
            status TEXT NOT NULL,
            deadline INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            version INTEGER NOT NULL,
            doc TEXT NOT NULL,
            agreed_at INTEGER NULL,
            unagreed_cancelled_at INTEGER NULL);
        CREATE INDEX IF NOT EXISTS ix_trades_status_deadline ON trades(status, deadline);
        CREATE INDEX IF NOT EXISTS ix_trades_created ON trades(created_at);
        CREATE INDEX IF NOT EXISTS ix_trades_status_created ON trades(status, created_at);
        CREATE TABLE IF NOT EXISTS trade_towns (
            trade_id TEXT NOT NULL REFERENCES trades(id),
            town_id TEXT NOT NULL,
            status TEXT NULL,
            created_at INTEGER NULL,
            PRIMARY KEY (trade_id, town_id));
        CREATE TABLE IF NOT EXISTS trade_town_pairs (
            trade_id TEXT NOT NULL REFERENCES trades(id),
            town_id TEXT NOT NULL,
            with_town_id TEXT NOT NULL,
            status TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (trade_id, town_id, with_town_id));
        CREATE TABLE IF NOT EXISTS trade_listings (
            trade_id TEXT NOT NULL REFERENCES trades(id),
            listing_id TEXT NOT NULL,
            status TEXT NULL,
            PRIMARY KEY (trade_id, listing_id));
        CREATE TABLE IF NOT EXISTS rounds (
            id TEXT PRIMARY KEY,
            started_at INTEGER NOT NULL,
            doc TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_rounds_started ON rounds(started_at);
        """;

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public SqliteMatchingStore(string path)
    {
        Database = new SqliteDatabase(path, Schema);
        SqliteMatchingUpgrade.Run(Database);
    }

    public SqliteDatabase Database { get; }

    public async Task<IMatchingSession> BeginAsync(CancellationToken ct = default) =>
        new SqliteMatchingSession(await Database.BeginWriteAsync(ct));

    public async Task<bool> TryTakeLeaseAsync(string name, string holder, DateTimeOffset now, DateTimeOffset until, CancellationToken ct = default)
    {
        await using var scope = await Database.BeginWriteAsync(ct);
        var taken = await SqliteLeases.TryTakeAsync(scope, name, holder, now, until);
        await scope.CommitAsync(ct);
        return taken;
    }

    public async Task<bool> TryExtendLeaseAsync(string name, string holder, DateTimeOffset until, CancellationToken ct = default)
    {
        // The same conditional write a round makes inside its own transaction, here in one of its own.
        await using var session = await BeginAsync(ct);
        var extended = await session.ExtendLeaseAsync(name, holder, until, ct);
        await session.CommitAsync(ct);
        return extended;
    }

    public async Task ReleaseLeaseAsync(string name, string holder, CancellationToken ct = default)
    {
        await using var scope = await Database.BeginWriteAsync(ct);
        await scope.ExecuteAsync("DELETE FROM leases WHERE name = $name AND holder = $holder", ("$name", name), ("$holder", holder));
        await scope.CommitAsync(ct);
    }

    public async Task<long?> BookVersionAsync(CancellationToken ct = default)
    {
        await using var connection = Database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT version FROM book_version WHERE id = 1";
        return await command.ExecuteScalarAsync(ct) is long version ? version : 0;
    }

    public async Task<IReadOnlyList<BookListing>?> ListingsSavedSinceAsync(long since, CancellationToken ct = default)
    {
        await using var connection = Database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = ListingsSavedSinceSql;
        command.Parameters.AddWithValue("$since", since);
        var listings = new List<BookListing>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) listings.Add(ReadListing(reader));
        return listings;
    }

    /// <summary>Along ix_book_changed: the rows saved since, not the book.</summary>
    internal const string ListingsSavedSinceSql = "SELECT id, town_id, version, withdrawn, listing FROM book WHERE changed > $since";

    /// <summary>The live listings as the last live read parsed them, each with the stored JSON it was parsed from.</summary>
    private volatile Dictionary<string, (byte[] Json, ListingSnapshot Listing)> _lastLive = new(StringComparer.Ordinal);

    /// <summary>Parses again only the listings whose stored JSON changed since the last live read, and takes the others
    /// as they were parsed then: parsing was most of reading a 20,000-listing book (50–250 ms of it, the rows themselves
    /// ~25 ms; docs/benchmarks.md), on every round. Same JSON, same listing, whatever wrote it. Concurrent reads each keep
    /// what they read; the last to finish is the one remembered. Holds the live book's JSON and snapshots in memory.</summary>
    public async Task<IReadOnlyList<ListingSnapshot>> LiveListingsAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        var last = _lastLive;
        var read = new Dictionary<string, (byte[] Json, ListingSnapshot Listing)>(last.Count, StringComparer.Ordinal);
        var listings = new List<ListingSnapshot>(last.Count);
        await using (var connection = Database.Open())
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = LiveListingsSql;
            command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var (id, json) = (reader.GetString(0), reader.GetFieldValue<byte[]>(1));
                var parsed = last.TryGetValue(id, out var known) && known.Json.AsSpan().SequenceEqual(json)
                    ? known
                    : (Json: json, Listing: JsonSerializer.Deserialize<ListingSnapshot>(json, Json)!);
                read[id] = parsed;
                listings.Add(parsed.Listing);
            }
        }
        _lastLive = read;
        // open_until is rounded up to the millisecond: the exact end decides the last one.
        return listings.Where(l => l.AvailableUntil is null || l.AvailableUntil >= now).ToList();
    }

    public Task<IReadOnlyList<ListingSnapshot>> ListingsPageAsync(string? after, int limit, CancellationToken ct = default) =>
        ReadSnapshotsAsync(ListingsPageSql, ct, ("$after", after ?? ""), ("$limit", limit));

    /// <summary>What a round reads: ix_book_live holds only the listings with something remaining, so the history of
    /// exhausted listings is never walked, and the range on open_until leaves the ended ones out. The
    /// conditions repeat the index's own, which is what lets SQLite use a partial index.</summary>
    internal const string LiveListingsSql =
        "SELECT id, listing FROM book WHERE withdrawn = 0 AND remaining > 0 AND open_until >= $now ORDER BY id";

    /// <summary>A page by primary key: a page costs its own rows, not the book's.</summary>
    internal const string ListingsPageSql =
        "SELECT listing FROM book WHERE id > $after AND withdrawn = 0 AND listing IS NOT NULL ORDER BY id LIMIT $limit";

    private async Task<IReadOnlyList<ListingSnapshot>> ReadSnapshotsAsync(string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var connection = Database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        var listings = new List<ListingSnapshot>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            listings.Add(JsonSerializer.Deserialize<ListingSnapshot>(reader.GetString(0), Json)!);
        return listings;
    }

    /// <summary>book.open_until: the end of the listing's window in Unix milliseconds, rounded up so that the index never
    /// leaves out a listing whose exact end is still to come; no end is the largest value.</summary>
    internal static long OpenUntil(DateTimeOffset? availableUntil)
    {
        if (availableUntil is not { } until) return long.MaxValue;
        var ms = until.ToUnixTimeMilliseconds();
        return until.UtcTicks % TimeSpan.TicksPerMillisecond == 0 ? ms : ms + 1;
    }

    public async Task<BookListing?> GetListingAsync(string id, CancellationToken ct = default)
    {
        await using var connection = Database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = ListingSql;
        command.Parameters.AddWithValue("$id", id);
        return await ReadListingAsync(command, ct);
    }

    public async Task<Trade?> GetTradeAsync(Guid id, CancellationToken ct = default)
    {
        await using var connection = Database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = TradeSql;
        command.Parameters.AddWithValue("$id", id.ToString());
        return (await ReadTradesAsync(command, ct)).SingleOrDefault();
    }

    public async Task<IReadOnlyList<Trade>> TradesAsync(TradeQuery query, CancellationToken ct = default)
    {
        await using var connection = Database.Open();
        await using var command = connection.CreateCommand();
        var (sql, parameters) = TradesSql(query);
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return await ReadTradesAsync(command, ct);
    }

    /// <summary>What <see cref="TradesAsync"/> runs for <paramref name="query"/> (the plan tests read its plan).</summary>
    internal static (string Sql, IReadOnlyList<(string Name, object Value)> Parameters) TradesSql(TradeQuery query)
    {
        var where = new List<string>();
        var parameters = new List<(string Name, object Value)>();
        var towns = query.Towns;
        // A town's list (with a status or not) starts from its rows in trade_towns, along ix_trade_towns_status_created or
        // ix_trade_towns_created in the list's order, then each trade by primary key (CROSS JOIN keeps the loops in that
        // order): a page costs its own rows, not every trade the town was ever in. Two towns start from the pair's rows in
        // trade_town_pairs the same way, not from the first town's rows with the second looked up in each (which walked
        // the first town's history when the two seldom trade together). With a listing too, the listing's few trades are
        // the cheaper start: each of them is then looked up with the town by the pair's primary key.
        var byTown = towns.Count > 0 && query.ListingId is null;
        string from, created, id;
        if (byTown && towns.Count > 1)
        {
            (from, created, id) = ("trade_town_pairs tp CROSS JOIN trades t ON t.id = tp.trade_id", "tp.created_at", "tp.trade_id");
            // A pair is stored once, its lesser id first as SQLite orders text (min and max here order them the same way).
            where.Add("tp.town_id = min($town0, $town1) AND tp.with_town_id = max($town0, $town1)");
            parameters.Add(("$town0", towns[0]));
            parameters.Add(("$town1", towns[1]));
            if (query.Status is { } status)
            {
                where.Add("tp.status = $status");
                parameters.Add(("$status", StatusText(status)));
            }
        }
        else if (byTown)
        {
            (from, created, id) = ("trade_towns tt CROSS JOIN trades t ON t.id = tt.trade_id", "tt.created_at", "tt.trade_id");
            where.Add("tt.town_id = $town0");
            parameters.Add(("$town0", towns[0]));
            if (query.Status is { } status)
            {
                where.Add("tt.status = $status");
                parameters.Add(("$status", StatusText(status)));
            }
        }
        else
        {
            (from, created, id) = ("trades t", "t.created_at", "t.id");
            // Towns here come with a listing (see byTown).
            for (var i = 0; i < towns.Count; i++)
            {
                where.Add(WithTown(i));
                parameters.Add(($"$town{i}", towns[i]));
            }
            if (query.ListingId is not null)
            {
                where.Add("t.id IN (SELECT trade_id FROM trade_listings WHERE listing_id = $listing)");
                parameters.Add(("$listing", query.ListingId));
            }
            if (query.Status is { } status)
            {
                // With a listing, "+status" keeps SQLite on its few trades (by primary key) rather than walking
                // every trade in the status (every pending proposal) on ix_trades_status_deadline and testing each.
                where.Add(where.Count > 0 ? "+t.status = $status" : "t.status = $status");
                parameters.Add(("$status", StatusText(status)));
            }
        }
        if (query.DeadlineBefore is { } before)
        {
            where.Add("t.deadline <= $before");
            parameters.Add(("$before", before.ToUnixTimeMilliseconds()));
        }
        if (query.AgreedSince is { } since)
        {
            where.Add("t.agreed_at >= $agreedSince");
            parameters.Add(("$agreedSince", since.ToUnixTimeMilliseconds()));
        }
        if (query.After is { } after)
        {
            // The first term adds nothing to the answer; it bounds the index range, so a later page starts at its place
            // rather than walking the newer rows to it.
            where.Add($"{created} <= $afterCreated AND ({created} < $afterCreated OR ({created} = $afterCreated AND {id} > $afterId))");
            parameters.Add(("$afterCreated", after.CreatedAt.ToUnixTimeMilliseconds()));
            parameters.Add(("$afterId", after.Id.ToString()));
        }
        parameters.Add(("$limit", query.Limit));
        var sql = $"SELECT t.doc, t.version, t.agreed_at FROM {from}" + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "") +
                  $" ORDER BY {created} DESC, {id} LIMIT $limit";
        return (sql, parameters);

        static string WithTown(int i) => $"EXISTS (SELECT 1 FROM trade_towns w{i} WHERE w{i}.trade_id = t.id AND w{i}.town_id = $town{i})";
    }

    public async Task<ClearingRound?> GetRoundAsync(Guid id, CancellationToken ct = default)
    {
        await using var connection = Database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT doc FROM rounds WHERE id = $id";
        command.Parameters.AddWithValue("$id", id.ToString());
        return await command.ExecuteScalarAsync(ct) is string doc ? JsonSerializer.Deserialize<ClearingRound>(doc, Json) : null;
    }

    public async Task<IReadOnlyList<ClearingRound>> RoundsAsync(int limit, CancellationToken ct = default)
    {
        await using var connection = Database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT doc FROM rounds ORDER BY started_at DESC, id LIMIT $limit";
        command.Parameters.AddWithValue("$limit", limit);
        var rounds = new List<ClearingRound>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            rounds.Add(JsonSerializer.Deserialize<ClearingRound>(reader.GetString(0), Json)!);
        return rounds;
    }

    public async Task<int> ForgetRoundsAsync(DateTimeOffset before, int max, CancellationToken ct = default)
    {
        await using var scope = await Database.BeginWriteAsync(ct);
        var deleted = await scope.ExecuteAsync(ForgetRoundsSql, ("$before", before.ToUnixTimeMilliseconds()), ("$max", max));
        await scope.CommitAsync(ct);
        return deleted;
    }

    /// <summary>Along ix_rounds_started, a batch at a time (one short write each, so rounds and answers are not held up).</summary>
    internal const string ForgetRoundsSql = """
        DELETE FROM rounds WHERE id IN (
            SELECT id FROM rounds WHERE started_at < $before AND started_at < (SELECT MAX(started_at) FROM rounds)
            ORDER BY started_at LIMIT $max)
        """;

    public async Task<int> ForgetUnagreedTradesAsync(DateTimeOffset before, int max, CancellationToken ct = default)
    {
        // In the file's writer turn: the trades and their index rows go in one commit, so no reader sees half of a trade.
        await using var scope = await Database.BeginWriteAsync(ct);
        var ids = new List<string>();
        var select = scope.Prepared(UnagreedTradesToForgetSql, ("$before", before.ToUnixTimeMilliseconds()), ("$max", max));
        await using (var reader = await select.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) ids.Add(reader.GetString(0));
        if (ids.Count == 0) return 0;
        var json = ("$ids", (object?)JsonSerializer.Serialize(ids));
        foreach (var table in TradeIndexTables)
            await scope.ExecuteAsync($"DELETE FROM {table} WHERE trade_id IN (SELECT value FROM json_each($ids))", json);
        var deleted = await scope.ExecuteAsync("DELETE FROM trades WHERE id IN (SELECT value FROM json_each($ids))", json);
        await scope.CommitAsync(ct);
        return deleted;
    }

    /// <summary>The tables that refer to a trade by its id, each with it first in its primary key.</summary>
    internal static readonly string[] TradeIndexTables = ["trade_towns", "trade_town_pairs", "trade_listings"];

    /// <summary>Along the partial index ix_trades_unagreed_cancelled, which holds only the never-agreed cancelled proposals
    /// (a comparison on the column implies its IS NOT NULL): a batch costs its own rows, not every trade. The column is set
    /// only for <see cref="Trade.CancelledUnagreed"/> trades; status and agreed_at are checked again on the rows read ("+status"
    /// keeps SQLite off ix_trades_status_deadline, which would walk every cancelled trade).</summary>
    internal const string UnagreedTradesToForgetSql = """
        SELECT id FROM trades WHERE unagreed_cancelled_at < $before AND +status = 'cancelled' AND agreed_at IS NULL
        ORDER BY unagreed_cancelled_at LIMIT $max
        """;

    /// <summary>trades.unagreed_cancelled_at: when a proposal never agreed was cancelled, in Unix milliseconds; null for
    /// every other trade (what the retention keeps).</summary>
    internal static long? UnagreedCancelledAt(Trade trade) =>
        trade.CancelledUnagreed ? trade.CancelledAt!.Value.ToUnixTimeMilliseconds() : null;

    public async Task<IReadOnlyDictionary<TradeStatus, long>> CountTradesByStatusAsync(CancellationToken ct = default)
    {
        await using var connection = Database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT status, COUNT(*) FROM trades GROUP BY status";
        var counts = new Dictionary<TradeStatus, long>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            counts[Enum.Parse<TradeStatus>(reader.GetString(0), ignoreCase: true)] = reader.GetInt64(1);
        return counts;
    }

    internal const string ListingSql = "SELECT id, town_id, version, withdrawn, listing FROM book WHERE id = $id";
    /// <summary>What <see cref="ReadTradesAsync"/> reads, in its order.</summary>
    internal const string TradeColumns = "doc, version, agreed_at";
    internal const string TradeSql = $"SELECT {TradeColumns} FROM trades WHERE id = $id";

    internal static string StatusText(TradeStatus status) => status.ToString().ToLowerInvariant();

    /// <summary><see cref="ListingSql"/> for the ids in the JSON array <c>$ids</c>.</summary>
    internal const string ListingsSql = "SELECT id, town_id, version, withdrawn, listing FROM book WHERE id IN (SELECT value FROM json_each($ids))";

    internal static async Task<BookListing?> ReadListingAsync(SqliteCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? ReadListing(reader) : null;
    }

    /// <summary>The listing at the reader's row, in <see cref="ListingSql"/>'s columns.</summary>
    internal static BookListing ReadListing(SqliteDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3) != 0,
            reader.IsDBNull(4) ? null : JsonSerializer.Deserialize<ListingSnapshot>(reader.GetString(4), Json));

    public async Task<IReadOnlyDictionary<string, IReadOnlyList<Trade>>> TradesUsingListingsAsync(IReadOnlyCollection<string> listingIds,
        TradeStatus status, CancellationToken ct = default)
    {
        await using var connection = Database.Open();
        return await ReadTradesByListingAsync(listingIds, status, (sql, parameters) =>
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            return command;
        }, ct);
    }

    /// <summary>Its columns from 2 on are <see cref="TradeColumns"/>.</summary>
    internal const string TradesOnListingsSql =
        "SELECT tl.listing_id, t.id, t.doc, t.version, t.agreed_at FROM trade_listings tl CROSS JOIN trades t ON t.id = tl.trade_id " +
        "WHERE tl.listing_id IN (SELECT value FROM json_each($listings)) AND tl.status = $status AND t.status = $status ORDER BY t.created_at, t.id";


    /// <summary>Each asked listing's trades in <paramref name="status"/>, in the order one listing's read gives them (created,
    /// then id), read at once: from each listing's rows of that status in trade_listings (ix_trade_listings_status, not the
    /// listing's whole history) to its trades by primary key (CROSS JOIN fixes that order); a trade on several of the
    /// listings is read once. <paramref name="prepare"/> makes the command: the
    /// session's own prepared one (not to be disposed) or one on a read connection the caller disposes.</summary>
    internal static async Task<IReadOnlyDictionary<string, IReadOnlyList<Trade>>> ReadTradesByListingAsync(IReadOnlyCollection<string> listingIds,
        TradeStatus status, Func<string, (string Name, object? Value)[], SqliteCommand> prepare, CancellationToken ct)
    {
        var found = new Dictionary<string, IReadOnlyList<Trade>>(StringComparer.Ordinal);
        if (listingIds.Count == 0) return found;
        var command = prepare(TradesOnListingsSql, [("$listings", JsonSerializer.Serialize(listingIds)), ("$status", StatusText(status))]);
        var trades = new Dictionary<string, Trade>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var tradeId = reader.GetString(1);
            if (!trades.TryGetValue(tradeId, out var trade)) trades[tradeId] = trade = ReadTrade(reader, 2);
            var listingId = reader.GetString(0);
            if (!found.TryGetValue(listingId, out var list)) found[listingId] = list = new List<Trade>();
            ((List<Trade>)list).Add(trade);
        }
        return found;
    }

    internal static async Task<IReadOnlyList<Trade>> ReadTradesAsync(SqliteCommand command, CancellationToken ct)
    {
        var trades = new List<Trade>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            trades.Add(ReadTrade(reader, 0));
        return trades;
    }

    /// <summary>The trade at the reader's row, in <see cref="TradeColumns"/> from column <paramref name="first"/>. The
    /// version column is the truth; the document's copy may lag one write behind. So is agreed_at, the one column an
    /// upgraded file's trades lack (null) as their documents do.</summary>
    internal static Trade ReadTrade(SqliteDataReader reader, int first) =>
        JsonSerializer.Deserialize<Trade>(reader.GetString(first), Json)! with
        {
            Version = reader.GetInt64(first + 1),
            AgreedAt = reader.IsDBNull(first + 2) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(first + 2)),
        };
}
