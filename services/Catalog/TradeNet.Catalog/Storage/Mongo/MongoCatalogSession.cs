using MongoDB.Bson;
using MongoDB.Driver;
using TradeNet.Catalog.Domain;
using TradeNet.Shared.Storage.Mongo;
using static TradeNet.Catalog.Storage.Mongo.CatalogMongoQueries;

namespace TradeNet.Catalog.Storage.Mongo;

/// <summary>A MongoDB transaction; races (duplicate keys, write conflicts, moved versions) surface as
/// <see cref="CatalogConflictException"/> so the caller retries the whole write.</summary>
internal sealed class MongoCatalogSession(MongoCatalogStore store, MongoWriteScope scope) : ICatalogSession
{
    private IClientSessionHandle Session => scope.Session;

    public void Publish<T>(T message) where T : class => scope.Publish(message);

    public Task<bool> TryConsumeAsync(Guid messageId, string consumer, CancellationToken ct = default) =>
        Guarded(() => scope.TryConsumeAsync(messageId, consumer, ct));

    public Task CommitAsync(CancellationToken ct = default) => Guarded(async () =>
    {
        await scope.CommitAsync(ct);
        return true;
    });

    public ValueTask DisposeAsync() => scope.DisposeAsync();

    public async Task<Town?> GetTownAsync(string id, CancellationToken ct = default) =>
        await store.Towns.Find(Session, TownById(id)).FirstOrDefaultAsync(ct);

    public async Task<Category?> GetCategoryAsync(string id, CancellationToken ct = default) =>
        await store.Categories.Find(Session, CategoryById(id)).FirstOrDefaultAsync(ct);

    public async Task<Listing?> GetListingAsync(string id, CancellationToken ct = default) =>
        await store.Listings.Find(Session, ListingById(id)).FirstOrDefaultAsync(ct);

    public async Task<Reservation?> GetReservationAsync(Guid tradeId, CancellationToken ct = default) =>
        await store.Reservations.Find(Session, ReservationByTrade(tradeId)).FirstOrDefaultAsync(ct);

    public async Task<IReadOnlyList<Guid>> TradesHoldingAsync(string listingId, CancellationToken ct = default) =>
        (await store.Reservations.Find(Session, HeldOnListing(listingId)).Sort(ReservationsOldestFirst).ToListAsync(ct))
        .Select(r => r.TradeId).ToList();

    public Task AddTownAsync(Town town, CancellationToken ct = default) =>
        Guarded(async () =>
        {
            await store.Towns.InsertOneAsync(Session, town, cancellationToken: ct);
            return true;
        });

    // A suspension committing after this transaction's snapshot does not read the towns this registration adds, so the
    // two still order as one before the other: the registration, then the suspension.
    public async Task<IReadOnlyList<Town>> GetSuspendedTownsLikeAsync(string? inseeCode, GeoBox near, CancellationToken ct = default) =>
        await store.Towns.Find(Session, SuspendedTownsLike(inseeCode, near)).SortBy(t => t.Id).ToListAsync(ct);

    public async Task<TownRequest?> GetTownRequestAsync(string keyHash, CancellationToken ct = default) =>
        await store.TownRequests.Find(Session, TownRequestByKey(keyHash)).FirstOrDefaultAsync(ct);

    public Task AddTownRequestAsync(TownRequest request, DateTimeOffset now, CancellationToken ct = default) =>
        Guarded(async () =>
        {
            // The TTL monitor may not have removed an expired key yet; it would block the insert.
            await store.TownRequests.DeleteOneAsync(Session, ExpiredTownRequest(request.KeyHash, now), cancellationToken: ct);
            await store.TownRequests.InsertOneAsync(Session, request, cancellationToken: ct);
            return true;
        });

    public Task ReplaceTownKeyAsync(string townId, string currentHash, string newHash, CancellationToken ct = default) =>
        Guarded(async () =>
        {
            var result = await store.Towns.UpdateOneAsync(Session, TownWithKey(townId, currentHash), SetKeyHash(newHash), cancellationToken: ct);
            if (result.MatchedCount != 1) throw new CatalogConflictException($"Town '{townId}' changed its key meanwhile.");
            return true;
        });

    public Task UpdateTownAsync(Town town, CancellationToken ct = default) =>
        Guarded(async () =>
        {
            // A new name is numbered as the next rename (TownPage.RenamedUpTo); the counter's write makes concurrent
            // renames conflict, so the numbers follow the commits.
            var update = SetTownDetails(town);
            var stored = await store.Towns.Find(Session, TownById(town.Id)).FirstOrDefaultAsync(ct);
            if (stored is not null && !string.Equals(stored.Name, town.Name, StringComparison.Ordinal))
            {
                var counter = await store.Counters.FindOneAndUpdateAsync(Session, TownRenameCounter, Builders<BsonDocument>.Update.Inc(CounterValue, 1L),
                    new FindOneAndUpdateOptions<BsonDocument> { IsUpsert = true, ReturnDocument = ReturnDocument.After }, ct);
                update = Builders<Town>.Update.Combine(update, Builders<Town>.Update.Set(TownRenamed, counter[CounterValue].ToInt64()));
            }
            // $set of the changed fields, never a replace: a replace would write back the key hash this session read.
            var result = await store.Towns.UpdateOneAsync(Session, TownById(town.Id), update, cancellationToken: ct);
            if (result.MatchedCount != 1) throw new CatalogConflictException($"Town '{town.Id}' is not stored.");
            return true;
        });

