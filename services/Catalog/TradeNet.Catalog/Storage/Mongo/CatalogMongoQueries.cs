using MongoDB.Bson;
using MongoDB.Driver;
using TradeNet.Catalog.Domain;

namespace TradeNet.Catalog.Storage.Mongo;

/// <summary>The catalog's filters and indexes, kept apart so they can be rendered and checked without a server.</summary>
public static class CatalogMongoQueries
{
    public static FilterDefinition<Town> TownById(string id) => Builders<Town>.Filter.Eq(t => t.Id, id);

    public static FilterDefinition<Town> TownsByIds(IReadOnlyCollection<string>? ids) =>
        ids is null || ids.Count == 0 ? Builders<Town>.Filter.Empty : Builders<Town>.Filter.In(t => t.Id, ids);

    /// <summary>The towns past a place in the towns' order (name, then id); all when there is none.</summary>
    public static FilterDefinition<Town> TownsAfter(TownCursor? after)
    {
        var f = Builders<Town>.Filter;
        return after is null ? f.Empty : f.Gt(t => t.Name, after.Name) | (f.Eq(t => t.Name, after.Name) & f.Gt(t => t.Id, after.Id));
    }

    /// <summary>The page's filters: suspended or active towns, one INSEE code; all towns when it has none.</summary>
    public static FilterDefinition<Town> TownsOf(TownPage? page)
    {
        var f = Builders<Town>.Filter;
        var filter = f.Empty;
        if (page?.Suspended is { } suspended) filter &= suspended ? f.Ne(t => t.Suspension, null) : f.Eq(t => t.Suspension, null);
        if (page?.InseeCode is { } insee) filter &= f.Eq(t => t.InseeCode, insee);
        // A town never renamed has no such field.
        if (page?.RenamedUpTo is { } renamed) filter &= f.Exists(TownRenamed, false) | f.Lte(TownRenamed, renamed);
        return filter;
    }

    public static FilterDefinition<Town> TownByKeyHash(string hash) => Builders<Town>.Filter.Eq(t => t.ApiKeyHash, hash);

    /// <summary>A key rotation lands only on the key the session read, so two rotations cannot both succeed from it.</summary>
    public static FilterDefinition<Town> TownWithKey(string id, string hash) =>
        Builders<Town>.Filter.Eq(t => t.Id, id) & Builders<Town>.Filter.Eq(t => t.ApiKeyHash, hash);

    public static UpdateDefinition<Town> SetKeyHash(string hash) => Builders<Town>.Update.Set(t => t.ApiKeyHash, hash);

    /// <summary>A suspension sets the town's <c>suspension</c> and nothing else.</summary>
    public static UpdateDefinition<Town> SetSuspension(TownSuspension suspension) => Builders<Town>.Update.Set(t => t.Suspension, suspension);

    /// <summary>A reinstatement clears the town's <c>suspension</c> and sets its <c>reinstatedAt</c>, and nothing else.</summary>
    public static UpdateDefinition<Town> Reinstate(DateTimeOffset reinstatedAt) =>
        Builders<Town>.Update.Set(t => t.Suspension, null).Set(t => t.ReinstatedAt, reinstatedAt);

    /// <summary>A town's change sets what may change, and the moves counted against its limit, and nothing else (the key
    /// hash is a rotation's). Two concurrent moves both write the document, so one of them conflicts and retries.</summary>
    public static UpdateDefinition<Town> SetTownDetails(Town town) => Builders<Town>.Update
        .Set(t => t.Name, town.Name).Set(t => t.Lat, town.Lat).Set(t => t.Lon, town.Lon).Set(t => t.Specialties, town.Specialties)
        .Set(t => t.Moves, town.Moves);

    /// <summary>Suspended towns holding the INSEE code (when given) or lying in the box: what a registration must not bring
    /// back under a new identity. Read in the registration's transaction.</summary>
    public static FilterDefinition<Town> SuspendedTownsLike(string? inseeCode, GeoBox near)
    {
        var f = Builders<Town>.Filter;
        var inBox = f.Gte(t => t.Lat, near.MinLat) & f.Lte(t => t.Lat, near.MaxLat) & f.Gte(t => t.Lon, near.MinLon) & f.Lte(t => t.Lon, near.MaxLon);
        return f.Ne(t => t.Suspension, null) & (inseeCode is null ? inBox : f.Eq(t => t.InseeCode, inseeCode) | inBox);
    }

    public static FilterDefinition<TownRequest> TownRequestByKey(string keyHash) => Builders<TownRequest>.Filter.Eq(r => r.KeyHash, keyHash);

