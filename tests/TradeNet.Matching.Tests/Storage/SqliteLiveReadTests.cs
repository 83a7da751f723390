using TradeNet.Contracts;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Storage.Sqlite;
using TradeNet.Shared.Storage.Sqlite;
using TradeNet.Testing;

namespace TradeNet.Matching.Tests.Storage;

/// <summary>A live read parses again only the listings whose stored JSON changed since the last one, and the book's
/// version tells a reader whether to read it again at all.</summary>
public sealed class SqliteLiveReadTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TestSettings _settings = new();

    public void Dispose()
    {
        SqliteDatabase.ClearPool(Path);
        _settings.Dispose();
    }

    private string Path => System.IO.Path.Combine(_settings.DataDir, "live-read.db");

    [Fact]
    public async Task An_unchanged_listing_is_taken_as_last_read_and_a_changed_one_is_read_anew_even_at_the_same_version()
    {
        var store = new SqliteMatchingStore(Path);
        await SaveAsync(store, Listing("kept"), Listing("lowered"), Listing("newer"), Listing("ended"));
        var first = (await store.LiveListingsAsync(Now)).ToDictionary(l => l.Id);

        // As a trade's reservation lowers the copy (same version), a newer snapshot, and a window that ended.
        await SaveAsync(store, Listing("lowered") with { Remaining = 5 }, Listing("newer") with { Version = 4, Attributes = ["organic"] },
            Listing("ended") with { Version = 4, AvailableUntil = Now.AddDays(-1) });
        var second = (await store.LiveListingsAsync(Now)).ToDictionary(l => l.Id);

        Assert.Equal(["kept", "lowered", "newer"], second.Keys);
        Assert.Same(first["kept"], second["kept"]);
        Assert.Equal(5, second["lowered"].Remaining);
        Assert.Equal((4L, "organic"), (second["newer"].Version, Assert.Single(second["newer"].Attributes)));
        // A store opened afresh parses everything, and parses it the same.
        Assert.Equal(second.Values.Select(Describe), (await new SqliteMatchingStore(Path).LiveListingsAsync(Now)).Select(Describe));
    }

    [Fact]
    public async Task The_books_version_moves_on_with_each_committed_listing_write_and_not_with_one_left_uncommitted()
    {
        var store = new SqliteMatchingStore(Path);
        var empty = await store.BookVersionAsync();
        await SaveAsync(store, Listing("a"));
        var saved = await store.BookVersionAsync();
        await using (var session = await store.BeginAsync())
            await session.SaveListingAsync(BookListing.Open(Listing("a") with { Version = 4 }));
        Assert.Equal(saved, await store.BookVersionAsync());

        await SaveAsync(store, Listing("a") with { Remaining = 5 });
        var lowered = await store.BookVersionAsync();
        await using (var session = await store.BeginAsync())
        {
            await session.SaveListingAsync(BookListing.Open(Listing("a")).Withdraw(5));
            await session.CommitAsync();
        }

        Assert.Equal(4, new[] { empty, saved, lowered, await store.BookVersionAsync() }.Distinct().Count());
    }

    private static string Describe(ListingSnapshot l) => $"{l with { Attributes = [], Requires = [] }} [{string.Join(",", l.Attributes)}]";

    private static async Task SaveAsync(SqliteMatchingStore store, params ListingSnapshot[] listings)
    {
        await using var session = await store.BeginAsync();
        foreach (var listing in listings) await session.SaveListingAsync(BookListing.Open(listing));
        await session.CommitAsync();
    }

    private static ListingSnapshot Listing(string id) => new(id, "roanne", "offer", "cheese", "kg", 12, 1, 30, 25, 2,
        [], [], null, null, Now.AddDays(3), 46.03, 4.06, 3);
}
