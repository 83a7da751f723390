using Microsoft.Data.Sqlite;

namespace TradeNet.Shared.Storage.Sqlite;

/// <summary>A SQLite transaction that also carries outbox and inbox rows.</summary>
public sealed class SqliteWriteScope : IWriteScope
{
    private readonly List<OutboxMessage> _outbox = [];
    private bool _committed;

    private readonly SemaphoreSlim _turn;
    private bool _disposed;

    /// <param name="turn">The file's writer turn, held by the caller and given back when this scope is disposed.</param>
    internal SqliteWriteScope(SqliteConnection connection, SemaphoreSlim turn)
    {
        _turn = turn;
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
        return command;
    }

    // Awaited before the command is disposed: returning the task would dispose it while the statement may still run.
    public async Task<int> ExecuteAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(sql, parameters);
        return await command.ExecuteNonQueryAsync();
    }

    public void Publish<T>(T message) where T : class => _outbox.Add(OutboxMessage.From(message));

    public async Task<bool> TryConsumeAsync(Guid messageId, string consumer, CancellationToken ct = default)
    {
        await using var command = Command(
            "INSERT OR IGNORE INTO inbox(message_id, consumer, consumed_at) VALUES ($id, $consumer, $at)",
            ("$id", messageId.ToString()), ("$consumer", consumer), ("$at", DateTimeOffset.UtcNow.ToString("O")));
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task CommitAsync(CancellationToken ct = default)
    {
        foreach (var message in _outbox)
        {
            await using var command = Command(
                "INSERT INTO outbox(id, type, payload, trace_parent, created_at) VALUES ($id, $type, $payload, $trace, $at)",
                ("$id", message.Id.ToString()), ("$type", message.Type), ("$payload", message.Payload),
                ("$trace", message.TraceParent), ("$at", message.CreatedAt.ToString("O")));
            await command.ExecuteNonQueryAsync(ct);
        }
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
