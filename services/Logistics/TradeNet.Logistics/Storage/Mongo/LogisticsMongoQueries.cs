using MongoDB.Bson;
using MongoDB.Driver;
using TradeNet.Logistics.Domain;

namespace TradeNet.Logistics.Storage.Mongo;

/// <summary>Every filter, sort and index the Mongo adapter uses, in one place so tests can render them.</summary>
public static class LogisticsMongoQueries
{
    private static FilterDefinitionBuilder<ShipmentDocument> ShipmentFilter => Builders<ShipmentDocument>.Filter;
    private static FilterDefinitionBuilder<TransferDocument> TransferFilter => Builders<TransferDocument>.Filter;

    // Rendering needs the class maps; registering first keeps the driver from auto-mapping these types.
    static LogisticsMongoQueries() => LogisticsMongoMaps.Register();

    public static FilterDefinition<ShipmentDocument> ShipmentById(Guid id) => ShipmentFilter.Eq(d => d.Id, id);

    public static FilterDefinition<ShipmentDocument> ShipmentAtVersion(Guid id, long version) =>
        ShipmentFilter.And(ShipmentFilter.Eq(d => d.Id, id), ShipmentFilter.Eq(d => d.Version, version));

    public static FilterDefinition<ShipmentDocument> ShipmentsOfTrade(Guid tradeId) => ShipmentFilter.Eq(d => d.TradeId, tradeId);

    public static FilterDefinition<ShipmentDocument> Shipments(ShipmentQuery query)
    {
        var parts = new List<FilterDefinition<ShipmentDocument>>();
        if (query.TradeId is { } trade) parts.Add(ShipmentFilter.Eq(d => d.TradeId, trade));
        if (query.TradeIds is { } trades) parts.Add(ShipmentFilter.In(d => d.TradeId, trades));
        if (query.VisibleTo is { } town)
            parts.Add(ShipmentFilter.Or(ShipmentFilter.Eq(d => d.FromTown, town), ShipmentFilter.Eq(d => d.ToTown, town), ShipmentFilter.Eq(d => d.CarrierTown, town)));
        if (query.Statuses is { } statuses)
            parts.Add(ShipmentFilter.In(d => d.Status, statuses.Distinct().Select(MongoMapping.Name)));
        if (query.EtaBefore is { } before) parts.Add(ShipmentFilter.Lt(d => d.Eta, before.UtcDateTime));
        if (query.After is { } after) parts.Add(ShipmentsAfter(after));
        return parts.Count == 0 ? ShipmentFilter.Empty : ShipmentFilter.And(parts);
    }

    /// <summary>Those after <paramref name="after"/> in <see cref="NewestFirst"/>'s order: a page of a shipment list.</summary>
    public static FilterDefinition<ShipmentDocument> ShipmentsAfter(Shipment after)
    {
        var f = ShipmentFilter;
        var created = after.CreatedAt.UtcDateTime;
        return f.Or(
            f.Lt(d => d.CreatedAt, created),
            f.And(f.Eq(d => d.CreatedAt, created), f.Or(
                f.Gt(d => d.TradeId, after.TradeId),
                f.And(f.Eq(d => d.TradeId, after.TradeId), f.Or(
                    f.Gt(d => d.LegIndex, after.LegIndex),
                    f.And(f.Eq(d => d.LegIndex, after.LegIndex), f.Gt(d => d.Id, after.Id)))))));
    }

    /// <summary>Newest first; the id last makes the order total, so a page ends at a well-defined shipment.</summary>
    public static SortDefinition<ShipmentDocument> NewestFirst { get; } =
        Builders<ShipmentDocument>.Sort.Descending(d => d.CreatedAt).Ascending(d => d.TradeId).Ascending(d => d.LegIndex).Ascending(d => d.Id);

    public static SortDefinition<ShipmentDocument> ByLeg { get; } =
        Builders<ShipmentDocument>.Sort.Ascending(d => d.LegIndex).Ascending(d => d.CreatedAt);

