using Microsoft.Data.Sqlite;
using TradeNet.Catalog.Domain;
using TradeNet.Catalog.Storage;
using TradeNet.Catalog.Storage.Sqlite;
using TradeNet.Shared.Storage.Sqlite;
using TradeNet.Testing;

namespace TradeNet.Catalog.Tests;

/// <summary>The store contract for a town's suspension, and the upgrade of a SQLite file written before suspensions.</summary>
public sealed partial class CatalogStoreContractTests
{
    [Theory, MemberData(nameof(Adapters))]
    public async Task A_towns_suspension_is_stored_in_one_write_and_cleared_again(string adapter)
    {
        await using var store = await StoreUnderTest.OpenAsync(adapter);
        var town = Town("42187", "hash-1");
        var suspension = new TownSuspension("fraudulent offers", At);
        await AddAsync(store.Store, s => s.AddTownAsync(town));

        await using (var session = await store.Store.BeginAsync())
        {
            await session.SetTownSuspensionAsync("42187", suspension);
            AssertSame(suspension, (await session.GetTownAsync("42187"))!.Suspension); // the session sees its own write
            Assert.Null((await store.Store.GetTownAsync("42187"))!.Suspension); // others do not, yet
            await session.CommitAsync();
        }

        AssertSame(town with { Suspension = suspension }, await store.Store.GetTownAsync("42187"));
        AssertSame(town with { Suspension = suspension }, await store.Store.FindTownByKeyHashAsync("hash-1"));
        AssertSame(town with { Suspension = suspension }, Assert.Single(await store.Store.GetTownsAsync()));
        await AddAsync(store.Store, s => s.ReinstateTownAsync("42187", At.AddHours(1)));
        AssertSame(town with { ReinstatedAt = At.AddHours(1) }, await store.Store.GetTownAsync("42187"));
    }

    [Theory, MemberData(nameof(Adapters))]
    public async Task A_change_or_a_key_replacement_keeps_the_towns_suspension_and_a_missing_town_cannot_be_suspended(string adapter)
    {
        await using var store = await StoreUnderTest.OpenAsync(adapter);
        var suspended = Town("42187", "hash-1") with { Suspension = new TownSuspension("unpaid deliveries", At) };
        await AddAsync(store.Store, s => s.AddTownAsync(suspended));

        await AddAsync(store.Store, async s =>
        {
            await s.UpdateTownAsync(suspended with { Name = "Roanne", Suspension = null });
            await s.ReplaceTownKeyAsync("42187", "hash-1", "hash-2");
        });

        AssertSame(suspended with { Name = "Roanne", ApiKeyHash = "hash-2" }, await store.Store.GetTownAsync("42187"));
        await Assert.ThrowsAsync<CatalogConflictException>(() =>
            AddAsync(store.Store, s => s.SetTownSuspensionAsync("nowhere", new TownSuspension("x", At))));
    }

    [Fact]
    public async Task A_SQLite_file_from_before_suspensions_gets_the_columns_and_its_towns_read_as_active()
    {
        using var settings = new TestSettings();
        var path = Path.Combine(settings.DataDir, "catalog.db");
        await using (var old = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await old.OpenAsync();
            await using var create = old.CreateCommand();
            create.CommandText = """
                CREATE TABLE towns (id TEXT PRIMARY KEY, name TEXT NOT NULL, insee_code TEXT NULL, lat REAL NOT NULL, lon REAL NOT NULL,
                    specialties TEXT NOT NULL, api_key_hash TEXT NOT NULL UNIQUE, registered_at TEXT NOT NULL);
                INSERT INTO towns VALUES ('42187', 'Town 42187', '42187', 46.03, 4.07, '["cheese","wood"]', 'hash-1', '2026-11-27T09:30:15.1230000+00:00');
                """;
            await create.ExecuteNonQueryAsync();
        }

        var store = new SqliteCatalogStore(path);
        _ = new SqliteCatalogStore(path); // a second process opening the file adds nothing twice

        AssertSame(Town("42187", "hash-1"), await store.GetTownAsync("42187"));
        await AddAsync(store, s => s.SetTownSuspensionAsync("42187", new TownSuspension("late", At)));
        Assert.Equal("late", (await store.GetTownAsync("42187"))!.Suspension?.Reason);
        SqliteDatabase.ClearPool(path);
    }
}
