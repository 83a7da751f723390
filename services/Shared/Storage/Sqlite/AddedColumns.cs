using Microsoft.Data.Sqlite;

namespace TradeNet.Shared.Storage.Sqlite;

/// <summary>A column a release added to a table an earlier release created, with the definition existing rows get it by.</summary>
public sealed record AddedColumn(string Table, string Column, string Definition);

/// <summary>
/// Brings a file an earlier release wrote up to this release's tables: <c>CREATE TABLE IF NOT EXISTS</c> leaves an existing
/// table as it was, so every service lists the columns it added since and they are added here when missing.
/// </summary>
public static class AddedColumns
{
    /// <summary>Adds the missing ones (in one immediate transaction of their own, so two processes opening the same file
    /// cannot both add a column: the second would fail on a duplicate), then runs <paramref name="repairs"/> (statements that fill or settle rows an earlier
    /// release wrote, or index the new columns) in the same write. Idempotent as long as the repairs are.</summary>
    public static void AddMissing(SqliteDatabase database, IReadOnlyCollection<AddedColumn> columns, params string[] repairs)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction(deferred: false);
        AddMissing(connection, transaction, columns);
        foreach (var sql in repairs)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    /// <summary>Inside the caller's transaction, for an upgrade that repairs rows in the same write.</summary>
    public static void AddMissing(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyCollection<AddedColumn> columns)
    {
        foreach (var table in columns.Select(c => c.Table).Distinct())
        {
            var present = Present(connection, transaction, table);
            foreach (var c in columns.Where(c => c.Table == table && !present.Contains(c.Column)))
            {
                using var add = connection.CreateCommand();
                add.Transaction = transaction;
                add.CommandText = $"ALTER TABLE {c.Table} ADD COLUMN {c.Column} {c.Definition}";
                add.ExecuteNonQuery();
            }
        }
    }

    private static HashSet<string> Present(SqliteConnection connection, SqliteTransaction transaction, string table)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT name FROM pragma_table_info($table)";
        command.Parameters.AddWithValue("$table", table);
        using var reader = command.ExecuteReader();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.Read()) names.Add(reader.GetString(0));
        return names;
    }
}