    public static FilterDefinition<TransferDocument> TransferById(Guid id) => TransferFilter.Eq(d => d.Id, id);

    public static FilterDefinition<TransferDocument> TransfersById(IEnumerable<Guid> ids) => TransferFilter.In(d => d.Id, ids.Distinct());

    public static FilterDefinition<TransferDocument> TransferOfLeg(Guid tradeId, int legIndex) =>
        TransferFilter.And(TransferFilter.Eq(d => d.TradeId, tradeId), TransferFilter.Eq(d => d.LegIndex, legIndex));

    public static FilterDefinition<TransferDocument> TransfersOfTrade(Guid tradeId) => TransferFilter.Eq(d => d.TradeId, tradeId);

    public static FilterDefinition<TransferDocument> PendingTransfers { get; } = TransfersInStatus(TransferStatus.Pending);

    /// <summary>Pending legs whose goods are ready before <paramref name="before"/> (no window start: ready now); all when null.</summary>
    public static FilterDefinition<TransferDocument> PendingTransfersReadyBefore(DateTimeOffset? before)
    {
        if (before is not { } at) return PendingTransfers;
        var f = Builders<TransferDocument>.Filter;
        return f.And(PendingTransfers, f.Or(f.Eq(d => d.WindowFrom, null), f.Lt(d => d.WindowFrom, at.UtcDateTime)));
    }

    public static FilterDefinition<TransferDocument> TransfersInStatus(TransferStatus status) =>
        Builders<TransferDocument>.Filter.Eq(d => d.Status, MongoMapping.Name(status));

    /// <summary>Those after <paramref name="after"/> in <see cref="OldestFirst"/>'s order: a page of a status list.</summary>
    public static FilterDefinition<TransferDocument> TransfersInStatus(TransferStatus status, TransferOrder? after)
    {
        if (after is null) return TransfersInStatus(status);
        var f = Builders<TransferDocument>.Filter;
        var created = after.CreatedAt.UtcDateTime;
        return f.And(TransfersInStatus(status), f.Or(
            f.Gt(d => d.CreatedAt, created),
            f.And(f.Eq(d => d.CreatedAt, created), f.Or(
                f.Gt(d => d.TradeId, after.TradeId),
                f.And(f.Eq(d => d.TradeId, after.TradeId), f.Gt(d => d.LegIndex, after.LegIndex))))));
    }

    public static SortDefinition<TransferDocument> OldestFirst { get; } =
        Builders<TransferDocument>.Sort.Ascending(d => d.CreatedAt).Ascending(d => d.TradeId).Ascending(d => d.LegIndex);

    public static UpdateDefinition<TransferDocument> SetTransferStatus(TransferStatus status) =>
        Builders<TransferDocument>.Update.Set(d => d.Status, MongoMapping.Name(status));

    /// <summary>What changes on a transfer after it is added (the leg itself never does).</summary>
    public static UpdateDefinition<TransferDocument> UpdateTransfer(TransferOrder transfer)
    {
        var doc = MongoMapping.ToDocument(transfer);
        return Builders<TransferDocument>.Update.Set(d => d.Status, doc.Status).Set(d => d.Attempts, doc.Attempts)
            .Set(d => d.LastFailureReason, doc.LastFailureReason).Set(d => d.LastFailedAt, doc.LastFailedAt);
    }

    public static FilterDefinition<ShipmentDocument> ShipmentsOfRoute(Guid routeId) => ShipmentFilter.Eq(d => d.RouteId, routeId);

    /// <summary>A route's shipments by trade, then leg (SQLite's order: deterministic, though callers ask for none).</summary>
    public static SortDefinition<ShipmentDocument> ByTradeLeg { get; } =
        Builders<ShipmentDocument>.Sort.Ascending(d => d.TradeId).Ascending(d => d.LegIndex);

    /// <summary>Active shipments by vehicle, then route, as SQLite lists them.</summary>
    public static SortDefinition<ShipmentDocument> ByVehicleRoute { get; } =
        Builders<ShipmentDocument>.Sort.Ascending(d => d.VehicleId).Ascending(d => d.RouteId);

