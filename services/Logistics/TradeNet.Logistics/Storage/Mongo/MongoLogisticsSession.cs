using MongoDB.Bson;
using MongoDB.Driver;
using TradeNet.Logistics.Domain;
using TradeNet.Shared.Storage.Mongo;
using static TradeNet.Logistics.Storage.Mongo.LogisticsMongoQueries;

namespace TradeNet.Logistics.Storage.Mongo;

/// <summary>One MongoDB transaction. A write conflict with a concurrent transaction surfaces as
/// <see cref="ConcurrencyConflictException"/>, like a stale version does.</summary>
internal sealed class MongoLogisticsSession(LogisticsMongoStore store, MongoWriteScope scope) : ILogisticsSession
{
    private IClientSessionHandle Session => scope.Session;

    public void Publish<T>(T message) where T : class => scope.Publish(message);

    public Task<bool> TryConsumeAsync(Guid messageId, string consumer, CancellationToken ct = default) =>
        Guard(() => scope.TryConsumeAsync(messageId, consumer, ct));

    public Task CommitAsync(CancellationToken ct = default) => Guard(async () =>
    {
        await scope.CommitAsync(ct);
        return true;
    });

    public ValueTask DisposeAsync() => scope.DisposeAsync();

    public Task<bool> AddTransferAsync(TransferOrder transfer, CancellationToken ct = default) => Guard(async () =>
    {
        if (await store.Transfers.Find(Session, TransferOfLeg(transfer.TradeId, transfer.LegIndex)).AnyAsync(ct)) return false;
        await store.Transfers.InsertOneAsync(Session, MongoMapping.ToDocument(transfer), cancellationToken: ct);
        return true;
    });

    public Task<IReadOnlyList<TransferOrder>> TransfersOfTradeAsync(Guid tradeId, CancellationToken ct = default) => Guard(async () =>
    {
        var docs = await store.Transfers.Find(Session, TransfersOfTrade(tradeId)).SortBy(d => d.LegIndex).ToListAsync(ct);
        return (IReadOnlyList<TransferOrder>)docs.Select(MongoMapping.ToDomain).ToList();
    });

    public Task<IReadOnlyList<TransferOrder>> PendingTransfersAsync(int max, DateTimeOffset? readyBefore = null, CancellationToken ct = default) => Guard(async () =>
    {
        var docs = await store.Transfers.Find(Session, PendingTransfersReadyBefore(readyBefore)).Sort(OldestFirst).Limit(Math.Max(1, max)).ToListAsync(ct);
        return (IReadOnlyList<TransferOrder>)docs.Select(MongoMapping.ToDomain).ToList();
    });

    public Task SetTransferStatusAsync(Guid transferId, TransferStatus status, CancellationToken ct = default) => Guard(async () =>
    {
        var result = await store.Transfers.UpdateOneAsync(Session, TransferById(transferId), SetTransferStatus(status), cancellationToken: ct);
        if (result.MatchedCount != 1) throw new KeyNotFoundException($"Transfer {transferId} does not exist.");
        return true;
    });

    public Task<TransferOrder?> TransferAsync(Guid transferId, CancellationToken ct = default) => Guard(async () =>
    {
        var doc = await store.Transfers.Find(Session, TransferById(transferId)).FirstOrDefaultAsync(ct);
        return doc is null ? null : MongoMapping.ToDomain(doc);
    });

    public Task UpdateTransferAsync(TransferOrder transfer, CancellationToken ct = default) => Guard(async () =>
    {
        var result = await store.Transfers.UpdateOneAsync(Session, TransferById(transfer.Id), UpdateTransfer(transfer), cancellationToken: ct);
        if (result.MatchedCount != 1) throw new KeyNotFoundException($"Transfer {transfer.Id} does not exist.");
        return true;
    });

    public Task AddShipmentAsync(Shipment shipment, CancellationToken ct = default) => Guard(async () =>
    {
        await store.Shipments.InsertOneAsync(Session, MongoMapping.ToDocument(shipment), cancellationToken: ct);
        return true;
    });

    public Task<Shipment?> ShipmentAsync(Guid id, CancellationToken ct = default) => Guard(async () =>
    {
        var doc = await store.Shipments.Find(Session, ShipmentById(id)).FirstOrDefaultAsync(ct);
        return doc is null ? null : MongoMapping.ToDomain(doc);
    });

    public Task<IReadOnlyList<Shipment>> ShipmentsOfTradeAsync(Guid tradeId, CancellationToken ct = default) => Guard(async () =>
    {
        var docs = await store.Shipments.Find(Session, ShipmentsOfTrade(tradeId)).Sort(ByLeg).ToListAsync(ct);
        return (IReadOnlyList<Shipment>)docs.Select(MongoMapping.ToDomain).ToList();
    });

    public Task UpdateShipmentAsync(Shipment shipment, long expectedVersion, CancellationToken ct = default) => Guard(async () =>
    {
        var result = await store.Shipments.ReplaceOneAsync(Session, ShipmentAtVersion(shipment.Id, expectedVersion),
            MongoMapping.ToDocument(shipment), cancellationToken: ct);
        if (result.MatchedCount != 1)
            throw new ConcurrencyConflictException($"Shipment {shipment.Id} is no longer at version {expectedVersion}.");
        return true;
    });

