using TradeNet.Contracts;
using TradeNet.Testing;

namespace TradeNet.Catalog.Tests;

/// <summary>Listings a release before the numbers hunt left active with less than their own min lot and nothing reserved
/// (it settled a listing as exhausted only at nothing left): they held one of the town's open places for good. The
/// catalog settles them at start, as a trade would now (SpentListings); seen in the release-fixture test, whose old
/// data held two.</summary>
public sealed class SpentListingsAtStartTests : IDisposable
{
    private readonly TestSettings _data = new();

    public void Dispose() => _data.Dispose();

    private CatalogFactory OnTheData()
    {
        var factory = new CatalogFactory();
        factory.ExtraSettings["Storage:DataDir"] = _data.DataDir;
        return factory;
    }

    [Fact]
    public async Task A_listing_an_earlier_release_left_open_under_its_min_lot_is_exhausted_and_announced_at_start()
    {
        string spent, open;
        await using (var before = OnTheData())
        {
            var town = await before.RegisterTownAsync();
            spent = (await before.PublishAsync(town.Town.Id, new { kind = "offer", category = "wood-pellets", quantity = 10, minLot = 3 })).Id;
            open = (await before.PublishAsync(town.Town.Id, new { kind = "offer", category = "wood-pellets", quantity = 10, minLot = 3 })).Id;
            // As the earlier release stored it: 8 of 10 delivered, 2 left under a lot of 3, still active.
            var stored = (await before.Store.GetListingAsync(spent))!;
            await using var session = await before.Store.BeginAsync();
            await session.UpdateListingAsync(stored with { Fulfilled = 8, Version = stored.Version + 1 }, stored.Version);
            await session.CommitAsync();
        }

        await using var after = OnTheData();
        var settled = await after.ListingAsync(spent);
        var announced = await after.PublishedAsync<ListingChanged>(e => e.Listing.Id == spent, "the settled listing's ListingChanged");

        Assert.Equal(("exhausted", 2.0), (settled.Status, settled.Remaining));
        // Matching's copy takes the settled version (the audit compares them); the snapshot carries no status.
        Assert.Equal((await after.Store.GetListingAsync(spent))!.Version, announced.Listing.Version);
        Assert.Equal("active", (await after.ListingAsync(open)).Status);
        Assert.Equal(0, after.PublishedCount<ListingChanged>(e => e.Listing.Id == open));
    }
}
