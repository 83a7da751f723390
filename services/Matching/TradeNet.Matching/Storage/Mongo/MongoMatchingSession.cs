using MongoDB.Driver;
using TradeNet.Matching.Domain;
using TradeNet.Shared.Storage.Mongo;

namespace TradeNet.Matching.Storage.Mongo;

/// <summary>A matching write inside one MongoDB transaction.</summary>
public sealed class MongoMatchingSession(MongoMatchingStore store, MongoWriteScope scope) : IMatchingSession
{
    private const int WriteConflict = 112;

    public void Publish<T>(T message) where T : class => scope.Publish(message);

    public Task<bool> TryConsumeAsync(Guid messageId, string consumer, CancellationToken ct = default) =>
        scope.TryConsumeAsync(messageId, consumer, ct);

    public Task CommitAsync(CancellationToken ct = default) => scope.CommitAsync(ct);

    public ValueTask DisposeAsync() => scope.DisposeAsync();

    public async Task<BookListing?> GetListingAsync(string id, CancellationToken ct = default) =>
        (await store.Book.Find(scope.Session, d => d.Id == id).FirstOrDefaultAsync(ct))?.ToDomain();

    public Task SaveListingAsync(BookListing listing, CancellationToken ct = default) =>
        store.Book.ReplaceOneAsync(scope.Session, d => d.Id == listing.Id, BookDocument.From(listing),
            new ReplaceOptions { IsUpsert = true }, ct);

    public async Task<Trade?> GetTradeAsync(Guid id, CancellationToken ct = default) =>
        (await store.Trades.Find(scope.Session, d => d.Id == id).FirstOrDefaultAsync(ct))?.ToDomain();

    public async Task<IReadOnlyList<Trade>> TradesUsingListingAsync(string listingId, TradeStatus status, CancellationToken ct = default)
    {
        var docs = await store.Trades.Find(scope.Session, MongoMapping.UsingListing(listingId, status)).SortBy(d => d.CreatedAt).ThenBy(d => d.Id).ToListAsync(ct);
        return docs.Select(d => d.ToDomain()).ToList();
    }

    public async Task<IReadOnlyDictionary<string, BookListing>> GetListingsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default)
    {
        var found = new Dictionary<string, BookListing>(StringComparer.Ordinal);
        foreach (var chunk in ids.Distinct(StringComparer.Ordinal).Chunk(MongoMatchingStore.IdsPerQuery))
            foreach (var doc in await store.Book.Find(scope.Session, MongoMapping.Listings(chunk)).ToListAsync(ct))
                found[doc.Id] = doc.ToDomain();
        return found;
    }

    public Task<IReadOnlyDictionary<string, IReadOnlyList<Trade>>> TradesUsingListingsAsync(IReadOnlyCollection<string> listingIds,
        TradeStatus status, CancellationToken ct = default) =>
        store.TradesUsingListingsAsync(scope.Session, listingIds, status, ct);

    public Task InsertTradeAsync(Trade trade, CancellationToken ct = default) =>
        store.Trades.InsertOneAsync(scope.Session, TradeDocument.From(trade), cancellationToken: ct);

    public async Task<bool> UpdateTradeAsync(Trade trade, CancellationToken ct = default)
    {
        try
        {
            var result = await store.Trades.ReplaceOneAsync(scope.Session, MongoMapping.TradeAtVersion(trade.Id, trade.Version),
                TradeDocument.From(trade with { Version = trade.Version + 1 }), cancellationToken: ct);
            return result.MatchedCount == 1;
        }
        catch (MongoCommandException ex) when (ex.Code == WriteConflict)
        {
            // Another transaction wrote the same trade first; this one is aborted and the caller re-reads.
            return false;
        }
    }

    // A write to each trade document (a counter the mapping ignores, reset by the trade's next replace): reads in a
    // transaction never conflict, writes to one document do.
    public Task GuardTradesAsync(IReadOnlyCollection<Guid> tradeIds, CancellationToken ct = default) =>
        GuardAsync(store.Trades, tradeIds.Distinct(), MongoMapping.TradesById, MongoMapping.TouchGuard,
            "A trade this write checked was written meanwhile; the message will be retried.", ct);

    // A counter on each book document (the mapping ignores it; the listing's next save drops it): a consumer saving one of
    // these listings meanwhile and this write cannot both commit.
    public Task GuardListingsAsync(IReadOnlyCollection<string> listingIds, CancellationToken ct = default) =>
        GuardAsync(store.Book, listingIds.Distinct(StringComparer.Ordinal), MongoMapping.Listings, MongoMapping.TouchListingGuard,
            "A listing this write proposes on was saved meanwhile; the write will be tried again.", ct);

    /// <summary>Touches each document's guard counter, a query per <see cref="MongoMatchingStore.IdsPerQuery"/> ids; a write
    /// conflict becomes the <see cref="TradeChangedException"/> its caller retries on.</summary>
    private async Task GuardAsync<TDocument, TId>(IMongoCollection<TDocument> documents, IEnumerable<TId> ids,
        Func<IEnumerable<TId>, FilterDefinition<TDocument>> byIds, UpdateDefinition<TDocument> touch, string conflict, CancellationToken ct)
    {
        try
        {
            foreach (var chunk in ids.Chunk(MongoMatchingStore.IdsPerQuery))
                await documents.UpdateManyAsync(scope.Session, byIds(chunk), touch, cancellationToken: ct);
        }
        catch (MongoCommandException ex) when (ex.Code == WriteConflict)
        {
            throw new TradeChangedException(conflict);
        }
    }

    public Task InsertRoundAsync(ClearingRound round, CancellationToken ct = default) =>
        store.Rounds.InsertOneAsync(scope.Session, RoundDocument.From(round), cancellationToken: ct);

    /// <summary>The round's own renewal (every third of a lease, outside this write) may touch the lease at the same moment:
    /// that write conflict is retried like any other (<see cref="TradeChangedException"/>), not a failed round.</summary>
    public async Task<bool> ExtendLeaseAsync(string name, string holder, DateTimeOffset until, CancellationToken ct = default)
    {
        try
        {
            return (await store.Leases.UpdateOneAsync(scope.Session, d => d.Id == name && d.Holder == holder,
                Builders<LeaseDocument>.Update.Set(d => d.ExpiresAt, until.UtcDateTime), cancellationToken: ct)).MatchedCount == 1;
        }
        catch (MongoCommandException ex) when (ex.Code == WriteConflict)
        {
            throw new TradeChangedException("The clearing lease was renewed meanwhile; the write will be tried again.");
        }
    }
}
