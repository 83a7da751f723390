using TradeNet.Shared.Storage.Mongo;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Conventions;
using MongoDB.Bson.Serialization.Serializers;
using MongoDB.Driver;

namespace TradeNet.Matching.Storage.Mongo;

/// <summary>Class maps, filters and indexes of matching's MongoDB collections, kept together so the
/// mapping tests can render them without a server.</summary>
public static class MongoMapping
{
    public const string Book = "book";
    public const string Trades = "trades";
    public const string Rounds = "rounds";

    private static readonly object Gate = new();
    private static bool _registered;

    public static void Register()
    {
        lock (Gate)
        {
            if (_registered) return;
            MongoGuids.UseStandard();
            ConventionRegistry.Register("tradenet-matching",
                new ConventionPack { new CamelCaseElementNameConvention(), new IgnoreExtraElementsConvention(true) },
                t => t.Namespace == typeof(MongoMapping).Namespace);
            BsonClassMap.TryRegisterClassMap<BookDocument>(cm =>
            {
                cm.AutoMap();
                cm.MapIdMember(d => d.Id);
            });
            BsonClassMap.TryRegisterClassMap<ListingDocument>(cm =>
            {
                cm.AutoMap();
                // Embedded: the listing id is a field here, not a document key.
                cm.UnmapMember(d => d.Id);
                cm.MapMember(d => d.Id).SetElementName("listingId");
            });
            BsonClassMap.TryRegisterClassMap<TradeDocument>(cm =>
            {
                cm.AutoMap();
                cm.MapIdMember(d => d.Id).SetSerializer(new GuidSerializer(GuidRepresentation.Standard));
                cm.MapMember(d => d.RoundId).SetSerializer(new GuidSerializer(GuidRepresentation.Standard));
            });
            BsonClassMap.TryRegisterClassMap<LegDocument>(cm => cm.AutoMap());
            BsonClassMap.TryRegisterClassMap<RoundDocument>(cm =>
            {
                cm.AutoMap();
                cm.MapIdMember(d => d.Id).SetSerializer(new GuidSerializer(GuidRepresentation.Standard));
            });
            _registered = true;
        }
    }

    public static FilterDefinition<BookDocument> OpenListings =>
        Builders<BookDocument>.Filter.Eq(d => d.Withdrawn, false) & Builders<BookDocument>.Filter.Ne(d => d.Listing, null);

    /// <summary>What a round can clear at <paramref name="now"/> (<see cref="IMatchingStore.LiveListingsAsync"/>): the
    /// withdrawn and remaining conditions are <see cref="LiveBookIndex"/>'s own, so the server can use that partial index.</summary>
    public static FilterDefinition<BookDocument> LiveListings(DateTimeOffset now)
    {
        var f = Builders<BookDocument>.Filter;
        return f.Eq(d => d.Withdrawn, false) & f.Gt(d => d.Listing!.Remaining, 0) &
               (f.Eq(d => d.Listing!.AvailableUntil, null) | f.Gte(d => d.Listing!.AvailableUntil, now.UtcDateTime));
    }

    /// <summary>A page of <c>GET /book</c> after the id <paramref name="after"/>, on the _id index.</summary>
    public static FilterDefinition<BookDocument> ListingsAfter(string? after) =>
        string.IsNullOrEmpty(after) ? OpenListings : OpenListings & Builders<BookDocument>.Filter.Gt(d => d.Id, after);

    public static FilterDefinition<TradeDocument> TradesMatching(TradeQuery query)
    {
        var f = Builders<TradeDocument>.Filter;
        var filter = f.Empty;
        // Two towns (a town caller asking about another): their pair, whose index holds the two towns' trades only, rather
        // than both towns in the array ($all), which the server reads along one town's trades testing the other on each.
        var towns = query.Towns;
        if (towns.Count == 1) filter &= f.AnyEq(d => d.Towns, towns[0]);
        else if (towns.Count > 1) filter &= f.AnyEq(d => d.TownPairs, TownPair(towns[0], towns[1]));
        if (query.ListingId is not null) filter &= f.AnyEq(d => d.ListingIds, query.ListingId);
        if (query.Status is { } status) filter &= f.Eq(d => d.Status, MongoMatchingStore.StatusText(status));
        if (query.DeadlineBefore is { } before) filter &= f.Lte(d => d.Deadline, before.UtcDateTime);
        if (query.AgreedSince is { } since) filter &= f.Gte(d => d.AgreedAt, since.UtcDateTime);
        // After a page's last trade in NewestTradesFirst's order. The $lte adds nothing to the answer; it bounds the index
        // range on createdAt, so a later page starts at its place rather than walking the newer trades to it.
        if (query.After is { } after)
            filter &= f.Lte(d => d.CreatedAt, after.CreatedAt.UtcDateTime) &
                      (f.Lt(d => d.CreatedAt, after.CreatedAt.UtcDateTime) | (f.Eq(d => d.CreatedAt, after.CreatedAt.UtcDateTime) & f.Gt(d => d.Id, after.Id)));
        return filter;
    }