    public Task<bool> MarkTradeCancelledAsync(Guid tradeId, string reason, DateTimeOffset at, CancellationToken ct = default) => Guard(async () =>
    {
        if (await store.CancelledTrades.Find(Session, CancelledTrade(tradeId)).AnyAsync(ct)) return false;
        await store.CancelledTrades.InsertOneAsync(Session,
            new CancelledTradeDocument { TradeId = tradeId, Reason = reason, CancelledAt = at.UtcDateTime }, cancellationToken: ct);
        return true;
    });

    public Task RememberTradeTraceAsync(Guid tradeId, string traceParent, CancellationToken ct = default) => Guard(async () =>
    {
        if (await store.TradeTraces.Find(Session, TradeTrace(tradeId)).AnyAsync(ct)) return false;
        await store.TradeTraces.InsertOneAsync(Session, new TradeTraceDocument { TradeId = tradeId, TraceParent = traceParent }, cancellationToken: ct);
        return true;
    });

    public Task SerializeTradeAsync(Guid tradeId, CancellationToken ct = default) => Guard(() =>
        store.TradeGuards.UpdateOneAsync(Session, TradeGuard(tradeId), TouchTradeGuard, new UpdateOptions { IsUpsert = true }, ct));

    public Task<HandoverAttempts> HandoverAttemptsAsync(Guid shipmentId, CancellationToken ct = default) => Guard(async () =>
    {
        // Written, not just read: see TouchHandoverAttempts. Two reports for one shipment cannot both try codes against
        // the same count, so at most MaxWrong distinct codes are ever tried, as with SQLite.
        var attempts = await store.HandoverAttempts.FindOneAndUpdateAsync(Session, HandoverAttemptsOf(shipmentId), TouchHandoverAttempts,
            new FindOneAndUpdateOptions<BsonDocument> { IsUpsert = true, ReturnDocument = ReturnDocument.After }, ct);
        return LogisticsMongoQueries.ReadHandoverAttempts(attempts);
    });

    public Task<int> CountWrongHandoverCodesAsync(Guid shipmentId, IReadOnlyCollection<string> tags, CancellationToken ct = default) => Guard(async () =>
    {
        var counted = await store.HandoverAttempts.FindOneAndUpdateAsync(Session, HandoverAttemptsOf(shipmentId), CountWrongHandoverCodes(tags),
            new FindOneAndUpdateOptions<BsonDocument> { IsUpsert = true, ReturnDocument = ReturnDocument.After }, ct);
        return LogisticsMongoQueries.WrongHandoverCodes(counted);
    });

    public Task<bool> IsTradeCancelledAsync(Guid tradeId, CancellationToken ct = default) =>
        Guard(() => store.CancelledTrades.Find(Session, CancelledTrade(tradeId)).AnyAsync(ct));

    public Task<IReadOnlyList<Shipment>> ActiveShipmentsAsync(CancellationToken ct = default) => Guard(async () =>
    {
        var docs = await store.Shipments.Find(Session, ActiveShipments).Sort(ByVehicleRoute).ToListAsync(ct);
        return (IReadOnlyList<Shipment>)docs.Select(MongoMapping.ToDomain).ToList();
    });

    public Task<IReadOnlyList<Shipment>> EndedShipmentsAsync(DateTimeOffset since, CancellationToken ct = default) => Guard(async () =>
    {
        var docs = await store.Shipments.Find(Session, EndedShipments(since)).Sort(ByVehicleRoute).ToListAsync(ct);
        return (IReadOnlyList<Shipment>)docs.Select(MongoMapping.ToDomain).ToList();
    });

    public Task<IReadOnlyList<Shipment>> ShipmentsOfRouteAsync(Guid routeId, CancellationToken ct = default) => Guard(async () =>
    {
        var docs = await store.Shipments.Find(Session, ShipmentsOfRoute(routeId)).Sort(ByTradeLeg).ToListAsync(ct);
        return (IReadOnlyList<Shipment>)docs.Select(MongoMapping.ToDomain).ToList();
    });

    public Task<IReadOnlyList<Vehicle>> VehiclesAsync(CancellationToken ct = default) => Guard(async () =>
    {
        var docs = await store.Vehicles.Find(Session, LogisticsMongoQueries.Vehicles(null)).Sort(ByHomeTown).ToListAsync(ct);
        return (IReadOnlyList<Vehicle>)docs.Select(MongoMapping.ToDomain).ToList();
    });

    public Task<Vehicle?> VehicleAsync(string id, CancellationToken ct = default) => Guard(async () =>
    {
        var doc = await store.Vehicles.Find(Session, VehicleById(id)).FirstOrDefaultAsync(ct);
        return doc is null ? null : MongoMapping.ToDomain(doc);
    });