    public Task SetTownSuspensionAsync(string townId, TownSuspension suspension, CancellationToken ct = default) =>
        Guarded(async () =>
        {
            var result = await store.Towns.UpdateOneAsync(Session, TownById(townId), SetSuspension(suspension), cancellationToken: ct);
            if (result.MatchedCount != 1) throw new CatalogConflictException($"Town '{townId}' is not stored.");
            return true;
        });

    public Task ReinstateTownAsync(string townId, DateTimeOffset reinstatedAt, CancellationToken ct = default) =>
        Guarded(async () =>
        {
            var result = await store.Towns.UpdateOneAsync(Session, TownById(townId), Reinstate(reinstatedAt), cancellationToken: ct);
            if (result.MatchedCount != 1) throw new CatalogConflictException($"Town '{townId}' is not stored.");
            return true;
        });

    public Task<long> RevokeKeyAsync(string keyHash, DateTimeOffset at, CancellationToken ct = default) =>
        Guarded(async () =>
        {
            var counter = await store.Counters.FindOneAndUpdateAsync(Session, RevokedKeyCounter, NextRevokedKey,
                new FindOneAndUpdateOptions<BsonDocument> { IsUpsert = true, ReturnDocument = ReturnDocument.After }, ct);
            var sequence = counter[CounterValue].ToInt64();
            await store.RevokedKeys.InsertOneAsync(Session, new RevokedKey(sequence, keyHash, at), cancellationToken: ct);
            await store.RevokedKeys.DeleteManyAsync(Session, RevokedKeysBefore(at - RevokedKey.Retention), cancellationToken: ct);
            return sequence;
        });

    public Task AddListingAsync(Listing listing, CancellationToken ct = default) =>
        Guarded(async () =>
        {
            await store.Listings.InsertOneAsync(Session, listing, cancellationToken: ct);
            return true;
        });

    public Task<int> CountOpenListingsAsync(string townId, DateTimeOffset now, CancellationToken ct = default) =>
        Guarded(async () =>
        {
            // The write first: a transaction reads a snapshot, so two counting at once would both see room for one more;
            // writing the same guard makes one of them conflict instead.
            await store.Counters.UpdateOneAsync(Session, OpenListingsGuard(townId), TouchGuard,
                new UpdateOptions { IsUpsert = true }, ct);
            return (int)await store.Listings.CountDocumentsAsync(Session, OpenListings(townId, now), cancellationToken: ct);
        });

    public Task<IReadOnlyList<Listing>> GetOpenListingsAsync(string townId, DateTimeOffset now, CancellationToken ct = default) =>
        Guarded<IReadOnlyList<Listing>>(async () =>
        {
            // The guard a publish writes when it counts: a publish racing this read conflicts with it, so no listing
            // committed beside a town's move keeps the old position in its snapshot.
            await store.Counters.UpdateOneAsync(Session, OpenListingsGuard(townId), TouchGuard,
                new UpdateOptions { IsUpsert = true }, ct);
            return await store.Listings.Find(Session, OpenListings(townId, now)).Sort(ListingOrder).ToListAsync(ct);
        });

    public Task UpdateListingAsync(Listing listing, long expectedVersion, CancellationToken ct = default) =>
        Guarded(async () =>
        {
            var result = await store.Listings.ReplaceOneAsync(Session, ListingAtVersion(listing.Id, expectedVersion), listing,
                cancellationToken: ct);
            if (result.MatchedCount != 1) throw new CatalogConflictException($"Listing '{listing.Id}' changed meanwhile.");
            return true;
        });

    public async Task<ListingRequest?> GetListingRequestAsync(string townId, string key, CancellationToken ct = default) =>
        await store.ListingRequests.Find(Session, ListingRequestOf(townId, key)).FirstOrDefaultAsync(ct);

    public Task AddListingRequestAsync(ListingRequest request, CancellationToken ct = default) =>
        Guarded(async () =>
        {
            await store.ListingRequests.InsertOneAsync(Session, request, cancellationToken: ct);
            return true;
        });

    public Task AddReservationAsync(Reservation reservation, CancellationToken ct = default) =>
        Guarded(async () =>
        {
            await store.Reservations.InsertOneAsync(Session, reservation, cancellationToken: ct);
            return true;
        });

    public Task UpdateReservationAsync(Reservation reservation, CancellationToken ct = default) =>
        Guarded(async () =>
        {
            var result = await store.Reservations.ReplaceOneAsync(Session, ReservationByTrade(reservation.TradeId), reservation,
                cancellationToken: ct);
            if (result.MatchedCount != 1) throw new KeyNotFoundException($"Trade {reservation.TradeId} has no reservation.");
            return true;
        });

    private static async Task<T> Guarded<T>(Func<Task<T>> write)
    {
        try
        {
            return await write();
        }
        catch (MongoWriteException ex) when (ex.WriteError?.Category == ServerErrorCategory.DuplicateKey)
        {
            throw new CatalogConflictException("A document with this key already exists.", ex);
        }
        catch (MongoException ex) when (ex.HasErrorLabel("TransientTransactionError"))
        {
            throw new CatalogConflictException("The transaction conflicted with another write.", ex);
        }
    }
}
