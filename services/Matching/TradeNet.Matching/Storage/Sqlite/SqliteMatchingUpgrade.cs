using TradeNet.Shared.Storage.Sqlite;

namespace TradeNet.Matching.Storage.Sqlite;

/// <summary>Brings a file an earlier release wrote up to this release's schema: <c>CREATE TABLE IF NOT EXISTS</c> leaves an
/// existing table as it was, so columns added since are added here.</summary>
internal static class SqliteMatchingUpgrade
{
    /// <summary>Columns added after the first release, with the definition existing rows get them by. Trades agreed before
    /// <c>agreed_at</c> keep it null: the time was never recorded, and the last acceptance (their legs' answers) is only a
    /// lower bound of it, which the trade view shows anyway.</summary>
    private static readonly AddedColumn[] Added =
    [
        new("trades", "agreed_at", "INTEGER NULL"),
    ];

    /// <summary>Idempotent; one immediate write of its own (<see cref="AddedColumns"/>).</summary>
    public static void Run(SqliteDatabase database) => AddedColumns.AddMissing(database, Added);
}
