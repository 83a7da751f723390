using TradeNet.Contracts;
using TradeNet.Matching.Clearing;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Rounds;
using TradeNet.Matching.Storage;

namespace TradeNet.Matching.Api;

/// <summary>
/// The book the counterparts route answers from, kept per book version (<see cref="IMatchingStore.BookVersionAsync"/>):
/// while no listing was saved and none ended, the live book is not read again, and while what trades hold is also the
/// same, the tradable book is not built again. When listings were saved, only those are read
/// (<see cref="IMatchingStore.ListingsSavedSinceAsync"/>). Reading and parsing a 20,000-listing book was most of an
/// answer's cost (docs/benchmarks.md). What trades hold is read every time, first, as <see cref="BookHolds"/> reads it for
/// a round. A store without a version has its book read and built every time.
/// </summary>
internal sealed class CounterpartBooks
{
    /// <param name="Until">The earliest end among the listings: past it, one of them is no longer live.</param>
    private sealed record Live(long Version, DateTimeOffset ReadAt, DateTimeOffset? Until, IReadOnlyList<ListingSnapshot> Listings);

    private sealed record Built(IReadOnlyList<ListingSnapshot> Listings, IReadOnlyDictionary<string, double> Held, IReadOnlyList<BookEntry> Book);

    private volatile Live? _live;
    private volatile Built? _built;

    /// <summary>What trades hold on the live book at <paramref name="now"/>, and the tradable book as a round clears it
    /// (<see cref="OrderBook.Tradable"/>).</summary>
    public async Task<(IReadOnlyDictionary<string, double> Held, IReadOnlyList<BookEntry> Book)> ReadAsync(
        IMatchingStore store, DateTimeOffset now, CancellationToken ct)
    {
        var (listings, held) = await BookHolds.ReadAsync(store, now, () => LiveAsync(store, now, ct), ct);
        if (_built is { } built && ReferenceEquals(built.Listings, listings) && Same(built.Held, held))
            return (held, built.Book);
        // Kept listings are all live until the first of them ends (LiveAsync), so the book built from them is the same
        // at any time in between.
        var book = OrderBook.From(listings, held, now).Tradable;
        _built = new Built(listings, held, book);
        return (held, book);
    }

    /// <summary>The live book as last read when the store's book version is the same and none of it ended since (the
    /// same list, so what was built from it is kept too); brought up to date with the listings saved since when the
    /// version moved on; else read whole. The version is read first, so what is kept is at least that new.</summary>
    private async Task<IReadOnlyList<ListingSnapshot>> LiveAsync(IMatchingStore store, DateTimeOffset now, CancellationToken ct)
    {
        if (await store.BookVersionAsync(ct) is not { } version) return await store.LiveListingsAsync(now, ct);
        if (_live is { } live && live.ReadAt <= now && live.Version <= version)
        {
            if (live.Version == version && !(live.Until < now)) return live.Listings;
            if (await store.ListingsSavedSinceAsync(live.Version, ct) is { } saved) return Keep(version, now, Merge(live.Listings, saved, now));
        }
        return Keep(version, now, await store.LiveListingsAsync(now, ct));
    }

    private IReadOnlyList<ListingSnapshot> Keep(long version, DateTimeOffset now, IReadOnlyList<ListingSnapshot> listings)
    {
        _live = new Live(version, now, listings.Select(l => l.AvailableUntil).Where(u => u is not null).Min(), listings);
        return listings;
    }

    /// <summary>What <see cref="IMatchingStore.LiveListingsAsync"/> would read now: the kept listings not saved since and
    /// not ended, and those saved since that are live (not withdrawn, something remaining, not ended). In no particular
    /// order: the book is built in id order from it.</summary>
    private static List<ListingSnapshot> Merge(IReadOnlyList<ListingSnapshot> kept, IReadOnlyList<BookListing> saved, DateTimeOffset now)
    {
        var savedIds = saved.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var merged = kept.Where(l => !savedIds.Contains(l.Id) && Open(l, now)).ToList();
        foreach (var s in saved)
            if (!s.Withdrawn && s.Listing is { Remaining: > 0 } l && Open(l, now)) merged.Add(l);
        return merged;
    }

    private static bool Open(ListingSnapshot l, DateTimeOffset now) => l.AvailableUntil is null || l.AvailableUntil >= now;

    private static bool Same(IReadOnlyDictionary<string, double> a, IReadOnlyDictionary<string, double> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v.Equals(kv.Value));
}
