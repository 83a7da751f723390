using TradeNet.Contracts;
using TradeNet.Matching.Clearing;
using TradeNet.Matching.Rounds;
using TradeNet.Matching.Storage;

namespace TradeNet.Matching.Api;

/// <summary>
/// The book the counterparts route answers from, kept per book version (<see cref="IMatchingStore.BookVersionAsync"/>):
/// while no listing was saved and none ended, the live book is not read again, and while what trades hold is also the
/// same, the tradable book and its <see cref="CounterpartIndex"/> are not built again. Reading and parsing a
/// 20,000-listing book was most of an answer's cost (docs/benchmarks.md). What trades hold is read every time, first, as
/// <see cref="BookHolds"/> reads it for a round. A store without a version has its book read every time, and the index is
/// kept while the book read is the same (<see cref="CounterpartIndex.Holds"/>).
/// </summary>
internal sealed class CounterpartBooks
{
    /// <param name="Until">The earliest end among the listings: past it, one of them is no longer live.</param>
    private sealed record Live(long Version, DateTimeOffset ReadAt, DateTimeOffset? Until, IReadOnlyList<ListingSnapshot> Listings);

    private sealed record Built(IReadOnlyList<ListingSnapshot> Listings, IReadOnlyDictionary<string, double> Held, double DetourFactor,
        IReadOnlyList<BookEntry> Book, CounterpartIndex Index);

    private volatile Live? _live;
    private volatile Built? _built;

    /// <summary>What trades hold on the live book at <paramref name="now"/>, the tradable book as a round clears it
    /// (<see cref="OrderBook.Tradable"/>), and its index.</summary>
    public async Task<(IReadOnlyDictionary<string, double> Held, IReadOnlyList<BookEntry> Book, CounterpartIndex Index)> ReadAsync(
        IMatchingStore store, DateTimeOffset now, double detourFactor, CancellationToken ct)
    {
        var (listings, held) = await BookHolds.ReadAsync(store, now, () => LiveAsync(store, now, ct), ct);
        var built = _built;
        if (built is not null && ReferenceEquals(built.Listings, listings) && built.DetourFactor.Equals(detourFactor) && Same(built.Held, held))
            return (held, built.Book, built.Index);
        // Kept listings are all live until the first of them ends (LiveAsync), so the book built from them is the same
        // at any time in between.
        var book = OrderBook.From(listings, held, now).Tradable;
        var index = built?.Index is { } last && last.Holds(book, detourFactor) ? last : new CounterpartIndex(book, detourFactor);
        _built = new Built(listings, held, detourFactor, index.Book, index);
        return (held, index.Book, index);
    }

    /// <summary>The live book as last read when the store's book version is the same and none of it ended since (the
    /// same list, so what was built from it is kept too); else read anew, the version read first.</summary>
    private async Task<IReadOnlyList<ListingSnapshot>> LiveAsync(IMatchingStore store, DateTimeOffset now, CancellationToken ct)
    {
        var version = await store.BookVersionAsync(ct);
        if (version is not null && _live is { } live && live.Version == version && live.ReadAt <= now && !(live.Until < now))
            return live.Listings;
        var listings = await store.LiveListingsAsync(now, ct);
        if (version is not null)
            _live = new Live(version.Value, now, listings.Select(l => l.AvailableUntil).Where(u => u is not null).Min(), listings);
        return listings;
    }

    private static bool Same(IReadOnlyDictionary<string, double> a, IReadOnlyDictionary<string, double> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v.Equals(kv.Value));
}