    /// <summary>A registration key that expired by <paramref name="now"/>, which a new registration with the same key replaces
    /// (the TTL monitor removes the others, within a minute or so).</summary>
    public static FilterDefinition<TownRequest> ExpiredTownRequest(string keyHash, DateTimeOffset now) =>
        Builders<TownRequest>.Filter.Eq(r => r.KeyHash, keyHash) & Builders<TownRequest>.Filter.Lte(r => r.ExpiresAt, now);

    /// <summary>Removes each registration key once its <c>expiresAt</c> has passed.</summary>
    public static CreateIndexModel<TownRequest> TownRequestsExpiryIndex { get; } =
        new(Builders<TownRequest>.IndexKeys.Ascending(r => r.ExpiresAt), new CreateIndexOptions { Name = "expires_at", ExpireAfter = TimeSpan.Zero });

    public static FilterDefinition<Category> CategoryById(string id) => Builders<Category>.Filter.Eq(c => c.Id, id);

    public static FilterDefinition<Listing> ListingById(string id) => Builders<Listing>.Filter.Eq(l => l.Id, id);

    /// <summary>Optimistic concurrency: the replace only lands on the version the session read.</summary>
    public static FilterDefinition<Listing> ListingAtVersion(string id, long version) =>
        Builders<Listing>.Filter.Eq(l => l.Id, id) & Builders<Listing>.Filter.Eq(l => l.Version, version);

    public static FilterDefinition<Listing> Listings(ListingQuery query)
    {
        var f = Builders<Listing>.Filter;
        var filters = new List<FilterDefinition<Listing>>();
        if (query.TownId is not null) filters.Add(f.Eq(l => l.TownId, query.TownId));
        if (query.Kind is not null) filters.Add(f.Eq(l => l.Kind, query.Kind));
        if (query.Category is not null) filters.Add(f.Eq(l => l.Category, query.Category));
        if (query.Status is ListingStatuses.Active)
            filters.Add(f.Eq(l => l.Status, ListingStatuses.Active) & (f.Eq(l => l.AvailableUntil, null) | f.Gte(l => l.AvailableUntil, query.StatusTime)));
        else if (query.Status is ListingStatuses.Ended)
            filters.Add(f.Eq(l => l.Status, ListingStatuses.Active) & f.Lt(l => l.AvailableUntil, query.StatusTime));
        else if (query.Status is not null) filters.Add(f.Eq(l => l.Status, query.Status));
        if (query.Ids is { Count: > 0 }) filters.Add(f.In(l => l.Id, query.Ids));
        if (query.After is { } after)
            filters.Add(f.Gt(l => l.CreatedAt, after.CreatedAt) | (f.Eq(l => l.CreatedAt, after.CreatedAt) & f.Gt(l => l.Id, after.Id)));
        return filters.Count == 0 ? f.Empty : f.And(filters);
    }

    /// <summary>The town's listings that count against its limit (<see cref="Listing.IsOpenAt"/>).</summary>
    public static FilterDefinition<Listing> OpenListings(string townId, DateTimeOffset now)
    {
        var f = Builders<Listing>.Filter;
        return f.Eq(l => l.TownId, townId) & f.Eq(l => l.Status, ListingStatuses.Active)
            & (f.Eq(l => l.AvailableUntil, null) | f.Gte(l => l.AvailableUntil, now));
    }

    /// <summary>A town's guard in <c>counters</c>, written by every session that counts its open listings.</summary>
    public static FilterDefinition<BsonDocument> OpenListingsGuard(string townId) =>
        Builders<BsonDocument>.Filter.Eq("_id", $"openListings:{townId}");

    public static UpdateDefinition<BsonDocument> TouchGuard { get; } = Builders<BsonDocument>.Update.Inc("writes", 1L);

    public static SortDefinition<Listing> ListingOrder => Builders<Listing>.Sort.Ascending(l => l.CreatedAt).Ascending(l => l.Id);

    public static FilterDefinition<ListingRequest> ListingRequestOf(string townId, string key) =>
        Builders<ListingRequest>.Filter.Eq(r => r.Id, ListingRequest.IdOf(townId, key));

    public static FilterDefinition<Reservation> ReservationByTrade(Guid tradeId) => Builders<Reservation>.Filter.Eq(r => r.TradeId, tradeId);

    /// <summary>Held reservations with a line on the listing (no index: only a change refused for its quantity asks).</summary>
    public static FilterDefinition<Reservation> HeldOnListing(string listingId) =>
        Builders<Reservation>.Filter.Eq(r => r.State, ReservationStates.Held) &
        Builders<Reservation>.Filter.ElemMatch(r => r.Lines, Builders<ReservationLine>.Filter.Eq(l => l.ListingId, listingId));