    public static FilterDefinition<ShipmentDocument> ActiveShipments { get; } =
        ShipmentFilter.In(d => d.Status, [MongoMapping.Name(ShipmentStatus.Planned), MongoMapping.Name(ShipmentStatus.PickedUp)]);

    /// <summary>Delivered and failed shipments due at or after <paramref name="since"/> (index <c>status_eta</c>).</summary>
    public static FilterDefinition<ShipmentDocument> EndedShipments(DateTimeOffset since) =>
        ShipmentFilter.In(d => d.Status, [MongoMapping.Name(ShipmentStatus.Delivered), MongoMapping.Name(ShipmentStatus.Failed)])
        & ShipmentFilter.Gte(d => d.Eta, since.UtcDateTime);

    /// <summary>One vehicle's active shipments and those ended since a time (<see cref="ILogisticsStore.ShipmentsOfVehicleAsync"/>).</summary>
    public static FilterDefinition<ShipmentDocument> ShipmentsOfVehicle(string vehicleId, DateTimeOffset endedSince) =>
        ShipmentFilter.Eq(d => d.VehicleId, vehicleId) & (ActiveShipments | EndedShipments(endedSince));

    /// <summary>Shipments per status, one <c>{ _id: status, count }</c> per status present.</summary>
    public static PipelineDefinition<ShipmentDocument, BsonDocument> ShipmentsByStatus { get; } = new[]
    {
        new BsonDocument("$group", new BsonDocument { ["_id"] = "$status", ["count"] = new BsonDocument("$sum", 1) }),
    };

    public static FilterDefinition<VehicleDocument> VehicleById(string id) => Builders<VehicleDocument>.Filter.Eq(d => d.Id, id);

    public static FilterDefinition<VehicleDocument> VehiclesById(IEnumerable<string> ids) =>
        Builders<VehicleDocument>.Filter.In(d => d.Id, ids.Distinct(StringComparer.Ordinal));

    /// <summary>What a planning run writes to each vehicle it books (<c>GuardVehiclesAsync</c>): no mapped member, so reading
    /// ignores it.</summary>
    public static UpdateDefinition<VehicleDocument> TouchVehicleGuard { get; } = Builders<VehicleDocument>.Update.Inc("guard", 1);

    public static FilterDefinition<VehicleDocument> Vehicles(string? homeTown) =>
        homeTown is null ? Builders<VehicleDocument>.Filter.Empty : Builders<VehicleDocument>.Filter.Eq(d => d.HomeTown, homeTown);

    /// <summary>A page of vehicles: <see cref="Vehicles(string?)"/> after the page's last vehicle in <see cref="ByHomeTown"/> order.</summary>
    public static FilterDefinition<VehicleDocument> VehiclePage(VehiclePage page)
    {
        var f = Builders<VehicleDocument>.Filter;
        if (page.After is not { } after) return Vehicles(page.HomeTown);
        var past = f.Gt(d => d.HomeTown, after.HomeTown) | (f.Eq(d => d.HomeTown, after.HomeTown) & f.Gt(d => d.Id, after.Id));
        return page.HomeTown is null ? past : Vehicles(page.HomeTown) & past;
    }

    public static SortDefinition<VehicleDocument> ByHomeTown { get; } =
        Builders<VehicleDocument>.Sort.Ascending(d => d.HomeTown).Ascending(d => d.Id);

    public static IReadOnlyList<CreateIndexModel<VehicleDocument>> VehicleIndexes { get; } =
    [
        new(Builders<VehicleDocument>.IndexKeys.Ascending(d => d.HomeTown).Ascending(d => d.Id), new CreateIndexOptions { Name = "home_town" }),
    ];

