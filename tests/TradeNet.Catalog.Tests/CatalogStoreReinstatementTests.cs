using Microsoft.Data.Sqlite;
using TradeNet.Catalog.Domain;
using TradeNet.Catalog.Storage.Sqlite;
using TradeNet.Shared.Storage.Sqlite;
using TradeNet.Testing;

namespace TradeNet.Catalog.Tests;

/// <summary>The upgrade of a SQLite file written before towns kept their last reinstatement.</summary>
public sealed partial class CatalogStoreContractTests
{
    [Fact]
    public async Task A_SQLite_file_from_before_reinstatement_times_gets_the_column_and_its_towns_read_as_never_reinstated()
    {
        using var settings = new TestSettings();
        var path = Path.Combine(settings.DataDir, "catalog.db");
        await using (var old = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await old.OpenAsync();
            await using var create = old.CreateCommand();
            // The towns table as the release before wrote it: suspensions and moves, no reinstated_at.
            create.CommandText = """
                CREATE TABLE towns (id TEXT PRIMARY KEY, name TEXT NOT NULL, insee_code TEXT NULL, lat REAL NOT NULL, lon REAL NOT NULL,
                    specialties TEXT NOT NULL, api_key_hash TEXT NOT NULL UNIQUE, registered_at TEXT NOT NULL,
                    suspended_at TEXT NULL, suspension_reason TEXT NULL, moves TEXT NULL);
                INSERT INTO towns VALUES ('42187', 'Town 42187', '42187', 46.03, 4.07, '["cheese","wood"]', 'hash-1',
                    '2026-11-27T09:30:15.1230000+00:00', '2026-11-27T09:30:15.1230000+00:00', 'late', NULL);
                """;
            await create.ExecuteNonQueryAsync();
        }

        var store = new SqliteCatalogStore(path);
        _ = new SqliteCatalogStore(path); // a second process opening the file adds nothing twice

        AssertSame(Town("42187", "hash-1") with { Suspension = new TownSuspension("late", At) }, await store.GetTownAsync("42187"));
        await AddAsync(store, s => s.ReinstateTownAsync("42187", At.AddHours(1)));
        AssertSame(Town("42187", "hash-1") with { ReinstatedAt = At.AddHours(1) }, await store.GetTownAsync("42187"));
        SqliteDatabase.ClearPool(path);
    }
}
