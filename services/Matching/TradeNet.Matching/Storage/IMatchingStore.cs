using TradeNet.Contracts;
using TradeNet.Matching.Domain;
using TradeNet.Shared.Storage;

namespace TradeNet.Matching.Storage;

/// <summary>Matching's storage port: the order book copy, trades and rounds.</summary>
public interface IMatchingStore
{
    Task<IMatchingSession> BeginAsync(CancellationToken ct = default);

    /// <summary>The listings a round can clear at <paramref name="now"/>, by id: not withdrawn, something remaining, and a
    /// window not ended. Exhausted and ended listings stay in the book (<see cref="ListingsPageAsync"/> shows them) but are
    /// not read here, so a round reads the live book however long the history behind it.</summary>
    Task<IReadOnlyList<ListingSnapshot>> LiveListingsAsync(DateTimeOffset now, CancellationToken ct = default);

    /// <summary>A number that changes in every write that saves a listing, committed with it: the live book read after
    /// reading it is at least that new, and while it has not changed the live book is what was read then (less what ended
    /// since). Null when the store keeps none; a reader then reads the book each time.</summary>
    Task<long?> BookVersionAsync(CancellationToken ct = default) => Task.FromResult<long?>(null);

    /// <summary>Every listing saved since the book's version was <paramref name="since"/>, as it is now (live or not: withdrawn,
    /// exhausted or ended), so a reader holding the live book of that version brings it up to date without reading it all.
    /// Read the version first. Null when the store keeps no versions.</summary>
    Task<IReadOnlyList<BookListing>?> ListingsSavedSinceAsync(long since, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<BookListing>?>(null);

    /// <summary>Not-withdrawn listings (exhausted and ended ones too), by id, the first <paramref name="limit"/> after the id
    /// <paramref name="after"/> (from the start when null): a page of <c>GET /book</c>.</summary>
    Task<IReadOnlyList<ListingSnapshot>> ListingsPageAsync(string? after, int limit, CancellationToken ct = default);

    Task<BookListing?> GetListingAsync(string id, CancellationToken ct = default);

    Task<Trade?> GetTradeAsync(Guid id, CancellationToken ct = default);

    /// <summary>Newest first, narrowed by every filter the query sets (see <see cref="TradeQuery"/>).</summary>
    Task<IReadOnlyList<Trade>> TradesAsync(TradeQuery query, CancellationToken ct = default);

    /// <summary>For each of <paramref name="listingIds"/> that has any, its trades in <paramref name="status"/>, as
    /// <see cref="IMatchingSession.TradesUsingListingsAsync"/> lists them, outside a write: the holds on a page of
    /// <c>GET /book</c> cost that page's trades, not every pending proposal.</summary>
    Task<IReadOnlyDictionary<string, IReadOnlyList<Trade>>> TradesUsingListingsAsync(IReadOnlyCollection<string> listingIds,
        TradeStatus status, CancellationToken ct = default);

    Task<ClearingRound?> GetRoundAsync(Guid id, CancellationToken ct = default);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<ClearingRound>> RoundsAsync(int limit, CancellationToken ct = default);

    /// <summary>Deletes at most <paramref name="max"/> rounds started before <paramref name="before"/>, oldest first, never the
    /// newest round (the schedule and the next round read it); returns how many. Trades keep their round id.</summary>
    Task<int> ForgetRoundsAsync(DateTimeOffset before, int max, CancellationToken ct = default);

    /// <summary>Deletes at most <paramref name="max"/> trades cancelled before <paramref name="before"/> that were never agreed
    /// (<see cref="Trade.CancelledUnagreed"/>), the earliest cancelled first, with everything of the store that refers to them,
    /// in one write; returns how many. Every other trade is kept, whatever its age; rounds keep the ids of their trades.</summary>
    Task<int> ForgetUnagreedTradesAsync(DateTimeOffset before, int max, CancellationToken ct = default);

    /// <summary>How many trades are in each status now; a status without trades may be absent.</summary>
    Task<IReadOnlyDictionary<TradeStatus, long>> CountTradesByStatusAsync(CancellationToken ct = default);

    /// <summary>Takes the named lease for <paramref name="holder"/> until <paramref name="until"/> when it is free, has run out
    /// by <paramref name="now"/>, or is already theirs (which extends it); false while another holder has it. Instances
    /// sharing a store use it to take turns (see <see cref="Rounds.ClearingRounds"/>).</summary>
    Task<bool> TryTakeLeaseAsync(string name, string holder, DateTimeOffset now, DateTimeOffset until, CancellationToken ct = default);

    /// <summary>Moves the end of <paramref name="holder"/>'s lease to <paramref name="until"/>, only while it is theirs: also once
    /// it ran out, if nobody took it meanwhile (then nobody else can have done what it guards: taking it is the only way in);
    /// false once another holder took it, even one that gave it back since (given back, the lease is deleted).</summary>
    Task<bool> TryExtendLeaseAsync(string name, string holder, DateTimeOffset until, CancellationToken ct = default);

    /// <summary>Gives the lease up if <paramref name="holder"/> has it; otherwise changes nothing.</summary>
    Task ReleaseLeaseAsync(string name, string holder, CancellationToken ct = default);
}

/// <param name="TownId">Trades where that town gives or receives (what a town caller may see).</param>
/// <param name="After">A page's last trade: the trades after it in the list's order (newest first, then id).</param>
/// <param name="WithTown">Trades with a leg from or to that town too: a second town filter, apart from <paramref name="TownId"/>,
/// so that a town caller's own scope and the town it asks about are both kept.</param>
/// <param name="ListingId">Trades using that listing as the offer or the need of a leg.</param>
/// <param name="AgreedSince">Trades agreed at or after that time (a trade never agreed, or agreed before the time was
/// recorded, has none and is left out).</param>
public sealed record TradeQuery(string? TownId = null, TradeStatus? Status = null, int Limit = 1000, DateTimeOffset? DeadlineBefore = null,
    (DateTimeOffset CreatedAt, Guid Id)? After = null, string? WithTown = null, string? ListingId = null, DateTimeOffset? AgreedSince = null)
{
    /// <summary>The towns a trade must involve, each once.</summary>
    public IReadOnlyList<string> Towns => new[] { TownId, WithTown }.OfType<string>().Distinct(StringComparer.Ordinal).ToList();
}

/// <summary>One atomic write over the book, trades and rounds, with the outbox and inbox.</summary>
public interface IMatchingSession : IWriteScope
{
    Task<BookListing?> GetListingAsync(string id, CancellationToken ct = default);

