using System.Collections.Concurrent;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Rounds;
using TradeNet.Matching.Storage;

namespace TradeNet.Matching.Tests.EventOrder;

/// <summary>
/// Two consumers' writes that overlapped, as MongoDB runs them, staged over the SQLite store (whose writes never overlap):
/// the staged write reads the listings it is given as they were when it began (a transaction reads its snapshot), and the
/// first of two writes to one trade wins (a trade written or guarded by a write that committed after the staged one began
/// makes the staged one's write to it fail: UpdateTradeAsync answers false, GuardTradesAsync throws, as the Mongo session
/// does on a write conflict), and likewise for a listing of the book (SaveListingAsync and GuardListingsAsync throw). A
/// round's write is staged under <see cref="ClearingRounds.LeaseName"/> (it consumes no message; it extends its lease
/// first). Wraps every session (<see cref="Component.HookedStore.WrapSession"/>); only the staged one
/// reads old copies.
/// </summary>
internal sealed class ConcurrentWrites
{
    private long _commits;
    private readonly ConcurrentDictionary<Guid, long> _writtenAt = new();
    private readonly ConcurrentDictionary<string, long> _listingWrittenAt = new(StringComparer.Ordinal);
    private (string Consumer, long Began, IReadOnlyDictionary<string, BookListing> Copies)? _staged;

    /// <summary>Writes committed so far: the moment a staged write is said to have begun at.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>The next write of <paramref name="consumer"/> (a consumer's name, or <see cref="ClearingRounds.LeaseName"/> for
    /// a round's write) began at <paramref name="began"/>: it reads <paramref name="copies"/>
    /// as the book then held them, and loses to any write committed since on a trade it writes too.</summary>
    public void Stage(string consumer, long began, params BookListing[] copies) =>
        _staged = (consumer, began, copies.ToDictionary(c => c.Id, StringComparer.Ordinal));

    public IMatchingSession Wrap(IMatchingSession inner) => new Session(this, inner);

    private sealed class Session(ConcurrentWrites writes, IMatchingSession inner) : IMatchingSession
    {
        private long _began = writes.Commits;
        private IReadOnlyDictionary<string, BookListing> _copies = new Dictionary<string, BookListing>();
        private readonly HashSet<Guid> _written = [];
        private readonly HashSet<string> _writtenListings = new(StringComparer.Ordinal);

        public async Task<bool> TryConsumeAsync(Guid messageId, string consumer, CancellationToken ct = default)
        {
            TakeStaged(consumer);
            return await inner.TryConsumeAsync(messageId, consumer, ct);
        }

        public async Task<bool> ExtendLeaseAsync(string name, string holder, DateTimeOffset until, CancellationToken ct = default)
        {
            TakeStaged(name);
            return await inner.ExtendLeaseAsync(name, holder, until, ct);
        }

        private void TakeStaged(string writer)
        {
            if (writes._staged is not { } staged || staged.Consumer != writer) return;
            writes._staged = null;
            (_began, _copies) = (staged.Began, staged.Copies);
        }

        private bool LostTo(Guid trade) => writes._writtenAt.TryGetValue(trade, out var at) && at > _began;

        private bool LostTo(string listing) => writes._listingWrittenAt.TryGetValue(listing, out var at) && at > _began;

        public async Task SaveListingAsync(BookListing listing, CancellationToken ct = default)
        {
            if (LostTo(listing.Id)) throw new TradeChangedException($"write conflict on listing {listing.Id} (staged)");
            await inner.SaveListingAsync(listing, ct);
            _writtenListings.Add(listing.Id);
        }

        public Task GuardListingsAsync(IReadOnlyCollection<string> listingIds, CancellationToken ct = default)
        {
            if (listingIds.FirstOrDefault(LostTo) is { } lost) throw new TradeChangedException($"write conflict on guarded listing {lost} (staged)");
            _writtenListings.UnionWith(listingIds);
            return inner.GuardListingsAsync(listingIds, ct);
        }

        public async Task<bool> UpdateTradeAsync(Trade trade, CancellationToken ct = default)
        {
            if (LostTo(trade.Id)) return false;
            if (!await inner.UpdateTradeAsync(trade, ct)) return false;
            _written.Add(trade.Id);
            return true;
        }

        public Task GuardTradesAsync(IReadOnlyCollection<Guid> tradeIds, CancellationToken ct = default)
        {
            if (tradeIds.Any(LostTo)) throw new TradeChangedException("write conflict on a guarded trade (staged)");
            _written.UnionWith(tradeIds);
            return inner.GuardTradesAsync(tradeIds, ct);
        }

        public async Task CommitAsync(CancellationToken ct = default)
        {
            await inner.CommitAsync(ct);
            var at = Interlocked.Increment(ref writes._commits);
            foreach (var trade in _written) writes._writtenAt[trade] = at;
            foreach (var listing in _writtenListings) writes._listingWrittenAt[listing] = at;
        }

        public async Task<BookListing?> GetListingAsync(string id, CancellationToken ct = default) =>
            _copies.TryGetValue(id, out var copy) ? copy : await inner.GetListingAsync(id, ct);

        public async Task<IReadOnlyDictionary<string, BookListing>> GetListingsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default)
        {
            var found = new Dictionary<string, BookListing>(await inner.GetListingsAsync(ids, ct), StringComparer.Ordinal);
            foreach (var id in ids)
                if (_copies.TryGetValue(id, out var copy)) found[id] = copy;
            return found;
        }

        public void Publish<T>(T message) where T : class => inner.Publish(message);
        public ValueTask DisposeAsync() => inner.DisposeAsync();
        public Task<Trade?> GetTradeAsync(Guid id, CancellationToken ct = default) => inner.GetTradeAsync(id, ct);
        public Task<IReadOnlyList<Trade>> TradesUsingListingAsync(string listingId, TradeStatus status, CancellationToken ct = default) =>
            inner.TradesUsingListingAsync(listingId, status, ct);
        public Task<IReadOnlyDictionary<string, IReadOnlyList<Trade>>> TradesUsingListingsAsync(IReadOnlyCollection<string> listingIds,
            TradeStatus status, CancellationToken ct = default) => inner.TradesUsingListingsAsync(listingIds, status, ct);
        public Task InsertTradeAsync(Trade trade, CancellationToken ct = default) => inner.InsertTradeAsync(trade, ct);
        public Task InsertRoundAsync(ClearingRound round, CancellationToken ct = default) => inner.InsertRoundAsync(round, ct);
    }
}
