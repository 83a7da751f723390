using MongoDB.Bson;
using MongoDB.Driver;
using TradeNet.Logistics.Domain;
using TradeNet.Shared.Storage.Mongo;
using static TradeNet.Logistics.Storage.Mongo.LogisticsMongoQueries;

namespace TradeNet.Logistics.Storage.Mongo;

/// <summary>The production store: collections <c>transfers</c>, <c>shipments</c>, <c>cancelledTrades</c>, <c>vehicles</c>,
/// <c>vehicleRegistrations</c>, <c>townStandings</c> and others beside the outbox and inbox, in logistics' own database. Writes run in transactions (replica set required).</summary>
public sealed class LogisticsMongoStore : MongoStore, ILogisticsStore
{
    public const string DefaultDatabase = "tradenet-logistics";

    private readonly OnceSetup _setup;

    public LogisticsMongoStore(IMongoClient client, string databaseName = DefaultDatabase) : base(client, WithMaps(databaseName))
    {
        Transfers = Database.GetCollection<TransferDocument>("transfers");
        Shipments = Database.GetCollection<ShipmentDocument>("shipments");
        CancelledTrades = Database.GetCollection<CancelledTradeDocument>("cancelledTrades");
        TradeTraces = Database.GetCollection<TradeTraceDocument>("tradeTraces");
        TradeGuards = Database.GetCollection<BsonDocument>("tradeGuards");
        TownGuards = Database.GetCollection<BsonDocument>("townGuards");
        // A secret a failover rolled back would give replicas that cached it other codes than those making a new one.
        Secrets = Database.GetCollection<BsonDocument>("secrets").WithWriteConcern(WriteConcern.WMajority).WithReadConcern(ReadConcern.Majority);
        HandoverAttempts = Database.GetCollection<BsonDocument>("handoverAttempts");
        Vehicles = Database.GetCollection<VehicleDocument>("vehicles");
        VehicleRegistrations = Database.GetCollection<VehicleRegistrationDocument>("vehicleRegistrations");
        TownStandings = Database.GetCollection<TownStandingDocument>("townStandings");
        OutboxStore = new MongoOutboxStore(this);
        _setup = new(SetUpAsync);
    }

    // The base constructor already binds collections to serializers, so the maps must exist before it runs.
    private static string WithMaps(string databaseName)
    {
        LogisticsMongoMaps.Register();
        return databaseName;
    }

    public IMongoCollection<TransferDocument> Transfers { get; }
    public IMongoCollection<ShipmentDocument> Shipments { get; }
    public IMongoCollection<CancelledTradeDocument> CancelledTrades { get; }
    public IMongoCollection<TradeTraceDocument> TradeTraces { get; }
    public IMongoCollection<BsonDocument> TradeGuards { get; }
    public IMongoCollection<BsonDocument> TownGuards { get; }
    public IMongoCollection<BsonDocument> Secrets { get; }
    public IMongoCollection<BsonDocument> HandoverAttempts { get; }
    public IMongoCollection<VehicleDocument> Vehicles { get; }
    public IMongoCollection<VehicleRegistrationDocument> VehicleRegistrations { get; }
    public IMongoCollection<TownStandingDocument> TownStandings { get; }
    public MongoOutboxStore OutboxStore { get; }

    /// <summary>Creates the indexes (and with them the collections, which a transaction cannot always create).</summary>
    public Task EnsureReadyAsync(CancellationToken ct = default) => _setup.EnsureAsync(ct);

    private async Task SetUpAsync(CancellationToken ct)
    {
        await EnsureOutboxIndexesAsync(ct);
        await Transfers.Indexes.CreateManyAsync(TransferIndexes, ct);
        await Shipments.Indexes.CreateManyAsync(ShipmentIndexes, ct);
        await Vehicles.Indexes.CreateManyAsync(VehicleIndexes, ct);
        await CreateCollectionAsync("cancelledTrades", ct);
        await CreateCollectionAsync("tradeTraces", ct);
        await CreateCollectionAsync("tradeGuards", ct);
        await CreateCollectionAsync("townGuards", ct);
        await CreateCollectionAsync("vehicleRegistrations", ct);
        await CreateCollectionAsync("handoverAttempts", ct);
        // Added later: made at start like the others, so a database from before it gets it empty (every town active).
        await CreateCollectionAsync("townStandings", ct);
        await CreateCollectionAsync("inbox", ct);
    }

