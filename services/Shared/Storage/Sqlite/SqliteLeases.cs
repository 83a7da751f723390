namespace TradeNet.Shared.Storage.Sqlite;

/// <summary>The <c>leases</c> table (see <see cref="Leases"/>).</summary>
public static class SqliteLeases
{
    /// <summary>Takes a free lease, one that ran out by <paramref name="now"/>, or renews the holder's own, in one
    /// statement; true when <paramref name="holder"/> holds it until <paramref name="until"/>.</summary>
    public static async Task<bool> TryTakeAsync(SqliteWriteScope scope, string name, string holder, DateTimeOffset now, DateTimeOffset until) =>
        await scope.ExecuteAsync("""
            INSERT INTO leases(name, holder, expires_at) VALUES ($name, $holder, $until)
            ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE leases.expires_at <= $now OR leases.holder = excluded.holder
            """, ("$name", name), ("$holder", holder), ("$until", until.ToUnixTimeMilliseconds()), ("$now", now.ToUnixTimeMilliseconds())) == 1;
}
