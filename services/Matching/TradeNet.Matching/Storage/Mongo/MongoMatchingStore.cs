using MongoDB.Driver;
using TradeNet.Contracts;
using TradeNet.Matching.Domain;
using TradeNet.Shared.Storage.Mongo;

namespace TradeNet.Matching.Storage.Mongo;

/// <summary>The production store: one database for matching; multi-document writes in transactions.</summary>
public sealed class MongoMatchingStore : IMatchingStore
{
    private readonly OnceSetup _indexes;

    public MongoMatchingStore(MongoStore mongo)
    {
        MongoMapping.Register();
        Mongo = mongo;
        Book = mongo.Database.GetCollection<BookDocument>(MongoMapping.Book);
        Trades = mongo.Database.GetCollection<TradeDocument>(MongoMapping.Trades);
        Rounds = mongo.Database.GetCollection<RoundDocument>(MongoMapping.Rounds);
        _indexes = new(EnsureIndexesAsync);
    }

    public static MongoMatchingStore Connect(string connectionString, string database)
    {
        MongoMapping.Register();
        return new MongoMatchingStore(new MongoStore(new MongoClient(connectionString), database));
    }

    public MongoStore Mongo { get; }
    internal IMongoCollection<BookDocument> Book { get; }
    internal IMongoCollection<TradeDocument> Trades { get; }
    internal IMongoCollection<RoundDocument> Rounds { get; }
    internal IMongoCollection<LeaseDocument> Leases => Mongo.Leases;

    internal static string StatusText(TradeStatus status) => status.ToString().ToLowerInvariant();

    public async Task<IMatchingSession> BeginAsync(CancellationToken ct = default)
    {
        await _indexes.EnsureAsync(ct);
        return new MongoMatchingSession(this, await Mongo.BeginWriteAsync(ct));
    }