    private async Task CreateCollectionAsync(string name, CancellationToken ct)
    {
        using var cursor = await Database.ListCollectionNamesAsync(
            new ListCollectionNamesOptions { Filter = Builders<MongoDB.Bson.BsonDocument>.Filter.Eq("name", name) }, ct);
        if (await cursor.AnyAsync(ct)) return;
        try
        {
            await Database.CreateCollectionAsync(name, cancellationToken: ct);
        }
        catch (MongoCommandException ex) when (ex.Code == NamespaceExists)
        {
            // Another replica of the service created it first.
        }
    }

    private const int NamespaceExists = 48;

    public async Task<ILogisticsSession> BeginAsync(CancellationToken ct = default)
    {
        await EnsureReadyAsync(ct);
        return new MongoLogisticsSession(this, await BeginWriteAsync(ct));
    }

    public async Task<Shipment?> ShipmentAsync(Guid id, CancellationToken ct = default)
    {
        var doc = await Shipments.Find(ShipmentById(id)).FirstOrDefaultAsync(ct);
        return doc is null ? null : MongoMapping.ToDomain(doc);
    }

    public async Task<IReadOnlyList<Shipment>> ShipmentsAsync(ShipmentQuery query, CancellationToken ct = default)
    {
        if (query.Statuses is { Count: 0 }) return [];
        var docs = await Shipments.Find(LogisticsMongoQueries.Shipments(query)).Sort(NewestFirst).Limit(Math.Max(1, query.Limit)).ToListAsync(ct);
        return docs.Select(MongoMapping.ToDomain).ToList();
    }

    public async Task<IReadOnlyList<TransferOrder>> TransfersOfTradeAsync(Guid tradeId, CancellationToken ct = default)
    {
        var docs = await Transfers.Find(LogisticsMongoQueries.TransfersOfTrade(tradeId)).SortBy(d => d.LegIndex).ToListAsync(ct);
        return docs.Select(MongoMapping.ToDomain).ToList();
    }