    public static SortDefinition<Reservation> ReservationsOldestFirst =>
        Builders<Reservation>.Sort.Ascending(r => r.CreatedAt).Ascending(r => r.TradeId);

    /// <summary>The revoked-key feed's counter, in the <c>counters</c> collection: every revocation's transaction writes
    /// it, so two of them conflict and the feed's sequences follow their commits.</summary>
    public static FilterDefinition<BsonDocument> RevokedKeyCounter { get; } = Builders<BsonDocument>.Filter.Eq("_id", "revokedKeys");

    public const string CounterValue = "sequence";

    /// <summary>The town's <c>renamed</c>: the number of its last rename, kept beside the mapped fields.</summary>
    public const string TownRenamed = "renamed";

    public static FilterDefinition<BsonDocument> TownRenameCounter { get; } = Builders<BsonDocument>.Filter.Eq("_id", "townRenames");

    public static UpdateDefinition<BsonDocument> NextRevokedKey { get; } = Builders<BsonDocument>.Update.Inc(CounterValue, 1L);

    public static FilterDefinition<RevokedKey> RevokedKeysAfter(long sequence) => Builders<RevokedKey>.Filter.Gt(k => k.Sequence, sequence);

    /// <summary>What a revocation prunes: the entries revoked before <paramref name="before"/>.</summary>
    public static FilterDefinition<RevokedKey> RevokedKeysBefore(DateTimeOffset before) => Builders<RevokedKey>.Filter.Lt(k => k.RevokedAt, before);

    public static SortDefinition<RevokedKey> RevokedKeyOrder { get; } = Builders<RevokedKey>.Sort.Ascending(k => k.Sequence);

    public static CreateIndexModel<RevokedKey> RevokedKeysByTimeIndex { get; } =
        new(Builders<RevokedKey>.IndexKeys.Ascending(k => k.RevokedAt), new CreateIndexOptions { Name = "revoked_at" });

    /// <summary>A key authenticates exactly one town.</summary>
    public static CreateIndexModel<Town> TownKeyIndex { get; } =
        new(Builders<Town>.IndexKeys.Ascending(t => t.ApiKeyHash), new CreateIndexOptions { Name = "api_key_hash", Unique = true });

    public static CreateIndexModel<Listing> ListingsByTownIndex { get; } =
        new(Builders<Listing>.IndexKeys.Ascending(l => l.TownId), new CreateIndexOptions { Name = "town" });

    /// <summary>The listings' order (<see cref="ListingOrder"/>), as SQLite's <c>ix_listings_created</c>: pages of a list walk
    /// it instead of sorting every listing the filter keeps, once per page (the start's settle of spent listings,
    /// <c>SpentListings</c>, pages through every stored-active one).</summary>
    public static CreateIndexModel<Listing> ListingsCreatedIndex { get; } =
        new(Builders<Listing>.IndexKeys.Ascending(l => l.CreatedAt).Ascending(l => l.Id), new CreateIndexOptions { Name = "created" });

    /// <summary>The public list's filters, each followed by the list's order (as SQLite's <c>ix_listings_*_created</c>): anyone
    /// may send them, and without these a category nobody lists walked <c>created</c> through every listing, and a status
    /// sorted all of its listings, per page. New names beside <c>town</c>, so a database an earlier release indexed builds
    /// them at the next start rather than refusing a changed <c>town</c>.</summary>
    public static IReadOnlyList<CreateIndexModel<Listing>> ListingsFilterIndexes { get; } =
    [
        InOrder("town_created", Builders<Listing>.IndexKeys.Ascending(l => l.TownId)),
        InOrder("category_created", Builders<Listing>.IndexKeys.Ascending(l => l.Category)),
        InOrder("status_created", Builders<Listing>.IndexKeys.Ascending(l => l.Status)),
        InOrder("status_category_created", Builders<Listing>.IndexKeys.Ascending(l => l.Status).Ascending(l => l.Category)),
    ];

    private static CreateIndexModel<Listing> InOrder(string name, IndexKeysDefinition<Listing> filter) =>
        new(filter.Ascending(l => l.CreatedAt).Ascending(l => l.Id), new CreateIndexOptions { Name = name });

    /// <summary>The order book query: active offers/needs per category.</summary>
    public static CreateIndexModel<Listing> ListingsBookIndex { get; } =
        new(Builders<Listing>.IndexKeys.Ascending(l => l.Status).Ascending(l => l.Kind).Ascending(l => l.Category),
            new CreateIndexOptions { Name = "book" });
}
