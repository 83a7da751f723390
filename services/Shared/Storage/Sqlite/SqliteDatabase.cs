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
        using var connection = Open();
        Execute(connection, "PRAGMA journal_mode=WAL;");
        Execute(connection, InfrastructureSchema);
        AddKeptSince(connection);
        Execute(connection, serviceSchema);
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

    private static string ConnectionStringFor(string path) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Pooling = true,
        DefaultTimeout = 30, // also the busy timeout: writers wait for each other instead of failing
    }.ToString();

    /// <summary>Closes the pooled connections to the file at <paramref name="path"/>, and only those (a test removing its
    /// folder): <c>SqliteConnection.ClearAllPools</c> would also close connections other hosts in the process are using.</summary>
    public static void ClearPool(string path)
    {
        using var connection = new SqliteConnection(ConnectionStringFor(path));
        SqliteConnection.ClearPool(connection);
    }

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        Execute(connection, "PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;");
        return connection;
    }

    /// <summary>Starts an atomic write (BEGIN IMMEDIATE, so concurrent writers queue up rather than deadlock).</summary>
    public SqliteWriteScope BeginWrite() => new(Open());

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
