using CsCheck;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using TradeNet.Contracts;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Storage;
using TradeNet.Logistics.Storage.Mongo;
using TradeNet.Shared.Storage.Mongo;

namespace TradeNet.Logistics.Tests.Storage;

/// <summary>The Mongo adapter's BSON shape, filters and indexes, checked without a server.</summary>
public class MongoMappingTests
{
    private static readonly Guid Trade = Guid.Parse("6f9a4c1e-8d2b-4f4e-9b8a-0c1d2e3f4a5b");
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_795_000_000_123);

    static MongoMappingTests() => LogisticsMongoMaps.Register();

    private static BsonBinaryData Uuid(Guid id) => new(id, GuidRepresentation.Standard);

    private static Shipment PickedUpShipment() => new(Guid.NewGuid(), Trade, 1, Guid.NewGuid(), "roanne", "lyon", "roanne",
        "direct-roanne", Guid.NewGuid(), ShipmentStatus.PickedUp, 86.5, 43.25, T0.AddHours(2),
        [new ShipmentStop(1, "roanne", "pickup", T0), new ShipmentStop(2, "lyon", "delivery", T0.AddHours(2))],
        T0.AddMinutes(-5), PickedUpAt: T0, Version: 2);

    [Fact]
    public void A_shipment_is_stored_with_camel_case_names_standard_uuids_and_utc_dates()
    {
        var shipment = PickedUpShipment();

        var bson = MongoMapping.ToDocument(shipment).ToBsonDocument();

        Assert.Equal(Uuid(shipment.Id), bson["_id"]);
        Assert.Equal(Uuid(Trade), bson["tradeId"]);
        Assert.Equal(BsonBinarySubType.UuidStandard, bson["routeId"].AsBsonBinaryData.SubType);
        Assert.Equal("pickedUp", bson["status"].AsString);
        Assert.Equal("roanne", bson["carrierTown"].AsString);
        Assert.Equal(new BsonDateTime(T0.UtcDateTime), bson["pickedUpAt"]);
        Assert.Equal(BsonNull.Value, bson["deliveredAt"]);
        Assert.Equal(2L, bson["version"].AsInt64);
        var stop = bson["stops"].AsBsonArray[1].AsBsonDocument;
        Assert.Equal(new BsonDocument { ["seq"] = 2, ["townId"] = "lyon", ["action"] = "delivery", ["eta"] = new BsonDateTime(T0.AddHours(2).UtcDateTime) }, stop);
    }

    [Fact]
    public void A_shipment_survives_the_round_trip_through_bson()
    {
        var shipment = PickedUpShipment();

        var bson = MongoMapping.ToDocument(shipment).ToBsonDocument();
        var back = MongoMapping.ToDomain(BsonSerializer.Deserialize<ShipmentDocument>(bson));

        Assert.Equal(shipment.Stops, back.Stops);
        Assert.Equal(shipment with { Stops = back.Stops }, back);
    }

    [Fact]
    public void A_transfer_survives_the_round_trip_through_bson_with_its_window()
    {
        var transfer = new TransferOrder(Guid.NewGuid(), Trade, 0, "roanne", "lyon", Towns.Roanne, Towns.Lyon, "cheese", 40, 40,
            T0, null, TransferStatus.Pending, T0);

        var bson = MongoMapping.ToDocument(transfer).ToBsonDocument();
        var back = MongoMapping.ToDomain(BsonSerializer.Deserialize<TransferDocument>(bson));

        Assert.Equal(new BsonDocument { ["lat"] = Towns.Roanne.Lat, ["lon"] = Towns.Roanne.Lon }, bson["from"]);
        Assert.Equal("pending", bson["status"].AsString);
        Assert.Equal(transfer, back);
    }

    [Fact]
    public void A_held_transfer_keeps_its_attempts_and_last_failure_through_bson()
    {
        var transfer = new TransferOrder(Guid.NewGuid(), Trade, 0, "roanne", "lyon", Towns.Roanne, Towns.Lyon, "cheese", 40, 40,
            null, null, TransferStatus.Held, T0, 3, "the road is closed", T0.AddDays(1));

        var bson = MongoMapping.ToDocument(transfer).ToBsonDocument();
        var back = MongoMapping.ToDomain(BsonSerializer.Deserialize<TransferDocument>(bson));

        Assert.Equal("held", bson["status"].AsString);
        Assert.Equal(3, bson["attempts"].AsInt32);
        Assert.Equal("the road is closed", bson["lastFailureReason"].AsString);
        Assert.Equal(new BsonDateTime(T0.AddDays(1).UtcDateTime), bson["lastFailedAt"]);
        Assert.Equal(transfer, back);
    }

    [Fact]
    public void A_vehicle_keeps_its_working_hours_through_bson_and_one_stored_before_them_reads_as_working_any_hour()
    {
        var hours = new WorkingHours(new TimeOnly(6, 30), new TimeOnly(14, 15), "Europe/Paris", WorkDays.Mon | WorkDays.Wed | WorkDays.Sun);
        var vehicle = new Vehicle("veh-1", "roanne", Towns.Roanne, "van", 1000, null, true, 0.5, 20, T0, null, T0, T0, WorkingHours: hours);
        var bson = MongoMapping.ToDocument(vehicle).ToBsonDocument();
        var older = MongoMapping.ToDocument(vehicle with { WorkingHours = null }).ToBsonDocument();
        older.Remove("workingHours");

        var rendered = bson["workingHours"].AsBsonDocument;
        Assert.Equal(("06:30", "14:15", "Europe/Paris"), (rendered["start"].AsString, rendered["end"].AsString, rendered["timeZone"].AsString));
        Assert.Equal(["mon", "wed", "sun"], rendered["days"].AsBsonArray.Select(d => d.AsString));
        Assert.Equal(vehicle, MongoMapping.ToDomain(BsonSerializer.Deserialize<VehicleDocument>(bson)));
        Assert.Null(MongoMapping.ToDomain(BsonSerializer.Deserialize<VehicleDocument>(older)).WorkingHours);
    }

    [Fact]
    public void A_vehicle_keeps_its_maximum_route_hours_through_bson_and_one_stored_before_them_reads_without()
    {
        var vehicle = new Vehicle("veh-1", "roanne", Towns.Roanne, "van", 1000, null, true, 0.5, 20, T0, null, T0, T0, MaxRouteHours: 7.5);
        var bson = MongoMapping.ToDocument(vehicle).ToBsonDocument();
        var older = MongoMapping.ToDocument(vehicle with { MaxRouteHours = null }).ToBsonDocument();
        older.Remove("maxRouteHours");

        Assert.Equal(7.5, bson["maxRouteHours"].AsDouble);
        Assert.Equal(vehicle, MongoMapping.ToDomain(BsonSerializer.Deserialize<VehicleDocument>(bson)));
        Assert.Null(MongoMapping.ToDomain(BsonSerializer.Deserialize<VehicleDocument>(older)).MaxRouteHours);
    }

    [Fact]
    public void A_direct_trips_reason_is_stored_as_its_code_and_detail_and_one_stored_before_reasons_reads_without()
    {
        var shipment = PickedUpShipment() with { DirectTrip = new DirectTripReason("RouteTooLong", "no vehicle within 10 h") };
        var bson = MongoMapping.ToDocument(shipment).ToBsonDocument();
        var older = MongoMapping.ToDocument(shipment with { DirectTrip = null }).ToBsonDocument();
        older.Remove("directTripReason");
        older.Remove("directTripDetail");

        Assert.Equal(("RouteTooLong", "no vehicle within 10 h"), (bson["directTripReason"].AsString, bson["directTripDetail"].AsString));
        Assert.Equal(shipment.DirectTrip, MongoMapping.ToDomain(BsonSerializer.Deserialize<ShipmentDocument>(bson)).DirectTrip);
        Assert.Null(MongoMapping.ToDomain(BsonSerializer.Deserialize<ShipmentDocument>(older)).DirectTrip);
    }

    [Fact]
    public void A_transfer_stored_before_attempts_were_counted_reads_as_never_failed()
    {
        var transfer = new TransferOrder(Guid.NewGuid(), Trade, 0, "roanne", "lyon", Towns.Roanne, Towns.Lyon, "cheese", 40, 40,
            null, null, TransferStatus.Pending, T0);
        var bson = MongoMapping.ToDocument(transfer).ToBsonDocument();
        foreach (var added in new[] { "attempts", "lastFailureReason", "lastFailedAt" }) bson.Remove(added);

        var back = MongoMapping.ToDomain(BsonSerializer.Deserialize<TransferDocument>(bson));

        Assert.Equal(transfer, back);
        Assert.Equal((0, null, null), (back.Attempts, back.LastFailureReason, back.LastFailedAt));
    }

    [Fact]
    public void Transfers_are_listed_by_the_status_they_are_in() =>
        Assert.Equal(new BsonDocument("status", "held"), MongoRendering.Render(LogisticsMongoQueries.TransfersInStatus(TransferStatus.Held)));

    [Fact]
    public void Transfers_are_read_by_their_ids_each_asked_for_once()
    {
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());

        Assert.Equal(new BsonDocument("_id", new BsonDocument("$in", new BsonArray { Uuid(a), Uuid(b) })),
            MongoRendering.Render(LogisticsMongoQueries.TransfersById([a, b, a])));
    }

    [Fact]
    public void Sessions_deciding_about_one_trade_all_write_its_one_guard_document()
    {
        var trade = Guid.NewGuid();

        Assert.Equal(new BsonDocument("_id", new BsonBinaryData(trade, GuidRepresentation.Standard)),
            MongoRendering.Render(LogisticsMongoQueries.TradeGuard(trade)));
        Assert.Equal(BsonDocument.Parse("""{ "$inc": { "writes": 1 } }"""), MongoRendering.Render(LogisticsMongoQueries.TouchTradeGuard));
    }

    [Fact]
    public void A_planning_run_writes_a_counter_on_each_vehicle_it_books_which_reading_the_vehicle_ignores()
    {
        Assert.Equal(BsonDocument.Parse("""{ "_id": { "$in": ["van-1", "van-2"] } }"""),
            MongoRendering.Render(LogisticsMongoQueries.VehiclesById(["van-1", "van-2", "van-1"])));
        Assert.Equal(BsonDocument.Parse("""{ "$inc": { "guard": 1 } }"""), MongoRendering.Render(LogisticsMongoQueries.TouchVehicleGuard));
        var vehicle = new Vehicle("van-1", "roanne", Towns.Roanne, "van", 1000, null, true, 0.5, 20, T0, null, T0, T0);
        var bson = MongoMapping.ToDocument(vehicle).ToBsonDocument();
        bson["guard"] = 4;
        Assert.Equal(vehicle, MongoMapping.ToDomain(BsonSerializer.Deserialize<VehicleDocument>(bson)));
    }

    [Fact]
    public void Sessions_counting_a_towns_vehicles_all_write_its_one_guard_document()
    {
        Assert.Equal(new BsonDocument("_id", "roanne"), MongoRendering.Render(LogisticsMongoQueries.TownGuard("roanne")));
        Assert.Equal(BsonDocument.Parse("""{ "$inc": { "writes": 1 } }"""), MongoRendering.Render(LogisticsMongoQueries.TouchTownGuard));
    }

    [Fact]
    public void Sessions_reading_a_shipments_wrong_codes_all_write_its_one_attempts_document()
    {
        var shipment = Guid.NewGuid();

        Assert.Equal(new BsonDocument("_id", shipment.ToString()), MongoRendering.Render(LogisticsMongoQueries.HandoverAttemptsOf(shipment)));
        // A real change: an update that leaves the document as it was would conflict with nothing.
        Assert.Equal(BsonDocument.Parse("""{ "$inc": { "reads": 1 } }"""), MongoRendering.Render(LogisticsMongoQueries.TouchHandoverAttempts));
    }

    [Fact]
    public void Counting_wrong_codes_adds_only_the_tags_the_document_has_not_counted_in_one_update()
    {
        var rendered = LogisticsMongoQueries.CountWrongHandoverCodes(["t1", "t2", "t1"])
            .Render(new MongoDB.Driver.RenderArgs<BsonDocument>(MongoDB.Bson.Serialization.Serializers.BsonDocumentSerializer.Instance, BsonSerializer.SerializerRegistry));

        // One pipeline stage: both fields are computed from the document as it was, so the count grows by exactly the
        // tags new to it (a retry's counts nothing), and a document from before tags were kept keeps its count.
        var expected = BsonDocument.Parse("""
            { "pipeline": [{ "$set": {
                "wrong": { "$add": [ { "$ifNull": [ "$wrong", 0 ] },
                    { "$size": { "$setDifference": [ { "$literal": [ "t1", "t2" ] }, { "$ifNull": [ "$tried", [] ] } ] } } ] },
                "tried": { "$setUnion": [ { "$ifNull": [ "$tried", [] ] }, { "$literal": [ "t1", "t2" ] } ] } } }] }
            """)["pipeline"];
        Assert.Equal(expected, rendered);
    }

    [Fact]
    public void A_shipments_wrong_code_tags_read_as_none_until_counted_and_as_kept_after()
    {
        Assert.Equal(HandoverAttempts.None, LogisticsMongoQueries.ReadHandoverAttempts(null));
        Assert.Equal(HandoverAttempts.None, LogisticsMongoQueries.ReadHandoverAttempts(BsonDocument.Parse("""{ "_id": "s", "reads": 1 }""")));
        // Counted before tags were kept: the count stands, no tag.
        var older = LogisticsMongoQueries.ReadHandoverAttempts(BsonDocument.Parse("""{ "_id": "s", "reads": 4, "wrong": 3 }"""));
        Assert.Equal((3, 0), (older.Wrong, older.Tags.Count));
        var kept = LogisticsMongoQueries.ReadHandoverAttempts(BsonDocument.Parse("""{ "_id": "s", "wrong": 4, "tried": [ "t1", "t2" ] }"""));
        Assert.Equal(4, kept.Wrong);
        Assert.Equal(["t1", "t2"], kept.Tags.Order().ToArray());
    }

    [Fact]
    public void A_shipments_wrong_codes_read_as_none_until_counted_and_as_any_integer_after()
    {
        Assert.Equal(0, LogisticsMongoQueries.WrongHandoverCodes(null));
        Assert.Equal(0, LogisticsMongoQueries.WrongHandoverCodes(BsonDocument.Parse("""{ "_id": "s", "reads": 1 }""")));
        Assert.Equal(4, LogisticsMongoQueries.WrongHandoverCodes(new BsonDocument { ["_id"] = "s", ["wrong"] = 4 }));
        Assert.Equal(4, LogisticsMongoQueries.WrongHandoverCodes(new BsonDocument { ["_id"] = "s", ["wrong"] = 4L }));
    }

    [Fact]
    public void A_page_of_vehicles_starts_past_the_last_vehicle_in_home_town_then_id_order()
    {
        var last = new VehicleCursor("roanne", "veh-1");

        Assert.Equal(BsonDocument.Parse("""{ "homeTown": "lyon" }"""), MongoRendering.Render(LogisticsMongoQueries.VehiclePage(new VehiclePage("lyon", null, 5))));
        Assert.Equal(BsonDocument.Parse("""{ "$or": [{ "homeTown": { "$gt": "roanne" } }, { "homeTown": "roanne", "_id": { "$gt": "veh-1" } }] }"""),
            MongoRendering.Render(LogisticsMongoQueries.VehiclePage(new VehiclePage(null, last, 5))));
    }

    [Fact]
    public void Active_shipments_are_the_planned_and_the_picked_up_ones() =>
        Assert.Equal(BsonDocument.Parse("""{ "status": { "$in": ["planned", "pickedUp"] } }"""), MongoRendering.Render(LogisticsMongoQueries.ActiveShipments));

    [Fact]
    public void Ended_shipments_are_the_delivered_and_failed_ones_due_since_a_time_along_their_index()
    {
        var since = new DateTimeOffset(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);
        Assert.Equal(BsonDocument.Parse("""{ "status": { "$in": ["delivered", "failed"] }, "eta": { "$gte": ISODate("2026-12-05T08:00:00Z") } }"""),
            MongoRendering.Render(LogisticsMongoQueries.EndedShipments(since)));
        Assert.Equal(BsonDocument.Parse("""{ "status": 1, "eta": 1 }"""),
            MongoRendering.Render(LogisticsMongoQueries.ShipmentIndexes.Single(i => i.Options.Name == "status_eta").Keys));
    }

    [Fact]
    public void Route_and_active_shipments_are_listed_in_the_sqlite_order()
    {
        Assert.Equal(BsonDocument.Parse("""{ "tradeId": 1, "legIndex": 1 }"""), MongoRendering.Render(LogisticsMongoQueries.ByTradeLeg));
        Assert.Equal(BsonDocument.Parse("""{ "vehicleId": 1, "routeId": 1 }"""), MongoRendering.Render(LogisticsMongoQueries.ByVehicleRoute));
    }

    [Fact]
    public void A_town_sees_shipments_where_it_is_sender_receiver_or_carrier()
    {
        var filter = MongoRendering.Render(LogisticsMongoQueries.Shipments(new ShipmentQuery(Trade, "roanne")));

        var expected = new BsonDocument
        {
            ["tradeId"] = Uuid(Trade),
            ["$or"] = new BsonArray
            {
                new BsonDocument("fromTown", "roanne"),
                new BsonDocument("toTown", "roanne"),
                new BsonDocument("carrierTown", "roanne"),
            },
        };
        Assert.Equal(expected, filter);
    }

    [Fact]
    public void A_filtered_page_of_shipments_asks_for_the_statuses_the_eta_and_what_follows_the_last_shipment_in_the_lists_order()
    {
        var after = new Shipment(Guid.NewGuid(), Trade, 1, Guid.NewGuid(), "roanne", "lyon", "roanne", "van", Guid.NewGuid(),
            ShipmentStatus.Planned, 1, 1, T0, [], T0);

        var filter = MongoRendering.Render(LogisticsMongoQueries.Shipments(
            new ShipmentQuery(Statuses: [ShipmentStatus.Planned, ShipmentStatus.PickedUp], EtaBefore: T0, After: after)));

        var created = new BsonDateTime(T0.UtcDateTime);
        Assert.Equal(BsonDocument.Parse("""{ "$in": ["planned", "pickedUp"] }"""), filter["status"]);
        Assert.Equal(new BsonDocument("$lt", created), filter["eta"]);
        var expectedAfter = new BsonArray
        {
            new BsonDocument("createdAt", new BsonDocument("$lt", created)),
            new BsonDocument
            {
                ["createdAt"] = created,
                ["$or"] = new BsonArray
                {
                    new BsonDocument("tradeId", new BsonDocument("$gt", Uuid(Trade))),
                    new BsonDocument
                    {
                        ["tradeId"] = Uuid(Trade),
                        ["$or"] = new BsonArray
                        {
                            new BsonDocument("legIndex", new BsonDocument("$gt", 1)),
                            new BsonDocument { ["legIndex"] = 1, ["_id"] = new BsonDocument("$gt", Uuid(after.Id)) },
                        },
                    },
                },
            },
        };
        Assert.Equal(expectedAfter, filter["$or"]);
        Assert.Equal(BsonDocument.Parse("""{ "createdAt": -1, "tradeId": 1, "legIndex": 1, "_id": 1 }"""), MongoRendering.Render(LogisticsMongoQueries.NewestFirst));
    }

    [Fact]
    public void An_operator_query_without_filters_matches_everything() =>
        Assert.Equal(new BsonDocument(), MongoRendering.Render(LogisticsMongoQueries.Shipments(new ShipmentQuery())));

    [Fact]
    public void A_shipment_update_only_matches_the_version_it_was_read_at()
    {
        var id = Guid.NewGuid();

        var filter = MongoRendering.Render(LogisticsMongoQueries.ShipmentAtVersion(id, 7));

        Assert.Equal(new BsonDocument { ["_id"] = Uuid(id), ["version"] = 7L }, filter);
    }

    [Fact]
    public void Pending_transfers_are_found_by_status_oldest_first()
    {
        Assert.Equal(new BsonDocument("status", "pending"), MongoRendering.Render(LogisticsMongoQueries.PendingTransfers));
        Assert.Equal(new BsonDocument("status", "pending"), MongoRendering.Render(LogisticsMongoQueries.PendingTransfersReadyBefore(null)));
        var before = new DateTimeOffset(2026, 12, 13, 9, 0, 0, TimeSpan.Zero);
        Assert.Equal(BsonDocument.Parse("""{ "status": "pending", "$or": [{ "windowFrom": null }, { "windowFrom": { "$lt": ISODate("2026-12-13T09:00:00Z") } }] }"""),
            MongoRendering.Render(LogisticsMongoQueries.PendingTransfersReadyBefore(before)));
        Assert.Equal(new BsonDocument("status", "planned"),
            MongoRendering.Render(LogisticsMongoQueries.SetTransferStatus(TransferStatus.Planned))["$set"].AsBsonDocument);
    }

    [Fact]
    public void Shipments_are_counted_per_value_of_the_field_that_holds_their_status()
    {
        var stage = Assert.Single(MongoRendering.Render(LogisticsMongoQueries.ShipmentsByStatus));

        Assert.Equal(BsonDocument.Parse("{ $group: { _id: '$status', count: { $sum: 1 } } }"), stage);
        Assert.Equal("pickedUp", MongoMapping.ToDocument(PickedUpShipment()).ToBsonDocument()["status"].AsString);
    }

    [Fact]
    public void A_trade_leg_has_at_most_one_transfer_by_a_unique_index()
    {
        var index = LogisticsMongoQueries.TransferIndexes.Single(i => i.Options.Name == "trade_leg");

        Assert.True(index.Options.Unique);
        Assert.Equal(new BsonDocument { ["tradeId"] = 1, ["legIndex"] = 1 }, MongoRendering.Render(index.Keys));
    }

    [Fact]
    public void Every_field_a_town_is_matched_on_has_an_index()
    {
        var keys = LogisticsMongoQueries.ShipmentIndexes.Select(i => MongoRendering.Render(i.Keys)).ToList();

        Assert.Contains(new BsonDocument { ["tradeId"] = 1, ["legIndex"] = 1 }, keys);
        foreach (var field in new[] { "fromTown", "toTown", "carrierTown" })
            Assert.Contains(new BsonDocument { [field] = 1, ["createdAt"] = -1 }, keys);
    }

    [Fact]
    public void A_cancelled_trade_is_keyed_by_its_trade_id() =>
        Assert.Equal(new BsonDocument("_id", Uuid(Trade)), MongoRendering.Render(LogisticsMongoQueries.CancelledTrade(Trade)));

    [Fact]
    public void A_vehicle_registration_is_keyed_by_its_caller_and_key()
    {
        var registration = new VehicleRegistration("town:roanne", "retry-1", "veh-1", "ABC", T0);

        var bson = MongoMapping.ToDocument(registration).ToBsonDocument();
        var back = MongoMapping.ToDomain(BsonSerializer.Deserialize<VehicleRegistrationDocument>(bson));

        Assert.Equal(new BsonDocument
        {
            ["_id"] = "town:roanne retry-1", ["caller"] = "town:roanne", ["key"] = "retry-1", ["vehicleId"] = "veh-1",
            ["fingerprint"] = "ABC", ["at"] = new BsonDateTime(T0.UtcDateTime),
        }, bson);
        Assert.Equal(registration, back);
        Assert.Equal(new BsonDocument("_id", "town:roanne retry-1"),
            MongoRendering.Render(LogisticsMongoQueries.VehicleRegistrationOf("town:roanne", "retry-1")));
    }

    /// <summary>A key has no spaces, so its document id splits back at the last space into the caller and key it was
    /// made of, whatever the caller's name holds: no two callers' keys share a document.</summary>
    [Fact]
    public void A_registration_id_splits_back_into_its_caller_and_key()
    {
        var caller = Gen.String[Gen.Char["ab /:,"], 0, 8].Select(name => VehicleRegistration.CallerOf("operator", name));
        var key = Gen.String[Gen.Char["ab/:-~"], 1, 8];

        Gen.Select(caller, key).Sample((c, k) =>
        {
            var id = VehicleRegistration.IdOf(c, k);
            var split = id.LastIndexOf(' ');
            return id[..split] == c && id[(split + 1)..] == k;
        });
    }

    [Fact]
    public void A_towns_standing_is_keyed_by_the_town_and_keeps_the_time_catalog_decided_it()
    {
        var suspended = new TownStanding("roanne", Suspended: true, T0, "fraud");
        var reinstated = new TownStanding("roanne", Suspended: false, T0.AddDays(1));

        var bson = MongoMapping.ToDocument(suspended).ToBsonDocument();

        Assert.Equal(new BsonDocument
        {
            ["_id"] = "roanne", ["suspended"] = true, ["at"] = new BsonDateTime(T0.UtcDateTime), ["reason"] = "fraud",
        }, bson);
        Assert.Equal(suspended, MongoMapping.ToDomain(BsonSerializer.Deserialize<TownStandingDocument>(bson)));
        Assert.Equal(reinstated, MongoMapping.ToDomain(BsonSerializer.Deserialize<TownStandingDocument>(MongoMapping.ToDocument(reinstated).ToBsonDocument())));
        Assert.Equal(new BsonDocument("_id", "roanne"), MongoRendering.Render(LogisticsMongoQueries.TownStandingOf("roanne")));
        Assert.Equal(new BsonDocument("suspended", true), MongoRendering.Render(LogisticsMongoQueries.SuspendedTowns));
    }

    [Fact]
    public void The_outbox_ids_are_stored_as_standard_uuids()
    {
        var id = Guid.NewGuid();

        var filter = MongoRendering.Render(MongoDB.Driver.Builders<OutboxDocument>.Filter.Eq(d => d.Id, id));
        var document = new OutboxDocument { Id = id, Type = "t", Payload = "{}" }.ToBsonDocument();

        Assert.Equal(new BsonDocument("_id", Uuid(id)), filter);
        Assert.Equal(Uuid(id), document["_id"]);
    }
}
