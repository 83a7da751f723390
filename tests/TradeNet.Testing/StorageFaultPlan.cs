using Microsoft.Data.Sqlite;
using TradeNet.Shared.Storage;
using TradeNet.Shared.Storage.Sqlite;

namespace TradeNet.Testing;

/// <summary>The storage-fault hunt's hook on one service's SQLite file (<see cref="SqliteDatabase.Faults"/>): counts the
/// steps (statements and COMMITs) of the writes made while it is armed, and fails the chosen one, once, with a genuine
/// SQLite error. Writes whose first statement is the background's (the outbox relay's, the inbox retention's), by default,
/// are neither counted nor failed, so they cannot shift the count of the write under test; a hunt of those passes its own
/// filter.</summary>
public sealed class StorageFaultPlan
{
    private readonly object _gate = new();
    private readonly Func<SqliteCommand, bool> _counts;
    private readonly HashSet<SqliteWriteScope> _skipped = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<SqliteWriteScope> _seen = new(ReferenceEqualityComparer.Instance);
    private readonly List<string> _steps = [];
    private bool _armed;
    private int _failAt;
    private int _code;

    /// <param name="counts">Which writes are the ones under test, judged by their first statement; by default every write
    /// but the outbox relay's and the retention sweeps'.</param>
    public StorageFaultPlan(SqliteDatabase database, Func<SqliteCommand, bool>? counts = null)
    {
        _counts = counts ?? (command => !IsBackground(command));
        database.Faults = Hook;
    }

    /// <summary>The outbox relay's writes (marking sent, keeping, forgetting, its lease) and the inbox retention's.</summary>
    public static bool IsBackground(SqliteCommand command)
    {
        var sql = command.CommandText;
        return sql.StartsWith("DELETE FROM outbox", StringComparison.Ordinal)
            || sql.StartsWith("UPDATE outbox", StringComparison.Ordinal)
            || sql.StartsWith("DELETE FROM inbox", StringComparison.Ordinal)
            || (sql.Contains("INTO leases", StringComparison.Ordinal)
                && command.Parameters.Contains("$name") && Equals(command.Parameters["$name"].Value, Leases.OutboxRelay));
    }

    /// <summary>Every step counted since the plan was armed, in order ("COMMIT" or the statement's first line).</summary>
    public IReadOnlyList<string> Steps { get { lock (_gate) return [.. _steps]; } }

    /// <summary>The step that was failed, or null.</summary>
    public string? Failed { get; private set; }

    /// <summary>Counts from now on and fails step <paramref name="at"/> (1-based; 0: none) with <paramref name="code"/>.</summary>
    public void Arm(int at = 0, int code = SqliteFaults.Busy)
    {
        lock (_gate)
        {
            (_armed, _failAt, _code, Failed) = (true, at, code, null);
            _steps.Clear();
            _skipped.Clear();
            _seen.Clear();
        }
    }

    /// <summary>Stops counting and failing; answers the steps counted.</summary>
    public IReadOnlyList<string> Disarm()
    {
        lock (_gate)
        {
            _armed = false;
            return [.. _steps];
        }
    }

    private void Hook(SqliteFaultPoint point, SqliteWriteScope scope, SqliteCommand? command)
    {
        lock (_gate)
        {
            if (!_armed || _skipped.Contains(scope)) return;
            if (_seen.Add(scope) && command is not null && !_counts(command))
            {
                _skipped.Add(scope);
                return;
            }
            var step = point == SqliteFaultPoint.Commit ? "COMMIT" : FirstLine(command!.CommandText);
            _steps.Add(step);
            if (_steps.Count != _failAt) return;
            Failed = $"step {_failAt} ({step}) with SQLite error {_code}";
        }
        throw SqliteFaults.Error(_code);
    }

    private static string FirstLine(string sql) => sql.Trim().Split('\n')[0].Trim();

    /// <summary>The codes one hunt cycles through, a step each: busy, full, I/O error. <c>TRADENET_STORAGE_FAULTS=all</c>
    /// fails every step with each of busy, locked, read-only, I/O error and full instead.</summary>
    public static IEnumerable<(int Step, int Code)> Faults(int steps)
    {
        int[] few = [SqliteFaults.Busy, SqliteFaults.Full, SqliteFaults.IoError];
        int[] all = [SqliteFaults.Busy, SqliteFaults.Locked, SqliteFaults.ReadOnly, SqliteFaults.IoError, SqliteFaults.Full];
        var every = Environment.GetEnvironmentVariable("TRADENET_STORAGE_FAULTS") == "all";
        for (var step = 1; step <= steps; step++)
        {
            if (every) foreach (var code in all) yield return (step, code);
            else yield return (step, few[(step - 1) % few.Length]);
        }
    }
}