    /// <summary>A caller's key is its document's id, so the key cannot be taken twice.</summary>
    public static FilterDefinition<VehicleRegistrationDocument> VehicleRegistrationOf(string caller, string key) =>
        Builders<VehicleRegistrationDocument>.Filter.Eq(d => d.Id, VehicleRegistration.IdOf(caller, key));

    /// <summary>One document per trade that the sessions deciding about it all write (a write conflict orders them).</summary>
    public static FilterDefinition<BsonDocument> TradeGuard(Guid tradeId) =>
        Builders<BsonDocument>.Filter.Eq("_id", new BsonBinaryData(tradeId, GuidRepresentation.Standard));

    public static UpdateDefinition<BsonDocument> TouchTradeGuard { get; } = Builders<BsonDocument>.Update.Inc("writes", 1);

    /// <summary>One document per town that every session counting its vehicles writes (a write conflict orders them).</summary>
    public static FilterDefinition<BsonDocument> TownGuard(string townId) => Builders<BsonDocument>.Filter.Eq("_id", townId);

    public static UpdateDefinition<BsonDocument> TouchTownGuard { get; } = Builders<BsonDocument>.Update.Inc("writes", 1);

    /// <summary>A shipment's document in <c>handoverAttempts</c>: keyed by the shipment id as text (as SQLite keys it).</summary>
    public static FilterDefinition<BsonDocument> HandoverAttemptsOf(Guid shipmentId) => Builders<BsonDocument>.Filter.Eq("_id", shipmentId.ToString());

    /// <summary>The <c>handoverAttempts</c> documents of these shipments (those that have one).</summary>
    public static FilterDefinition<BsonDocument> HandoverAttemptsOf(IEnumerable<Guid> shipmentIds) =>
        Builders<BsonDocument>.Filter.In("_id", shipmentIds.Distinct().Select(id => id.ToString()));

    /// <summary>Written by every session that reads a shipment's wrong codes, before it tries any: transactions read
    /// snapshots, so sessions that only read the count would all see the codes left and try them all at once; writing
    /// the shipment's one document makes the later one conflict and retry on a fresh snapshot (SQLite writers queue up).
    /// A real change ($inc by 1): an update that leaves the document as it was writes nothing and conflicts with nothing.</summary>
    public static UpdateDefinition<BsonDocument> TouchHandoverAttempts { get; } = Builders<BsonDocument>.Update.Inc("reads", 1);

    /// <summary>Counts the wrong codes of these tags (HandoverCodes.WrongCodeTagAsync, never the codes) that the document
    /// has not counted yet, in one update: <c>wrong</c> grows by the tags new to <c>tried</c>, which takes them in, so the
    /// same code again (a retry) counts nothing, as SQLite's <c>handover_wrong_codes</c> does. A document from before
    /// <c>tried</c> was kept has none and keeps its count. The tags are given as a literal: they are never field paths.</summary>
    public static UpdateDefinition<BsonDocument> CountWrongHandoverCodes(IReadOnlyCollection<string> tags)
    {
        var given = new BsonDocument("$literal", new BsonArray(tags.Distinct(StringComparer.Ordinal)));
        var tried = new BsonDocument("$ifNull", new BsonArray { "$tried", new BsonArray() });
        var fresh = new BsonDocument("$size", new BsonDocument("$setDifference", new BsonArray { given, tried }));
        return new PipelineUpdateDefinition<BsonDocument>(new[]
        {
            new BsonDocument("$set", new BsonDocument
            {
                ["wrong"] = new BsonDocument("$add", new BsonArray { new BsonDocument("$ifNull", new BsonArray { "$wrong", 0 }), fresh }),
                ["tried"] = new BsonDocument("$setUnion", new BsonArray { tried, given }),
            }),
        });
    }