    public async Task<IReadOnlyList<ListingSnapshot>> LiveListingsAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        await _indexes.EnsureAsync(ct);
        var docs = await Book.Find(MongoMapping.LiveListings(now)).ToListAsync(ct);
        return docs.Select(d => d.Listing!.ToSnapshot()).OrderBy(l => l.Id, StringComparer.Ordinal).ToList();
    }

    public async Task<IReadOnlyList<ListingSnapshot>> ListingsPageAsync(string? after, int limit, CancellationToken ct = default)
    {
        await _indexes.EnsureAsync(ct);
        var docs = await Book.Find(MongoMapping.ListingsAfter(after)).SortBy(d => d.Id).Limit(limit).ToListAsync(ct);
        return docs.Select(d => d.Listing!.ToSnapshot()).ToList();
    }

    public async Task<BookListing?> GetListingAsync(string id, CancellationToken ct = default)
    {
        await _indexes.EnsureAsync(ct);
        return (await Book.Find(d => d.Id == id).FirstOrDefaultAsync(ct))?.ToDomain();
    }

    public async Task<Trade?> GetTradeAsync(Guid id, CancellationToken ct = default)
    {
        await _indexes.EnsureAsync(ct);
        return (await Trades.Find(d => d.Id == id).FirstOrDefaultAsync(ct))?.ToDomain();
    }

    public async Task<IReadOnlyList<Trade>> TradesAsync(TradeQuery query, CancellationToken ct = default)
    {
        await _indexes.EnsureAsync(ct);
        var docs = await Trades.Find(MongoMapping.TradesMatching(query)).Sort(MongoMapping.NewestTradesFirst).Limit(query.Limit).ToListAsync(ct);
        return docs.Select(d => d.ToDomain()).ToList();
    }

    public async Task<IReadOnlyDictionary<string, IReadOnlyList<Trade>>> TradesUsingListingsAsync(IReadOnlyCollection<string> listingIds,
        TradeStatus status, CancellationToken ct = default)
    {
        await _indexes.EnsureAsync(ct);
        return await TradesUsingListingsAsync(null, listingIds, status, ct);
    }

    /// <summary>A query's ids in chunks: a round's write asks for thousands, and a filter stays well under a document's 16 MB.</summary>
    internal const int IdsPerQuery = 1000;

    /// <summary>Each asked listing's trades in <paramref name="status"/>, in the order one listing's read gives them, inside
    /// the write of <paramref name="session"/> or, when null, outside any.</summary>
    internal async Task<IReadOnlyDictionary<string, IReadOnlyList<Trade>>> TradesUsingListingsAsync(IClientSessionHandle? session,
        IReadOnlyCollection<string> listingIds, TradeStatus status, CancellationToken ct)
    {
        var asked = listingIds.ToHashSet(StringComparer.Ordinal);
        var trades = new Dictionary<Guid, TradeDocument>();
        foreach (var chunk in asked.Chunk(IdsPerQuery))
        {
            var filter = MongoMapping.UsingListings(chunk, status);
            var find = session is null ? Trades.Find(filter) : Trades.Find(session, filter);
            foreach (var doc in await find.ToListAsync(ct)) trades.TryAdd(doc.Id, doc);
        }
        return MongoMapping.TradesByListing(trades.Values, asked);
    }

    public async Task<int> ForgetRoundsAsync(DateTimeOffset before, int max, CancellationToken ct = default)
    {
        await _indexes.EnsureAsync(ct);
        var newest = await Rounds.Find(FilterDefinition<RoundDocument>.Empty).Sort(MongoMapping.NewestRoundsFirst).Limit(1).FirstOrDefaultAsync(ct);
        if (newest is null) return 0;
        var ids = await Rounds.Find(MongoMapping.RoundsToForget(before, newest.Id)).SortBy(d => d.StartedAt).Limit(max)
            .Project(d => d.Id).ToListAsync(ct);
        if (ids.Count == 0) return 0;
        return (int)(await Rounds.DeleteManyAsync(Builders<RoundDocument>.Filter.In(d => d.Id, ids), ct)).DeletedCount;
    }

    public async Task<int> ForgetUnagreedTradesAsync(DateTimeOffset before, int max, CancellationToken ct = default)
    {
        await _indexes.EnsureAsync(ct);
        var filter = MongoMapping.UnagreedTradesToForget(before);
        var ids = await Trades.Find(filter).SortBy(d => d.CancelledAt).Limit(max).Project(d => d.Id).ToListAsync(ct);
        if (ids.Count == 0) return 0;
        // A trade's towns and listings are fields of its document: deleting it leaves nothing behind that names it. The rule is
        // checked again by the delete itself (a cancelled trade never changes, but the delete holds on its own).
        return (int)(await Trades.DeleteManyAsync(filter & Builders<TradeDocument>.Filter.In(d => d.Id, ids), ct)).DeletedCount;
    }

    public async Task<ClearingRound?> GetRoundAsync(Guid id, CancellationToken ct = default)
    {
        await _indexes.EnsureAsync(ct);
        return (await Rounds.Find(d => d.Id == id).FirstOrDefaultAsync(ct))?.ToDomain();
    }

    public async Task<IReadOnlyList<ClearingRound>> RoundsAsync(int limit, CancellationToken ct = default)
    {
        await _indexes.EnsureAsync(ct);
        var docs = await Rounds.Find(FilterDefinition<RoundDocument>.Empty).SortByDescending(d => d.StartedAt).ThenBy(d => d.Id).Limit(limit).ToListAsync(ct);
        return docs.Select(d => d.ToDomain()).ToList();
    }

    public async Task<IReadOnlyDictionary<TradeStatus, long>> CountTradesByStatusAsync(CancellationToken ct = default)
    {
        await _indexes.EnsureAsync(ct);
        using var cursor = await Trades.AggregateAsync(MongoMapping.CountByStatus, cancellationToken: ct);
        var groups = await cursor.ToListAsync(ct);
        return groups.ToDictionary(g => Enum.Parse<TradeStatus>(g["_id"].AsString, ignoreCase: true), g => g["count"].ToInt64());
    }

    public async Task<bool> TryTakeLeaseAsync(string name, string holder, DateTimeOffset now, DateTimeOffset until, CancellationToken ct = default)
    {
        await _indexes.EnsureAsync(ct);
        return await Mongo.TryTakeLeaseAsync(name, holder, now, until, ct);
    }

    public async Task<bool> TryExtendLeaseAsync(string name, string holder, DateTimeOffset until, CancellationToken ct = default)
    {
        // The same conditional write a round makes inside its own transaction, here in one of its own.
        await using var session = await BeginAsync(ct);
        var extended = await session.ExtendLeaseAsync(name, holder, until, ct);
        await session.CommitAsync(ct);
        return extended;
    }

    public async Task ReleaseLeaseAsync(string name, string holder, CancellationToken ct = default)
    {
        await _indexes.EnsureAsync(ct);
        await Leases.DeleteOneAsync(d => d.Id == name && d.Holder == holder, ct);
    }

    /// <summary>Gives the trades an earlier release stored their town pairs, a batch at a time; at each start, finding
    /// nothing once they all have them (read along town_pairs_created, where they sit under null).</summary>
    private async Task FillTownPairsAsync(CancellationToken ct)
    {
        while (true)
        {
            var batch = await Trades.Find(MongoMapping.WithoutTownPairs).Limit(IdsPerQuery)
                .Project(d => new { d.Id, d.Towns }).ToListAsync(ct);
            if (batch.Count == 0) return;
            var written = await Trades.BulkWriteAsync(batch.Select(d => MongoMapping.FillTownPairs(d.Id, d.Towns)),
                new BulkWriteOptions { IsOrdered = false }, cancellationToken: ct);
            // Nothing matched (another instance filled them meanwhile, or a write gave them pairs): never loop on a batch.
            if (batch.Count < IdsPerQuery || written.MatchedCount == 0) return;
        }
    }

    private async Task EnsureIndexesAsync(CancellationToken ct)
    {
        await Mongo.EnsureOutboxIndexesAsync(ct);
        await Trades.Indexes.CreateManyAsync(MongoMapping.TradeIndexes, ct);
        foreach (var name in MongoMapping.DroppedTradeIndexes)
        {
            try
            {
                await Trades.Indexes.DropOneAsync(name, ct);
            }
            catch (MongoCommandException gone) when (gone.Code == 27) // IndexNotFound: dropped already, or never made
            {
            }
        }
        await FillTownPairsAsync(ct);
        await Trades.Indexes.CreateOneAsync(MongoMapping.UnagreedCancelledIndex, cancellationToken: ct);
        await Book.Indexes.CreateOneAsync(MongoMapping.LiveBookIndex, cancellationToken: ct);
        await Rounds.Indexes.CreateOneAsync(MongoMapping.RoundsIndex, cancellationToken: ct);
    }
}