    /// <summary>Between the two ids of a pair: QueryIds refuses control characters in an id asked about, so no town id that
    /// can be asked about holds it.</summary>
    internal const char PairSeparator = '\u001f';

    /// <summary>Two towns as one key, the same whichever is named first (ordinal order).</summary>
    public static string TownPair(string a, string b) =>
        string.CompareOrdinal(a, b) <= 0 ? $"{a}{PairSeparator}{b}" : $"{b}{PairSeparator}{a}";

    /// <summary>Each pair of distinct <paramref name="towns"/> once.</summary>
    public static string[] TownPairs(IEnumerable<string> towns)
    {
        var distinct = towns.Distinct(StringComparer.Ordinal).ToArray();
        return [.. distinct.SelectMany((a, i) => distinct.Skip(i + 1).Select(b => TownPair(a, b)))];
    }

    /// <summary>Trades stored before <see cref="TradeDocument.TownPairs"/> existed (absent or null: every trade stored since
    /// has at least one pair).</summary>
    public static FilterDefinition<TradeDocument> WithoutTownPairs => Builders<TradeDocument>.Filter.Eq(d => d.TownPairs, null);

    /// <summary>Sets the pairs of a trade stored without them, unless a write gave it some meanwhile.</summary>
    public static UpdateOneModel<TradeDocument> FillTownPairs(Guid id, IEnumerable<string> towns) =>
        new(Builders<TradeDocument>.Filter.Eq(d => d.Id, id) & WithoutTownPairs,
            Builders<TradeDocument>.Update.Set(d => d.TownPairs, TownPairs(towns)));

    public static FilterDefinition<TradeDocument> UsingListing(string listingId, Domain.TradeStatus status) =>
        Builders<TradeDocument>.Filter.AnyEq(d => d.ListingIds, listingId) &
        Builders<TradeDocument>.Filter.Eq(d => d.Status, MongoMatchingStore.StatusText(status));

    /// <summary>Trades in <paramref name="status"/> using any of <paramref name="listingIds"/>: a round's write reads those of
    /// thousands of listings at once (the same index as one listing's).</summary>
    public static FilterDefinition<TradeDocument> UsingListings(IEnumerable<string> listingIds, Domain.TradeStatus status) =>
        Builders<TradeDocument>.Filter.AnyIn(d => d.ListingIds, listingIds) &
        Builders<TradeDocument>.Filter.Eq(d => d.Status, MongoMatchingStore.StatusText(status));

    /// <summary>Each asked listing's trades among <paramref name="trades"/>, in the order one listing's read gives them:
    /// created, then id (a Guid's CompareTo orders UUIDs as the server does, by their bytes in RFC 4122 order; a round's
    /// trades share their time).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<Domain.Trade>> TradesByListing(IEnumerable<TradeDocument> trades, IReadOnlySet<string> asked)
    {
        var found = new Dictionary<string, List<Domain.Trade>>(StringComparer.Ordinal);
        foreach (var doc in trades.OrderBy(d => d.CreatedAt).ThenBy(d => d.Id))
        {
            var trade = doc.ToDomain();
            foreach (var id in doc.ListingIds.Distinct(StringComparer.Ordinal).Where(asked.Contains))
                (found.TryGetValue(id, out var list) ? list : found[id] = []).Add(trade);
        }
        return found.ToDictionary(e => e.Key, e => (IReadOnlyList<Domain.Trade>)e.Value, StringComparer.Ordinal);
    }

