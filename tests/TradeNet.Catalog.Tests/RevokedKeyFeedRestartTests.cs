using TradeNet.Catalog.Domain;
using TradeNet.Catalog.Storage;
using TradeNet.Catalog.Storage.Sqlite;
using TradeNet.Testing;

namespace TradeNet.Catalog.Tests;

/// <summary>A catalog restarted on its SQLite file goes on with its revoked-key feed where it was: a gateway that read up to
/// sequence N keeps reading after N, rather than taking the restarted feed for a new one (which would drop every key it
/// cached) or, worse, missing revocations numbered again from 1.</summary>
public sealed class RevokedKeyFeedRestartTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 12, 6, 9, 30, 0, TimeSpan.Zero);
    private readonly TestSettings _settings = new();

    public void Dispose() => _settings.Dispose();

    private async Task<ICatalogStore> StartAsync()
    {
        var store = new SqliteCatalogStore(Path.Combine(_settings.DataDir, "catalog.db"));
        await store.InitializeAsync(CategorySeed.All);
        return store;
    }

    private static async Task RevokeAsync(ICatalogStore store, string hash, DateTimeOffset at)
    {
        await using var session = await store.BeginAsync();
        await session.RevokeKeyAsync(hash, at);
        await session.CommitAsync();
    }

    [Fact]
    public async Task A_restarted_catalog_goes_on_numbering_its_revocations_even_after_forgetting_every_older_one()
    {
        var before = await StartAsync();
        await RevokeAsync(before, "a", At);
        await RevokeAsync(before, "b", At.AddMinutes(1));
        // Two days later: a and b are past the retention and forgotten; only c is kept.
        await RevokeAsync(before, "c", At.AddDays(2));

        var after = await StartAsync();
        var gatewayAt = (await after.GetRevokedKeysAsync(3, 1000));
        await RevokeAsync(after, "d", At.AddDays(2).AddMinutes(1));
        var next = await after.GetRevokedKeysAsync(3, 1000);

        Assert.Equal((3L, false), (gatewayAt.Newest, gatewayAt.LostAfter(3)));
        Assert.Equal([(4L, "d")], next.Keys.Select(k => (k.Sequence, k.KeyHash)).ToArray());
        Assert.False(next.LostAfter(3));
    }
}