    /// <summary>A <c>handoverAttempts</c> document as the count and tags it holds (none when absent or only touched).</summary>
    public static HandoverAttempts ReadHandoverAttempts(BsonDocument? attempts)
    {
        var wrong = WrongHandoverCodes(attempts);
        if (wrong == 0) return HandoverAttempts.None;
        var tags = attempts!.TryGetValue("tried", out var tried) && tried.IsBsonArray
            ? tried.AsBsonArray.Where(t => t.IsString).Select(t => t.AsString).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);
        return new(wrong, tags);
    }

    /// <summary>The wrong codes a <c>handoverAttempts</c> document counts: none when it is absent or has none yet (one only
    /// touched), and whatever integer type the server keeps ($inc past Int32 makes it an Int64).</summary>
    public static int WrongHandoverCodes(BsonDocument? attempts) =>
        attempts is not null && attempts.TryGetValue("wrong", out var wrong) && wrong.IsNumeric ? (int)Math.Min(wrong.ToInt64(), int.MaxValue) : 0;

    public static FilterDefinition<TradeTraceDocument> TradeTrace(Guid tradeId) =>
        Builders<TradeTraceDocument>.Filter.Eq(d => d.TradeId, tradeId);

    public static FilterDefinition<TownStandingDocument> TownStandingOf(string townId) =>
        Builders<TownStandingDocument>.Filter.Eq(d => d.TownId, townId);

    public static FilterDefinition<TownStandingDocument> SuspendedTowns { get; } =
        Builders<TownStandingDocument>.Filter.Eq(d => d.Suspended, true);

    public static FilterDefinition<CancelledTradeDocument> CancelledTrade(Guid tradeId) =>
        Builders<CancelledTradeDocument>.Filter.Eq(d => d.TradeId, tradeId);

    /// <summary>One transfer per trade leg (the unique index backs the consumers' idempotency).</summary>
    public static IReadOnlyList<CreateIndexModel<TransferDocument>> TransferIndexes { get; } =
    [
        new(Builders<TransferDocument>.IndexKeys.Ascending(d => d.TradeId).Ascending(d => d.LegIndex),
            new CreateIndexOptions { Name = "trade_leg", Unique = true }),
        new(Builders<TransferDocument>.IndexKeys.Ascending(d => d.Status).Ascending(d => d.CreatedAt),
            new CreateIndexOptions { Name = "status_created" }),
    ];

    /// <summary>By trade, and one per role a town can have in a shipment (the visibility $or uses each).</summary>
    public static IReadOnlyList<CreateIndexModel<ShipmentDocument>> ShipmentIndexes { get; } =
    [
        new(Builders<ShipmentDocument>.IndexKeys.Ascending(d => d.TradeId).Ascending(d => d.LegIndex), new CreateIndexOptions { Name = "trade_leg" }),
        new(Builders<ShipmentDocument>.IndexKeys.Ascending(d => d.FromTown).Descending(d => d.CreatedAt), new CreateIndexOptions { Name = "from_created" }),
        new(Builders<ShipmentDocument>.IndexKeys.Ascending(d => d.ToTown).Descending(d => d.CreatedAt), new CreateIndexOptions { Name = "to_created" }),
        new(Builders<ShipmentDocument>.IndexKeys.Ascending(d => d.CarrierTown).Descending(d => d.CreatedAt), new CreateIndexOptions { Name = "carrier_created" }),
        new(Builders<ShipmentDocument>.IndexKeys.Descending(d => d.CreatedAt), new CreateIndexOptions { Name = "created" }),
        new(Builders<ShipmentDocument>.IndexKeys.Ascending(d => d.RouteId), new CreateIndexOptions { Name = "route" }),
        new(Builders<ShipmentDocument>.IndexKeys.Ascending(d => d.Status), new CreateIndexOptions { Name = "status" }),
        // The status filter of the list (held-up and overdue shipments), newest first.
        new(Builders<ShipmentDocument>.IndexKeys.Ascending(d => d.Status).Descending(d => d.CreatedAt), new CreateIndexOptions { Name = "status_created" }),
        // The last days' ended shipments a planning run reads for the drivers' duties.
        new(Builders<ShipmentDocument>.IndexKeys.Ascending(d => d.Status).Ascending(d => d.Eta), new CreateIndexOptions { Name = "status_eta" }),
    ];
}