    public static FilterDefinition<BookDocument> Listings(IEnumerable<string> ids) => Builders<BookDocument>.Filter.In(d => d.Id, ids);

    /// <summary>The trades of <paramref name="ids"/>.</summary>
    public static FilterDefinition<TradeDocument> TradesById(IEnumerable<Guid> ids) => Builders<TradeDocument>.Filter.In(d => d.Id, ids);

    /// <summary>A counter on a trade document that only makes a transaction's write conflict with others on the trade
    /// (<c>GuardTradesAsync</c>): no class member, so reading ignores it and the trade's next replace drops it.</summary>
    public const string GuardField = "guard";

    /// <summary>The write <c>GuardTradesAsync</c> makes to each trade it guards.</summary>
    public static UpdateDefinition<TradeDocument> TouchGuard => Builders<TradeDocument>.Update.Inc(GuardField, 1);

    /// <summary>The write <c>GuardListingsAsync</c> makes to each book document it guards: the same counter, which
    /// <see cref="BookDocument"/> has no member for (read, ignored; the listing's next save drops it).</summary>
    public static UpdateDefinition<BookDocument> TouchListingGuard => Builders<BookDocument>.Update.Inc(GuardField, 1);

    /// <summary>The optimistic concurrency guard: the update only matches the version that was read.</summary>
    public static FilterDefinition<TradeDocument> TradeAtVersion(Guid id, long version) =>
        Builders<TradeDocument>.Filter.Eq(d => d.Id, id) & Builders<TradeDocument>.Filter.Eq(d => d.Version, version);

    public static SortDefinition<RoundDocument> NewestRoundsFirst =>
        Builders<RoundDocument>.Sort.Descending(d => d.StartedAt).Ascending(d => d.Id);

    /// <summary>Rounds a retention sweep may delete: started before <paramref name="before"/>, and not the newest one.</summary>
    public static FilterDefinition<RoundDocument> RoundsToForget(DateTimeOffset before, Guid newest) =>
        Builders<RoundDocument>.Filter.Lt(d => d.StartedAt, before.UtcDateTime) & Builders<RoundDocument>.Filter.Ne(d => d.Id, newest);

    /// <summary>Trades <c>Matching:UnagreedTradeRetention</c> may delete (<see cref="Domain.Trade.CancelledUnagreed"/>):
    /// cancelled from proposed before <paramref name="before"/>, no agreement time, no leg picked up or delivered. The status
    /// and cancelledFrom equalities are <see cref="UnagreedCancelledIndex"/>'s own, so the server can use that partial index.</summary>
    public static FilterDefinition<TradeDocument> UnagreedTradesToForget(DateTimeOffset before)
    {
        var f = Builders<TradeDocument>.Filter;
        var l = Builders<LegDocument>.Filter;
        return f.Eq(d => d.Status, MongoMatchingStore.StatusText(Domain.TradeStatus.Cancelled))
               & f.Eq(d => d.CancelledFrom, MongoMatchingStore.StatusText(Domain.TradeStatus.Proposed))
               & f.Lt(d => d.CancelledAt, before.UtcDateTime)
               & f.Eq(d => d.AgreedAt, null)
               & f.Not(f.ElemMatch(d => d.Legs, l.Eq(g => g.PickedUp, true) | l.Eq(g => g.Delivered, true)));
    }

    public static SortDefinition<TradeDocument> NewestTradesFirst =>
        Builders<TradeDocument>.Sort.Descending(d => d.CreatedAt).Ascending(d => d.Id);

    /// <summary>Trades per status, one <c>{ _id: status, count }</c> per status present.</summary>
    public static PipelineDefinition<TradeDocument, BsonDocument> CountByStatus { get; } = new[]
    {
        new BsonDocument("$group", new BsonDocument { ["_id"] = "$status", ["count"] = new BsonDocument("$sum", 1) }),
    };

