namespace TradeNet.Shared.Storage.Sqlite;

public class SqliteOutboxStore(SqliteDatabase database) : IOutboxStore
{
    public async Task<IReadOnlyList<OutboxMessage>> PendingAsync(int max, CancellationToken ct)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, type, payload, trace_parent, created_at, kept_since IS NOT NULL FROM outbox WHERE sent_at IS NULL ORDER BY seq LIMIT $max";
        command.Parameters.AddWithValue("$max", max);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var pending = new List<OutboxMessage>();
        while (await reader.ReadAsync(ct))
            pending.Add(new OutboxMessage(Guid.Parse(reader.GetString(0)), reader.GetString(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), DateTimeOffset.Parse(reader.GetString(4)), reader.GetBoolean(5)));
        return pending;
    }

    // A confirmed event has nothing left to do here; keeping it would grow the file without bound.
    public Task MarkSentAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct) =>
        WriteAsync("DELETE FROM outbox WHERE id IN (SELECT value FROM json_each($ids))", ids, ct);

    // kept_since is the first hand-over: handing over again after a restart does not keep an event longer.
    public Task KeepSentAsync(IReadOnlyCollection<Guid> ids, DateTimeOffset at, CancellationToken ct) =>
        WriteAsync("UPDATE outbox SET sent_at = $at, kept_since = COALESCE(kept_since, $at) WHERE id IN (SELECT value FROM json_each($ids))",
            ids, ct, ("$at", at.ToUniversalTime().ToString("O")));

    /// <summary>One write for the batch, in the file's writer turn: outside it, a relay write each event made the service's
    /// own writers wait in SQLite's busy handler, whose sleeps grow to 100 ms (docs/benchmarks.md, "Running system").</summary>
    private async Task WriteAsync(string sql, IReadOnlyCollection<Guid> ids, CancellationToken ct, params (string Name, object? Value)[] more)
    {
        if (ids.Count == 0) return;
        await using var scope = await database.BeginWriteAsync(ct);
        await scope.ExecuteAsync(sql, [("$ids", System.Text.Json.JsonSerializer.Serialize(ids.Select(id => id.ToString()))), .. more]);
        await scope.CommitAsync(ct);
    }

    // In the file's writer turn, as the relay's other writes, and so also asked by the storage-fault hunt's hook: each is
    // one statement, atomic either way, but outside the turn it waited in SQLite's busy handler behind the service's writers.
    public async Task<int> RequeueSentAsync(CancellationToken ct)
    {
        await using var scope = await database.BeginWriteAsync(ct);
        var requeued = await scope.ExecuteAsync("UPDATE outbox SET sent_at = NULL WHERE sent_at IS NOT NULL");
        await scope.CommitAsync(ct);
        return requeued;
    }

    public async Task<IReadOnlyList<Guid>> RequeueAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return [];
        await using var scope = await database.BeginWriteAsync(ct);
        var found = new List<Guid>();
        var requeue = scope.Prepared("UPDATE outbox SET sent_at = NULL WHERE sent_at IS NOT NULL AND id IN (SELECT value FROM json_each($ids)) RETURNING id",
            ("$ids", System.Text.Json.JsonSerializer.Serialize(ids.Select(id => id.ToString()))));
        await using (var reader = await requeue.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) found.Add(Guid.Parse(reader.GetString(0)));
        await scope.CommitAsync(ct);
        return found;
    }

    // Both forgetting deletes run in the file's writer turn, as the relay's other writes: outside it, the service's writers
    // wait in SQLite's busy handler.
    public async Task<int> ForgetSentAsync(DateTimeOffset before, int max, CancellationToken ct)
    {
        await using var scope = await database.BeginWriteAsync(ct);
        // kept_since is UTC in round-trip format, so text order is time order.
        var forgotten = await scope.ExecuteAsync(
            "DELETE FROM outbox WHERE seq IN (SELECT seq FROM outbox WHERE sent_at IS NOT NULL AND kept_since < $before ORDER BY seq LIMIT $max)",
            ("$before", before.ToUniversalTime().ToString("O")), ("$max", max));
        await scope.CommitAsync(ct);
        return forgotten;
    }

    public async Task<int> ForgetConsumedAsync(DateTimeOffset before, int max, CancellationToken ct)
    {
        await using var scope = await database.BeginWriteAsync(ct);
        // consumed_at is UTC in round-trip format, so text order is time order. A bounded batch keeps the write lock short.
        var forgotten = await scope.ExecuteAsync("DELETE FROM inbox WHERE rowid IN (SELECT rowid FROM inbox WHERE consumed_at < $before LIMIT $max)",
            ("$before", before.ToUniversalTime().ToString("O")), ("$max", max));
        await scope.CommitAsync(ct);
        return forgotten;
    }

    public async Task<bool> TryHoldRelayAsync(string holder, DateTimeOffset now, DateTimeOffset until, CancellationToken ct)
    {
        await using var scope = await database.BeginWriteAsync(ct);
        var held = await SqliteLeases.TryTakeAsync(scope, Leases.OutboxRelay, holder, now, until);
        await scope.CommitAsync(ct);
        return held;
    }

    public async Task<OutboxBacklog> BacklogAsync(CancellationToken ct)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*), MIN(created_at) FROM outbox WHERE sent_at IS NULL";
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new OutboxBacklog(reader.GetInt32(0), reader.IsDBNull(1) ? null : DateTimeOffset.Parse(reader.GetString(1)));
    }
}