    Task SaveListingAsync(BookListing listing, CancellationToken ct = default);

    Task<Trade?> GetTradeAsync(Guid id, CancellationToken ct = default);

    /// <summary>Trades in <paramref name="status"/> that use the listing on any leg.</summary>
    Task<IReadOnlyList<Trade>> TradesUsingListingAsync(string listingId, TradeStatus status, CancellationToken ct = default);

    /// <summary>The listings the book holds among <paramref name="ids"/>, by id (an id it does not hold is absent): what
    /// <see cref="GetListingAsync"/> reads for each, in one read where the store can (a round's write checks thousands).</summary>
    async Task<IReadOnlyDictionary<string, BookListing>> GetListingsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default)
    {
        var found = new Dictionary<string, BookListing>(StringComparer.Ordinal);
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
            if (await GetListingAsync(id, ct) is { } listing) found[id] = listing;
        return found;
    }

    /// <summary>For each of <paramref name="listingIds"/> that has any, what <see cref="TradesUsingListingAsync"/> lists for
    /// it (same trades, same order), in one read where the store can.</summary>
    async Task<IReadOnlyDictionary<string, IReadOnlyList<Trade>>> TradesUsingListingsAsync(IReadOnlyCollection<string> listingIds,
        TradeStatus status, CancellationToken ct = default)
    {
        var found = new Dictionary<string, IReadOnlyList<Trade>>(StringComparer.Ordinal);
        foreach (var id in listingIds.Distinct(StringComparer.Ordinal))
            if (await TradesUsingListingAsync(id, status, ct) is { Count: > 0 } trades) found[id] = trades;
        return found;
    }

    Task InsertTradeAsync(Trade trade, CancellationToken ct = default);

    /// <summary>Writes <paramref name="trade"/> if the stored version is still <c>trade.Version</c>, and bumps it.
    /// False when someone else updated it first: re-read and decide again.</summary>
    Task<bool> UpdateTradeAsync(Trade trade, CancellationToken ct = default);

    Task InsertRoundAsync(ClearingRound round, CancellationToken ct = default);

    /// <summary>Makes this write conflict with any other write that touches one of <paramref name="tradeIds"/> (or guards
    /// it too): a check that KEEPS a proposal reads the other listings of its legs and writes nothing of the trade, so two
    /// writes each changing one of those listings would each keep it on the other's old copy and both commit.</summary>
    /// <remarks>SQLite needs nothing (a write holds the database's one write lock from its start); MongoDB writes to the
    /// trades, so one of two such transactions fails with a write conflict and its message is retried, reading the other's
    /// listing then.</remarks>
    Task GuardTradesAsync(IReadOnlyCollection<Guid> tradeIds, CancellationToken ct = default);

    /// <summary>Makes this write conflict with any other that saves one of <paramref name="listingIds"/> in the book: a
    /// round's write checks its new proposals against the listings as its snapshot holds them, and a listing consumer
    /// committing meanwhile cannot see those proposals (uncommitted), so each would keep what the other's change rules out.</summary>
    /// <remarks>SQLite needs nothing (one writer at a time); MongoDB writes a counter on each book document, so the round's
    /// write or the consumer's fails with a write conflict and is tried again on the other's committed state.</remarks>
    Task GuardListingsAsync(IReadOnlyCollection<string> listingIds, CancellationToken ct = default);

    /// <summary>Extends the holder's lease inside this write, so the write commits only while the lease is held (another
    /// instance taking it meanwhile conflicts with it); false when it is another's or gone. One that ran out while nobody
    /// took it is still the holder's (<see cref="IMatchingStore.TryExtendLeaseAsync"/>).</summary>
    Task<bool> ExtendLeaseAsync(string name, string holder, DateTimeOffset until, CancellationToken ct = default);
}