    public static IReadOnlyList<CreateIndexModel<TradeDocument>> TradeIndexes { get; } =
    [
        new(Builders<TradeDocument>.IndexKeys.Ascending(d => d.Status).Ascending(d => d.Deadline), new CreateIndexOptions { Name = "status_deadline" }),
        // A town's whole list in its order, _id included: without it (towns_created, dropped below) the server sorted every
        // trade of the town by _id within createdAt before it could stop at the limit.
        new(Builders<TradeDocument>.IndexKeys.Ascending(d => d.Towns).Descending(d => d.CreatedAt).Ascending(d => d.Id),
            new CreateIndexOptions { Name = "towns_created_id" }),
        // A town's list by status (GET /trades?status=proposed, the towns' most frequent read) in its order: the town's
        // trades of that status only, rather than its whole history on towns_created with the status tested on each.
        new(Builders<TradeDocument>.IndexKeys.Ascending(d => d.Towns).Ascending(d => d.Status).Descending(d => d.CreatedAt).Ascending(d => d.Id),
            new CreateIndexOptions { Name = "towns_status_created" }),
        // One town's trades with another (a town's ?town=), with a status or without, in the list's order: the pair's own
        // trades, not every trade of one of the towns.
        new(Builders<TradeDocument>.IndexKeys.Ascending(d => d.TownPairs).Ascending(d => d.Status).Descending(d => d.CreatedAt).Ascending(d => d.Id),
            new CreateIndexOptions { Name = "town_pairs_status_created" }),
        new(Builders<TradeDocument>.IndexKeys.Ascending(d => d.TownPairs).Descending(d => d.CreatedAt).Ascending(d => d.Id),
            new CreateIndexOptions { Name = "town_pairs_created" }),
        new(Builders<TradeDocument>.IndexKeys.Ascending(d => d.ListingIds).Ascending(d => d.Status), new CreateIndexOptions { Name = "listing_status" }),
        new(Builders<TradeDocument>.IndexKeys.Descending(d => d.CreatedAt), new CreateIndexOptions { Name = "created" }),
        // A list by status (GET /trades?status=completed) in its order, rather than every trade of the status sorted.
        new(Builders<TradeDocument>.IndexKeys.Ascending(d => d.Status).Descending(d => d.CreatedAt).Ascending(d => d.Id), new CreateIndexOptions { Name = "status_created" }),
        // Rounds read the trades agreed in the last day, agreed or completed since, for their holds (BookHolds).
        new(Builders<TradeDocument>.IndexKeys.Ascending(d => d.Status).Ascending(d => d.AgreedAt), new CreateIndexOptions { Name = "status_agreed" }),
    ];

    /// <summary>Indexes an earlier release created that these replace (a changed key needs a new name: the server refuses an
    /// index whose name it has with other keys), dropped at start.</summary>
    public static IReadOnlyList<string> DroppedTradeIndexes { get; } = ["towns_created"];

    /// <summary>Only the proposals cancelled before they were agreed, by when: the retention's batches read their own
    /// documents, not every trade (agreed, completed and older cancelled trades have no cancelledFrom of "proposed").</summary>
    public static CreateIndexModel<TradeDocument> UnagreedCancelledIndex { get; } =
        new(Builders<TradeDocument>.IndexKeys.Ascending(d => d.CancelledAt), new CreateIndexOptions<TradeDocument>
        {
            Name = "unagreed_cancelled",
            PartialFilterExpression = Builders<TradeDocument>.Filter.Eq(d => d.Status, MongoMatchingStore.StatusText(Domain.TradeStatus.Cancelled))
                                      & Builders<TradeDocument>.Filter.Eq(d => d.CancelledFrom, MongoMatchingStore.StatusText(Domain.TradeStatus.Proposed)),
        });

    /// <summary>Only listings with something left: the exhausted history, most of the book after months, is not in it.</summary>
    public static CreateIndexModel<BookDocument> LiveBookIndex { get; } =
        new(Builders<BookDocument>.IndexKeys.Ascending(d => d.Listing!.AvailableUntil), new CreateIndexOptions<BookDocument>
        {
            Name = "live",
            PartialFilterExpression = Builders<BookDocument>.Filter.Eq(d => d.Withdrawn, false) & Builders<BookDocument>.Filter.Gt(d => d.Listing!.Remaining, 0),
        });

    public static CreateIndexModel<RoundDocument> RoundsIndex { get; } =
        new(Builders<RoundDocument>.IndexKeys.Descending(d => d.StartedAt), new CreateIndexOptions { Name = "started" });
}
