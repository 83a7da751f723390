using TradeNet.Shared.Storage.Sqlite;

namespace TradeNet.Catalog.Storage.Sqlite;

/// <summary>Brings a file an earlier release wrote up to this release's schema: <c>CREATE TABLE IF NOT EXISTS</c> leaves an
/// existing table as it was, so columns added since are added here (as matching's and logistics' upgrades do).</summary>
internal static class CatalogSqliteUpgrade
{
    /// <summary>Columns added after the first release. Towns stored before suspensions existed were never suspended: null;
    /// nor had they moves counted against the limit, nor been reinstated, nor renamed: null.</summary>
    private static readonly AddedColumn[] Added =
    [
        new("towns", "suspended_at", "TEXT NULL"),
        new("towns", "suspension_reason", "TEXT NULL"),
        new("towns", "moves", "TEXT NULL"),
        new("towns", "reinstated_at", "TEXT NULL"),
        // Never renamed since: in every walk.
        new("towns", "renamed", "INTEGER NULL"),
    ];

    /// <summary>Idempotent; one immediate write of its own (<see cref="AddedColumns"/>).</summary>
    public static void Run(SqliteDatabase database) => AddedColumns.AddMissing(database, Added);
}
