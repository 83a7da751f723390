using TradeNet.Contracts;
using TradeNet.Matching.Domain;
using TradeNet.Testing;

namespace TradeNet.Matching.Tests.Storage;

/// <summary>Months of exhausted and ended listings stay in the book, but a round reads only the live ones and an operator's
/// page only its own.</summary>
public sealed class BookHistoryContract : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    private readonly TestSettings _settings = new();

    public void Dispose() => _settings.Dispose();

    [Theory, MemberData(nameof(StoreAdapters.Available), MemberType = typeof(StoreAdapters))]
    public async Task The_live_book_leaves_out_exhausted_ended_and_withdrawn_listings_which_the_pages_still_show(string adapter)
    {
        var store = StoreAdapters.Create(adapter, _settings).Store;
        await SaveAsync(store,
            BookListing.Open(Listing("a-live")),
            BookListing.Open(Listing("b-exhausted") with { Remaining = 0 }),
            BookListing.Open(Listing("c-ended") with { AvailableUntil = Now.AddTicks(-1) }),
            BookListing.Open(Listing("d-no-end") with { AvailableUntil = null }),
            BookListing.Open(Listing("e-ends-now") with { AvailableUntil = Now.AddTicks(1) }),
            BookListing.Open(Listing("f-withdrawn")).Withdraw(4));

        Assert.Equal(["a-live", "d-no-end", "e-ends-now"], (await store.LiveListingsAsync(Now)).Select(l => l.Id));
        Assert.Equal(["a-live", "b-exhausted", "c-ended", "d-no-end", "e-ends-now"],
            (await store.ListingsPageAsync(null, 10)).Select(l => l.Id));
    }

    [Theory, MemberData(nameof(StoreAdapters.Available), MemberType = typeof(StoreAdapters))]
    public async Task An_exhausted_listing_that_gets_quantity_back_or_an_ended_one_reopened_is_live_again(string adapter)
    {
        var store = StoreAdapters.Create(adapter, _settings).Store;
        await SaveAsync(store,
            BookListing.Open(Listing("released") with { Remaining = 0 }),
            BookListing.Open(Listing("reopened") with { AvailableUntil = Now.AddDays(-1) }));
        Assert.Empty(await store.LiveListingsAsync(Now));

        // A cancelled trade's release, and a town moving its window's end, arrive as newer snapshots.
        await SaveAsync(store,
            BookListing.Open(Listing("released") with { Remaining = 12, Version = 4 }),
            BookListing.Open(Listing("reopened") with { AvailableUntil = Now.AddDays(5), Version = 4 }));

        Assert.Equal(["released", "reopened"], (await store.LiveListingsAsync(Now)).Select(l => l.Id));
    }

    [Theory, MemberData(nameof(StoreAdapters.Available), MemberType = typeof(StoreAdapters))]
    public async Task The_books_pages_follow_one_another_by_id_without_withdrawn_listings(string adapter)
    {
        var store = StoreAdapters.Create(adapter, _settings).Store;
        await SaveAsync(store, BookListing.Open(Listing("l1")), BookListing.Open(Listing("l2")).Withdraw(4), BookListing.Open(Listing("l3")),
            BookListing.Open(Listing("l4") with { Remaining = 0 }), BookListing.Open(Listing("l5")));

        Assert.Equal(["l1", "l3"], (await store.ListingsPageAsync(null, 2)).Select(l => l.Id));
        Assert.Equal(["l4", "l5"], (await store.ListingsPageAsync("l3", 2)).Select(l => l.Id));
        Assert.Equal(["l3", "l4"], (await store.ListingsPageAsync("l2", 2)).Select(l => l.Id));
        Assert.Empty(await store.ListingsPageAsync("l5", 2));
    }

    private static async Task SaveAsync(Matching.Storage.IMatchingStore store, params BookListing[] listings)
    {
        await using var session = await store.BeginAsync();
        foreach (var listing in listings) await session.SaveListingAsync(listing);
        await session.CommitAsync();
    }

    private static ListingSnapshot Listing(string id) => new(id, "roanne", "offer", "cheese", "kg", 12, 1, 30, 25, 2,
        [], [], null, null, Now.AddDays(3), 46.03, 4.06, 3);
}
