using TradeNet.Catalog.Domain;
using TradeNet.Catalog.Storage;

namespace TradeNet.Catalog.Tests;

/// <summary>The store contract for what a registration reads and keeps in its write (suspended lookalikes, Idempotency-Keys)
/// and for a town's moves.</summary>
public sealed partial class CatalogStoreContractTests
{
    [Theory, MemberData(nameof(Adapters))]
    public async Task Suspended_towns_with_the_INSEE_code_or_in_the_box_are_found_and_active_or_distant_ones_are_not(string adapter)
    {
        await using var store = await StoreUnderTest.OpenAsync(adapter);
        var suspension = new TownSuspension("fraud", At);
        var box = new GeoBox(45.5, 45.6, 4.4, 4.6);
        await AddAsync(store.Store, async s =>
        {
            await s.AddTownAsync(Town("a-code-far") with { InseeCode = "42283", Lat = 10, Lon = 10, Suspension = suspension });
            await s.AddTownAsync(Town("b-near", "hash-b") with { InseeCode = null, Lat = 45.55, Lon = 4.5, Suspension = suspension });
            await s.AddTownAsync(Town("c-active-near", "hash-c") with { InseeCode = "42283", Lat = 45.55, Lon = 4.5 });
            await s.AddTownAsync(Town("d-far", "hash-d") with { InseeCode = null, Lat = 45.7, Lon = 4.5, Suspension = suspension });
        });

        await using var session = await store.Store.BeginAsync();
        Assert.Equal(["a-code-far", "b-near"], (await session.GetSuspendedTownsLikeAsync("42283", box)).Select(t => t.Id));
        Assert.Equal(["b-near"], (await session.GetSuspendedTownsLikeAsync(null, box)).Select(t => t.Id));
        // The registration's write sees a suspension written in it, as it sees every committed one.
        await session.SetTownSuspensionAsync("c-active-near", suspension);
        Assert.Equal(["b-near", "c-active-near"], (await session.GetSuspendedTownsLikeAsync(null, box)).Select(t => t.Id));
    }

    [Theory, MemberData(nameof(Adapters))]
    public async Task A_registration_key_is_kept_once_and_an_expired_one_is_forgotten_by_the_next(string adapter)
    {
        await using var store = await StoreUnderTest.OpenAsync(adapter);
        var (old, kept) = (new TownRequest("old", "42187", "f", "v1.x", At, At.AddHours(1)), new TownRequest("kept", "42187", "f", "v1.y", At, At.AddDays(2)));
        await AddAsync(store.Store, async s =>
        {
            await s.AddTownAsync(Town("42187"));
            await s.AddTownRequestAsync(old, At);
            await s.AddTownRequestAsync(kept, At);
        });

        await Assert.ThrowsAsync<CatalogConflictException>(() => AddAsync(store.Store, s => s.AddTownRequestAsync(kept with { Fingerprint = "g" }, At)));
        // A day later "old" has expired: a registration with its key replaces it, and the other survives.
        var later = At.AddDays(1);
        await AddAsync(store.Store, s => s.AddTownRequestAsync(old with { Fingerprint = "new", At = later, ExpiresAt = later.AddDays(1) }, later));

        await using var session = await store.Store.BeginAsync();
        Assert.Equal("new", (await session.GetTownRequestAsync("old"))?.Fingerprint);
        Assert.Equal(kept, await session.GetTownRequestAsync("kept"));
        Assert.Null(await session.GetTownRequestAsync("unknown"));
    }

    [Theory, MemberData(nameof(Adapters))]
    public async Task A_towns_moves_are_stored_with_its_change_and_read_back(string adapter)
    {
        await using var store = await StoreUnderTest.OpenAsync(adapter);
        var town = Town("42187");
        await AddAsync(store.Store, s => s.AddTownAsync(town));

        var moved = town with { Lat = 46.1, Moves = [At.AddMinutes(-20), At] };
        await AddAsync(store.Store, s => s.UpdateTownAsync(moved));

        AssertSame(moved, await store.Store.GetTownAsync("42187"));
        await AddAsync(store.Store, s => s.UpdateTownAsync(moved with { Moves = null }));
        Assert.Null((await store.Store.GetTownAsync("42187"))!.Moves);
    }
}
