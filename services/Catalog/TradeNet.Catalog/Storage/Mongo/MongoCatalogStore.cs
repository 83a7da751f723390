using MongoDB.Bson;
using MongoDB.Driver;
using TradeNet.Catalog.Domain;
using TradeNet.Shared.Storage.Mongo;
using static TradeNet.Catalog.Storage.Mongo.CatalogMongoQueries;

namespace TradeNet.Catalog.Storage.Mongo;

/// <summary>The catalog in its own MongoDB database: collections towns, categories, listings, reservations, listingRequests,
/// townRequests, revokedKeys and counters (plus the shared outbox and inbox). Writes are transactions, so the server must be a replica set.</summary>
public sealed class MongoCatalogStore : ICatalogStore
{
    public const string DefaultDatabase = "tradenet_catalog";

    public MongoCatalogStore(IMongoClient client, string databaseName = DefaultDatabase)
    {
        CatalogMongoMapping.Register();
        Mongo = new MongoStore(client, databaseName);
        Towns = Mongo.Database.GetCollection<Town>("towns");
        Categories = Mongo.Database.GetCollection<Category>("categories");
        Listings = Mongo.Database.GetCollection<Listing>("listings");
        Reservations = Mongo.Database.GetCollection<Reservation>("reservations");
        ListingRequests = Mongo.Database.GetCollection<ListingRequest>("listingRequests");
        RevokedKeys = Mongo.Database.GetCollection<RevokedKey>("revokedKeys");
        TownRequests = Mongo.Database.GetCollection<TownRequest>("townRequests");
        Counters = Mongo.Database.GetCollection<BsonDocument>("counters");
    }

    public MongoStore Mongo { get; }
    internal IMongoCollection<Town> Towns { get; }
    internal IMongoCollection<Category> Categories { get; }
    internal IMongoCollection<Listing> Listings { get; }
    internal IMongoCollection<Reservation> Reservations { get; }
    internal IMongoCollection<ListingRequest> ListingRequests { get; }
    internal IMongoCollection<RevokedKey> RevokedKeys { get; }
    internal IMongoCollection<TownRequest> TownRequests { get; }
    internal IMongoCollection<BsonDocument> Counters { get; }

    public async Task InitializeAsync(IReadOnlyList<Category> categories, CancellationToken ct = default)
    {
        await Mongo.EnsureOutboxIndexesAsync(ct);
        await Towns.Indexes.CreateOneAsync(TownKeyIndex, cancellationToken: ct);
        await Listings.Indexes.CreateManyAsync([ListingsByTownIndex, ListingsBookIndex, ListingsCreatedIndex, .. ListingsFilterIndexes], ct);
        await RevokedKeys.Indexes.CreateOneAsync(RevokedKeysByTimeIndex, cancellationToken: ct);
        await TownRequests.Indexes.CreateOneAsync(TownRequestsExpiryIndex, cancellationToken: ct);
        // Collections must exist before a transaction writes to them (older servers refuse to create them inside one).
        var existing = (await (await Mongo.Database.ListCollectionNamesAsync(cancellationToken: ct)).ToListAsync(ct)).ToHashSet();
        foreach (var name in new[] { "reservations", "listingRequests", "townRequests", "inbox", "outbox", "revokedKeys", "counters" }.Where(n => !existing.Contains(n)))
        {
            try { await Mongo.Database.CreateCollectionAsync(name, cancellationToken: ct); }
            catch (MongoCommandException ex) when (ex.CodeName == "NamespaceExists") { }
        }
        if (categories.Count > 0)
            await Categories.BulkWriteAsync(
                categories.Select(c => new ReplaceOneModel<Category>(CategoryById(c.Id), c) { IsUpsert = true }), cancellationToken: ct);
    }

    public async Task<ICatalogSession> BeginAsync(CancellationToken ct = default) =>
        new MongoCatalogSession(this, await Mongo.BeginWriteAsync(ct));

    public async Task<IReadOnlyList<Town>> GetTownsAsync(IReadOnlyCollection<string>? ids = null, TownPage? page = null, CancellationToken ct = default) =>
        await Towns.Find(TownsByIds(ids) & TownsAfter(page?.After) & TownsOf(page)).SortBy(t => t.Name).ThenBy(t => t.Id).Limit(page?.Limit).ToListAsync(ct);

    public async Task<Town?> GetTownAsync(string id, CancellationToken ct = default) =>
        await Towns.Find(TownById(id)).FirstOrDefaultAsync(ct);

    public async Task<long> TownRenamesAsync(CancellationToken ct = default) =>
        (await Counters.Find(TownRenameCounter).FirstOrDefaultAsync(ct))?[CounterValue].ToInt64() ?? 0;

    public async Task<Town?> FindTownByKeyHashAsync(string apiKeyHash, CancellationToken ct = default) =>
        await Towns.Find(TownByKeyHash(apiKeyHash)).FirstOrDefaultAsync(ct);

    public async Task<IReadOnlyList<Category>> GetCategoriesAsync(CancellationToken ct = default) =>
        await Categories.Find(Builders<Category>.Filter.Empty).SortBy(c => c.Family).ThenBy(c => c.Id).ToListAsync(ct);

    public async Task<IReadOnlyList<Listing>> FindListingsAsync(ListingQuery query, CancellationToken ct = default) =>
        await Listings.Find(CatalogMongoQueries.Listings(query)).Sort(ListingOrder).Limit(query.Limit).ToListAsync(ct);

    public async Task<Listing?> GetListingAsync(string id, CancellationToken ct = default) =>
        await Listings.Find(ListingById(id)).FirstOrDefaultAsync(ct);

    public async Task<Reservation?> GetReservationAsync(Guid tradeId, CancellationToken ct = default) =>
        await Reservations.Find(ReservationByTrade(tradeId)).FirstOrDefaultAsync(ct);

    public async Task<RevokedKeyPage> GetRevokedKeysAsync(long afterSequence, int limit, CancellationToken ct = default)
    {
        // The counter first: an entry up to it that the page then lacks was pruned in between, not still to come.
        var counter = await Counters.Find(RevokedKeyCounter).FirstOrDefaultAsync(ct);
        var newest = counter?[CounterValue].ToInt64() ?? 0;
        var keys = await RevokedKeys.Find(RevokedKeysAfter(afterSequence)).Sort(RevokedKeyOrder).Limit(limit).ToListAsync(ct);
        return new RevokedKeyPage(keys, newest);
    }
}
