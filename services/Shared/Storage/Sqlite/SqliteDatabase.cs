using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace TradeNet.Shared.Storage.Sqlite;

/// <summary>One service's SQLite file, with the outbox and inbox tables beside the service's own.</summary>
public sealed class SqliteDatabase
{
    private const string InfrastructureSchema = """
        CREATE TABLE IF NOT EXISTS outbox (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            type TEXT NOT NULL,
            payload TEXT NOT NULL,
            trace_parent TEXT NULL,
            created_at TEXT NOT NULL,
            sent_at TEXT NULL,
            kept_since TEXT NULL);
        CREATE INDEX IF NOT EXISTS ix_outbox_pending ON outbox(sent_at, seq);
        CREATE TABLE IF NOT EXISTS inbox (
            message_id TEXT NOT NULL,
            consumer TEXT NOT NULL,
            consumed_at TEXT NOT NULL,
            PRIMARY KEY (message_id, consumer));
        CREATE INDEX IF NOT EXISTS ix_inbox_consumed ON inbox(consumed_at);
        CREATE TABLE IF NOT EXISTS leases (
            name TEXT PRIMARY KEY,
            holder TEXT NOT NULL,
            expires_at INTEGER NOT NULL);
        """;

    public SqliteDatabase(string path, string serviceSchema)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory)) PrivateDirectory.Create(directory);
        ConnectionString = ConnectionStringFor(path);
        FullPath = Path.GetFullPath(path);
        _writers = WriterTurns.GetOrAdd(FullPath, _ => new SemaphoreSlim(1, 1));
        using var connection = Open();
        Execute(connection, "PRAGMA journal_mode=WAL;");
        Restrict(FullPath);
        Execute(connection, InfrastructureSchema);
        AddKeptSince(connection);
        Execute(connection, serviceSchema);
    }

    /// <summary>The file holds every town's key hash and every handover code: readable by the account running TradeNet only,
    /// whatever the folder's rights (one that existed keeps them) or an older release left. SQLite creates its write-ahead
    /// log and shared memory with the file's rights, so those follow; the ones open now are set too.</summary>
    private static void Restrict(string path)
    {
        // One another account owns (an operator's own arrangement) keeps the rights that owner set.
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            if (File.Exists(file)) _ = PrivateFile.TryRestrict(file);
    }

    /// <summary>An outbox made before events were kept on the in-memory bus lacks the column; added once, in a write
    /// of its own so two processes opening the file cannot both add it. The first releases also left every published
    /// event in the table, marked sent, for good: the relay on the in-memory bus would take those for kept events and hand
    /// the service's whole history over again at its first start (each one counted again in the trade and shipment
    /// metrics, each old failure logged again). They were delivered by the release that wrote them, as far as it could
    /// know, and this release deletes an event once delivered, so they go with the upgrade; unsent ones stay pending.</summary>
    private static void AddKeptSince(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        using var probe = connection.CreateCommand();
        probe.Transaction = transaction;
        probe.CommandText = "SELECT COUNT(*) FROM pragma_table_info('outbox') WHERE name = 'kept_since'";
        if ((long)probe.ExecuteScalar()! == 0)
        {
            using var add = connection.CreateCommand();
            add.Transaction = transaction;
            add.CommandText = "ALTER TABLE outbox ADD COLUMN kept_since TEXT NULL; DELETE FROM outbox WHERE sent_at IS NOT NULL";
            add.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    public string ConnectionString { get; }

    /// <summary>The file's full path: also the key of its writer turn.</summary>
    public string FullPath { get; }

    /// <summary>Takes the file's writer turn without starting a write (a backup holding every file still at once), false
    /// when it is not free within <paramref name="timeout"/>; whoever gets it gives it back with <see cref="LetWritersOn"/>.</summary>
    internal Task<bool> HoldWritersAsync(TimeSpan timeout, CancellationToken ct) => _writers.WaitAsync(timeout, ct);

    internal void LetWritersOn() => _writers.Release();

    private const int TimeoutSeconds = 30;
    private const int BusyErrorCode = 5;

    // One turn per file, shared by every SqliteDatabase of this process on it (a test may open a file twice).
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> WriterTurns = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _writers;

    private static string ConnectionStringFor(string path) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Pooling = true,
        DefaultTimeout = TimeoutSeconds, // writers wait for each other instead of failing
    }.ToString();

    /// <summary>Closes the pooled connections to the file at <paramref name="path"/>, and only those (a test removing its
    /// folder): <c>SqliteConnection.ClearAllPools</c> would also close connections other hosts in the process are using.</summary>
    public static void ClearPool(string path)
    {
        using var connection = new SqliteConnection(ConnectionStringFor(path));
        SqliteConnection.ClearPool(connection);
    }

    /// <summary>Test seam: asked before each statement and COMMIT of every write begun on this database from now on
    /// (<see cref="SqliteFaultHook"/>); null, and never consulted, in production. Internal (the tests' TradeNet.Testing
    /// sees it): no service, setting or request can reach it.</summary>
    internal SqliteFaultHook? Faults { get; set; }

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        // busy_timeout: a write in another process (or an outbox or inbox write outside a scope) is waited for by SQLite,
        // which retries within milliseconds, instead of by Microsoft.Data.Sqlite's 150 ms sleeps.
        Execute(connection, $"PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL; PRAGMA busy_timeout={TimeoutSeconds * 1000};");
        return connection;
    }

    /// <summary>Starts an atomic write (BEGIN IMMEDIATE) once the writers of this file in this process that asked before
    /// have finished theirs. They wait in turn, awaiting rather than holding a thread: SQLite answers a second writer
    /// "busy" at once, and Microsoft.Data.Sqlite then sleeps that thread 150 ms and tries again, so under load writers
    /// waited in 150 ms steps, each holding a thread-pool thread, and a long write (a clearing round's) could lose to a
    /// stream of short ones for seconds (docs/benchmarks.md, "Running system"). A writer that waits out the timeout gets
    /// the same "database is locked" as before.</summary>
    public async Task<SqliteWriteScope> BeginWriteAsync(CancellationToken ct = default)
    {
        if (!await _writers.WaitAsync(TimeSpan.FromSeconds(TimeoutSeconds), ct))
            throw new SqliteException("SQLite Error 5: 'database is locked'.", BusyErrorCode);
        try
        {
            return new SqliteWriteScope(Open(), _writers, Faults);
        }
        catch
        {
            _writers.Release();
            throw;
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
