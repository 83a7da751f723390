using Microsoft.Data.Sqlite;

namespace TradeNet.Shared.Storage.Sqlite;

/// <summary>Where in a write a <see cref="SqliteFaultHook"/> is asked: before a statement of the write runs, or before
/// its COMMIT.</summary>
public enum SqliteFaultPoint { Statement, Commit }

/// <summary>A test seam (the storage-fault hunt, docs/operations.md): asked by a <see cref="SqliteWriteScope"/> before
/// each statement it hands out (<c>Command</c>, <c>Prepared</c>, and so <c>ExecuteAsync</c>, <c>TryConsumeAsync</c> and
/// the outbox rows of <c>CommitAsync</c>) and before its COMMIT, inside the open transaction. It throws (say,
/// <see cref="SqliteFaults.Error"/>) to make that step fail as SQLite would; returning lets it run. <paramref name="command"/>
/// is the statement with its parameters bound (null at COMMIT); <paramref name="scope"/> tells one write from another.</summary>
public delegate void SqliteFaultHook(SqliteFaultPoint point, SqliteWriteScope scope, SqliteCommand? command);

/// <summary>The errors SQLite gives a write that cannot go on, with its own codes and wording.</summary>
public static class SqliteFaults
{
    public const int Busy = 5;
    public const int Locked = 6;
    public const int ReadOnly = 8;
    public const int IoError = 10;
    public const int Full = 13;

    /// <summary>A genuine <see cref="SqliteException"/> with <paramref name="code"/>, worded as Microsoft.Data.Sqlite words
    /// SQLite's own failure.</summary>
    public static SqliteException Error(int code) => new($"SQLite Error {code}: '{Wording(code)}'.", code);

    private static string Wording(int code) => code switch
    {
        Busy => "database is locked",
        Locked => "database table is locked",
        ReadOnly => "attempt to write a readonly database",
        IoError => "disk I/O error",
        Full => "database or disk is full",
        _ => "unknown error",
    };

    /// <summary>True for a failure of the storage itself (busy past the writer wait, locked, full, read-only, failing
    /// disk), not of the request: the write was rolled back and the same request may succeed later. The primary code is
    /// the low byte (SQLITE_IOERR_WRITE is 778).</summary>
    public static bool IsUnavailable(SqliteException exception) =>
        (exception.SqliteErrorCode & 0xFF) is Busy or Locked or ReadOnly or IoError or Full;
}