    public Task AddVehicleAsync(Vehicle vehicle, CancellationToken ct = default) => Guard(async () =>
    {
        await store.Vehicles.InsertOneAsync(Session, MongoMapping.ToDocument(vehicle), cancellationToken: ct);
        return true;
    });

    public Task<VehicleRegistration?> VehicleRegistrationAsync(string caller, string key, CancellationToken ct = default) => Guard(async () =>
    {
        var doc = await store.VehicleRegistrations.Find(Session, VehicleRegistrationOf(caller, key)).FirstOrDefaultAsync(ct);
        return doc is null ? null : MongoMapping.ToDomain(doc);
    });

    public Task<int> CountVehiclesAsync(string homeTown, CancellationToken ct = default) => Guard(async () =>
    {
        // The write first: transactions read snapshots, so two counting at once would both see room for one more.
        await store.TownGuards.UpdateOneAsync(Session, TownGuard(homeTown), TouchTownGuard, new UpdateOptions { IsUpsert = true }, ct);
        return (int)await store.Vehicles.CountDocumentsAsync(Session, LogisticsMongoQueries.Vehicles(homeTown), cancellationToken: ct);
    });

    public Task AddVehicleRegistrationAsync(VehicleRegistration registration, CancellationToken ct = default) => Guard(async () =>
    {
        try
        {
            await store.VehicleRegistrations.InsertOneAsync(Session, MongoMapping.ToDocument(registration), cancellationToken: ct);
        }
        catch (MongoWriteException ex) when (ex.WriteError?.Category == ServerErrorCategory.DuplicateKey)
        {
            // Committed by a concurrent retry after this transaction's snapshot: run again, and find it.
            throw new ConcurrencyConflictException($"{registration.Caller} used Idempotency-Key '{registration.Key}' already.", ex);
        }
        return true;
    });

    public Task<bool> UpdateVehicleAsync(Vehicle vehicle, CancellationToken ct = default) => Guard(async () =>
    {
        var result = await store.Vehicles.ReplaceOneAsync(Session, VehicleById(vehicle.Id), MongoMapping.ToDocument(vehicle), cancellationToken: ct);
        return result.MatchedCount == 1;
    });

    public Task GuardVehiclesAsync(IReadOnlyCollection<string> vehicleIds, CancellationToken ct = default) => Guard(async () =>
    {
        // A counter the vehicle's mapping ignores (its next replace drops it): reads never conflict, writes to one document do.
        if (vehicleIds.Count > 0)
            await store.Vehicles.UpdateManyAsync(Session, VehiclesById(vehicleIds), TouchVehicleGuard, cancellationToken: ct);
        return true;
    });

    public Task<bool> DeleteVehicleAsync(string id, CancellationToken ct = default) => Guard(async () =>
    {
        var result = await store.Vehicles.DeleteOneAsync(Session, VehicleById(id), cancellationToken: ct);
        return result.DeletedCount == 1;
    });

    public Task<IReadOnlyList<Vehicle>> VehiclesOfTownAsync(string homeTown, CancellationToken ct = default) => Guard(async () =>
    {
        var docs = await store.Vehicles.Find(Session, LogisticsMongoQueries.Vehicles(homeTown)).SortBy(d => d.Id).ToListAsync(ct);
        return (IReadOnlyList<Vehicle>)docs.Select(MongoMapping.ToDomain).ToList();
    });

    public Task<TownStanding?> TownStandingAsync(string townId, CancellationToken ct = default) => Guard(async () =>
    {
        // Written, not just read, as CountVehiclesAsync does: transactions read snapshots, so a registration reading
        // "active" and a suspension withdrawing the town's vehicles must conflict on the town's guard, not both commit.
        await store.TownGuards.UpdateOneAsync(Session, TownGuard(townId), TouchTownGuard, new UpdateOptions { IsUpsert = true }, ct);
        var doc = await store.TownStandings.Find(Session, TownStandingOf(townId)).FirstOrDefaultAsync(ct);
        return doc is null ? null : MongoMapping.ToDomain(doc);
    });

    public Task SetTownStandingAsync(TownStanding standing, CancellationToken ct = default) => Guard(async () =>
    {
        await store.TownGuards.UpdateOneAsync(Session, TownGuard(standing.TownId), TouchTownGuard, new UpdateOptions { IsUpsert = true }, ct);
        await store.TownStandings.ReplaceOneAsync(Session, TownStandingOf(standing.TownId), MongoMapping.ToDocument(standing),
            new ReplaceOptions { IsUpsert = true }, ct);
        return true;
    });

    public Task<IReadOnlySet<string>> SuspendedTownsAsync(CancellationToken ct = default) => Guard(async () =>
    {
        var docs = await store.TownStandings.Find(Session, SuspendedTowns).ToListAsync(ct);
        return (IReadOnlySet<string>)docs.Select(d => d.TownId).ToHashSet();
    });

    private static async Task<T> Guard<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation();
        }
        catch (MongoException ex) when (ex.HasErrorLabel("TransientTransactionError"))
        {
            throw new ConcurrencyConflictException("A concurrent transaction wrote the same documents.", ex);
        }
    }
}
