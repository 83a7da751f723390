using System.Text.Json;
using Microsoft.Data.Sqlite;
using TradeNet.Contracts;
using TradeNet.Matching.Storage;
using TradeNet.Matching.Storage.Sqlite;
using TradeNet.Shared.Storage.Sqlite;
using TradeNet.Testing;

namespace TradeNet.Matching.Tests.Storage;

/// <summary>
/// Matching replicas of two releases on one SQLite file (a rolling upgrade of a service's replicas). An older replica
/// writes without the copies this release reads by (the book's remaining/open_until, the trades' status beside their
/// towns, listings and pairs), and they are filled again only when this release next starts. Hence docs/operations.md,
/// "Upgrading": matching's replicas of two releases share a store only from 3c89f20 on, the last change to what it writes.
/// </summary>
public sealed class SqliteMixedReleaseTests : IDisposable
{
    private readonly TestSettings _settings = new();

    public void Dispose()
    {
        SqliteDatabase.ClearPool(Path);
        _settings.Dispose();
    }

    private string Path => System.IO.Path.Combine(_settings.DataDir, "matching.db");

    [Fact]
    public async Task A_listing_a_replica_of_63f0832_publishes_beside_todays_is_in_todays_rounds_only_after_todays_next_start()
    {
        Directory.CreateDirectory(_settings.DataDir);
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var today = new SqliteMatchingStore(Path);
        var listing = new ListingSnapshot("offer-1", "roanne", "offer", "cheese", "kg", 12, 1, 30, 30, 2, [], [], null, null,
            now.AddDays(3), 46.03, 4.06, 1);

        // 63f0832's replica, running on the same file: its schema text, then its SqliteMatchingSession.SaveListingAsync.
        using (var older = new SqliteConnection($"Data Source={Path};Pooling=False"))
        {
            older.Open();
            using var command = older.CreateCommand();
            command.CommandText = """
                CREATE INDEX IF NOT EXISTS ix_book_open ON book(withdrawn);
                INSERT INTO book(id, town_id, version, withdrawn, listing) VALUES ($id, 'roanne', 1, 0, $listing)
                ON CONFLICT(id) DO UPDATE SET town_id = 'roanne', version = 1, withdrawn = 0, listing = $listing
                """;
            command.Parameters.AddWithValue("$id", listing.Id);
            command.Parameters.AddWithValue("$listing", JsonSerializer.Serialize(listing, SqliteMatchingStore.Json));
            command.ExecuteNonQuery();
        }

        Assert.Empty(await today.LiveListingsAsync(now)); // unseen while the two run together
        var restarted = new SqliteMatchingStore(Path);
        Assert.Equal("offer-1", Assert.Single(await restarted.LiveListingsAsync(now)).Id);
    }
}