    public async Task<IReadOnlyList<TransferOrder>> TransfersAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct = default)
    {
        if (ids.Count == 0) return [];
        var docs = await Transfers.Find(TransfersById(ids)).ToListAsync(ct);
        return docs.Select(MongoMapping.ToDomain).ToList();
    }

    public async Task<IReadOnlyList<TransferOrder>> TransfersInStatusAsync(TransferStatus status, int limit, TransferOrder? after = null,
        CancellationToken ct = default)
    {
        var docs = await Transfers.Find(TransfersInStatus(status, after)).Sort(OldestFirst).Limit(Math.Max(1, limit)).ToListAsync(ct);
        return docs.Select(MongoMapping.ToDomain).ToList();
    }

    public async Task<IReadOnlyList<Shipment>> ShipmentsOfRouteAsync(Guid routeId, CancellationToken ct = default)
    {
        var docs = await Shipments.Find(LogisticsMongoQueries.ShipmentsOfRoute(routeId)).Sort(ByTradeLeg).ToListAsync(ct);
        return docs.Select(MongoMapping.ToDomain).ToList();
    }

    public async Task<IReadOnlyList<Shipment>> ShipmentsOfVehicleAsync(string vehicleId, DateTimeOffset endedSince, CancellationToken ct = default)
    {
        var docs = await Shipments.Find(LogisticsMongoQueries.ShipmentsOfVehicle(vehicleId, endedSince)).Sort(ByVehicleRoute).ToListAsync(ct);
        return docs.Select(MongoMapping.ToDomain).ToList();
    }

    public async Task<byte[]> SecretAsync(string name, CancellationToken ct = default)
    {
        var filter = Builders<BsonDocument>.Filter.Eq("_id", name);
        var made = Builders<BsonDocument>.Update.SetOnInsert("value", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        try
        {
            await Secrets.UpdateOneAsync(filter, made, new UpdateOptions { IsUpsert = true }, ct);
        }
        catch (MongoWriteException ex) when (ex.WriteError?.Category == ServerErrorCategory.DuplicateKey)
        {
            // Another replica made it at the same moment: theirs is the one.
        }
        var secret = await Secrets.Find(filter).FirstAsync(ct);
        return Convert.FromBase64String(secret["value"].AsString);
    }

    public async Task<string?> TradeTraceAsync(Guid tradeId, CancellationToken ct = default) =>
        (await TradeTraces.Find(TradeTrace(tradeId)).FirstOrDefaultAsync(ct))?.TraceParent;

    public async Task<IReadOnlyDictionary<Guid, int>> WrongHandoverCodesAsync(IReadOnlyCollection<Guid> shipmentIds, CancellationToken ct = default)
    {
        if (shipmentIds.Count == 0) return new Dictionary<Guid, int>();
        // Read without a session: a view does not touch the documents as a report's session does (TouchHandoverAttempts).
        var docs = await HandoverAttempts.Find(HandoverAttemptsOf(shipmentIds)).ToListAsync(ct);
        return docs.Where(d => WrongHandoverCodes(d) > 0).ToDictionary(d => Guid.Parse(d["_id"].AsString), d => WrongHandoverCodes(d));
    }

    public async Task<IReadOnlyDictionary<Guid, IReadOnlySet<string>>> WrongHandoverCodeTagsAsync(IReadOnlyCollection<Guid> shipmentIds, CancellationToken ct = default)
    {
        if (shipmentIds.Count == 0) return new Dictionary<Guid, IReadOnlySet<string>>();
        // Read without a session, as the counts for a view are: a stop report sorts its codes by it before any write.
        var docs = await HandoverAttempts.Find(HandoverAttemptsOf(shipmentIds)).ToListAsync(ct);
        return docs.Select(d => (Id: Guid.Parse(d["_id"].AsString), ReadHandoverAttempts(d).Tags)).Where(d => d.Tags.Count > 0)
            .ToDictionary(d => d.Id, d => d.Tags);
    }

    public async Task<IReadOnlyDictionary<ShipmentStatus, long>> CountShipmentsByStatusAsync(CancellationToken ct = default)
    {
        using var cursor = await Shipments.AggregateAsync(ShipmentsByStatus, cancellationToken: ct);
        var groups = await cursor.ToListAsync(ct);
        return groups.ToDictionary(g => Enum.Parse<ShipmentStatus>(g["_id"].AsString, ignoreCase: true), g => g["count"].ToInt64());
    }

    public async Task<Vehicle?> VehicleAsync(string id, CancellationToken ct = default)
    {
        var doc = await Vehicles.Find(VehicleById(id)).FirstOrDefaultAsync(ct);
        return doc is null ? null : MongoMapping.ToDomain(doc);
    }

    public async Task<VehicleRegistration?> VehicleRegistrationAsync(string caller, string key, CancellationToken ct = default)
    {
        var doc = await VehicleRegistrations.Find(VehicleRegistrationOf(caller, key)).FirstOrDefaultAsync(ct);
        return doc is null ? null : MongoMapping.ToDomain(doc);
    }

    public async Task<IReadOnlyList<Vehicle>> VehiclePageAsync(VehiclePage page, CancellationToken ct = default)
    {
        var docs = await Vehicles.Find(LogisticsMongoQueries.VehiclePage(page)).Sort(ByHomeTown).Limit(page.Limit).ToListAsync(ct);
        return docs.Select(MongoMapping.ToDomain).ToList();
    }

    public async Task<IReadOnlyList<Vehicle>> VehiclesAsync(string? homeTown = null, CancellationToken ct = default)
    {
        var docs = await Vehicles.Find(LogisticsMongoQueries.Vehicles(homeTown)).Sort(ByHomeTown).ToListAsync(ct);
        return docs.Select(MongoMapping.ToDomain).ToList();
    }
}
