using TradeNet.Shared.Storage.Sqlite;

namespace TradeNet.Catalog.Storage.Sqlite;

/// <summary>Brings a file an earlier release wrote up to this release's schema: <c>CREATE TABLE IF NOT EXISTS</c> leaves an
/// existing table as it was, so columns added since are added here (as matching's and logistics' upgrades do).</summary>
internal static class CatalogSqliteUpgrade
{
    /// <summary>Columns added after the first release. Towns stored before suspensions existed were never suspended: null.</summary>
    private static readonly (string Table, string Column, string Definition)[] AddedColumns =
    [
        ("towns", "suspended_at", "TEXT NULL"),
        ("towns", "suspension_reason", "TEXT NULL"),
    ];

    /// <summary>Idempotent, inside one immediate transaction, so two processes opening the same file cannot both add a
    /// column (the second would fail on a duplicate).</summary>
    public static void Run(SqliteDatabase database)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction(deferred: false);
        foreach (var (table, column, definition) in AddedColumns)
        {
            using var probe = connection.CreateCommand();
            probe.Transaction = transaction;
            probe.CommandText = "SELECT COUNT(*) FROM pragma_table_info($table) WHERE name = $column";
            probe.Parameters.AddWithValue("$table", table);
            probe.Parameters.AddWithValue("$column", column);
            if ((long)probe.ExecuteScalar()! > 0) continue;
            using var add = connection.CreateCommand();
            add.Transaction = transaction;
            add.CommandText = $"ALTER TABLE {table} ADD COLUMN {column} {definition}";
            add.ExecuteNonQuery();
        }
        transaction.Commit();
    }
}
