using Microsoft.Data.Sqlite;

namespace TradeNet.Shared.Storage.Sqlite;

/// <summary>A SQLite transaction that also carries outbox and inbox rows.</summary>
public sealed class SqliteWriteScope : IWriteScope
{
    private readonly List<OutboxMessage> _outbox = [];
    private bool _committed;

    // A statement prepared once per write and run again with new values: a round writes thousands of rows with a
    // handful of statements, and preparing each row's statement afresh was most of what its insert cost.
    private readonly Dictionary<string, SqliteCommand> _prepared = new(StringComparer.Ordinal);

    private readonly SemaphoreSlim _turn;
    private readonly SqliteFaultHook? _faults;
    private bool _disposed;

    /// <param name="turn">The file's writer turn, held by the caller and given back when this scope is disposed.</param>
    /// <param name="faults">A test's fault hook (<see cref="SqliteDatabase.Faults"/>); null in production.</param>
    internal SqliteWriteScope(SqliteConnection connection, SemaphoreSlim turn, SqliteFaultHook? faults = null)
    {
        _turn = turn;
        _faults = faults;
        Connection = connection;
        try
        {
            Transaction = connection.BeginTransaction(deferred: false);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public SqliteConnection Connection { get; }
    public SqliteTransaction Transaction { get; }

    public SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = Connection.CreateCommand();
        command.Transaction = Transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        _faults?.Invoke(SqliteFaultPoint.Statement, this, command);
        return command;
    }

    /// <summary>The scope's own command for <paramref name="sql"/>, prepared at its first run and kept until the scope is
    /// disposed, with <paramref name="parameters"/> as its values. The caller must not dispose it, and must be done with
    /// its reader before asking for the same SQL again.</summary>
    public SqliteCommand Prepared(string sql, params (string Name, object? Value)[] parameters)
    {
        if (!_prepared.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
            command.Transaction = Transaction;
            command.CommandText = sql;
            _prepared.Add(sql, command);
        }
        // New parameter objects on the same command keep its prepared statement: values are bound at each run.
        command.Parameters.Clear();
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        _faults?.Invoke(SqliteFaultPoint.Statement, this, command);
        return command;
    }

    /// <summary>A statement run on the scope's connection outside <see cref="Command"/> and <see cref="Prepared"/> (a
    /// store's own reader helper) tells the fault hook first, as theirs do.</summary>
    public void BeforeStatement(SqliteCommand command) => _faults?.Invoke(SqliteFaultPoint.Statement, this, command);

    public Task<int> ExecuteAsync(string sql, params (string Name, object? Value)[] parameters) =>
        Prepared(sql, parameters).ExecuteNonQueryAsync();

    public void Publish<T>(T message) where T : class => _outbox.Add(OutboxMessage.From(message));

    public async Task<bool> TryConsumeAsync(Guid messageId, string consumer, CancellationToken ct = default)
    {
        var command = Prepared(
            "INSERT OR IGNORE INTO inbox(message_id, consumer, consumed_at) VALUES ($id, $consumer, $at)",
            ("$id", messageId.ToString()), ("$consumer", consumer), ("$at", DateTimeOffset.UtcNow.ToString("O")));
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task CommitAsync(CancellationToken ct = default)
    {
        foreach (var message in _outbox)
        {
            var command = Prepared(
                "INSERT INTO outbox(id, type, payload, trace_parent, created_at) VALUES ($id, $type, $payload, $trace, $at)",
                ("$id", message.Id.ToString()), ("$type", message.Type), ("$payload", message.Payload),
                ("$trace", message.TraceParent), ("$at", message.CreatedAt.ToString("O")));
            await command.ExecuteNonQueryAsync(ct);
        }
        _faults?.Invoke(SqliteFaultPoint.Commit, this, null);
        await Transaction.CommitAsync(ct);
        _committed = true;
        if (_outbox.Count > 0) OutboxSignal.Raise();
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            foreach (var command in _prepared.Values) await command.DisposeAsync();
            _prepared.Clear();
            if (!_committed) await Transaction.RollbackAsync();
            await Transaction.DisposeAsync();
            await Connection.DisposeAsync();
        }
        finally
        {
            _turn.Release();
        }
    }
}
