using System.Text.Json;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using TradeNet.Catalog.Domain;
using TradeNet.Catalog.Storage;
using TradeNet.Catalog.Storage.Mongo;
using TradeNet.Shared.Storage.Mongo;

namespace TradeNet.Catalog.Tests;

/// <summary>The MongoDB mapping, checked without a server: documents, filters and indexes as the driver renders them.</summary>
public sealed class MongoMappingTests
{
    static MongoMappingTests() => CatalogMongoMapping.Register();

    private static readonly DateTimeOffset At = new(2026, 11, 27, 9, 30, 15, 123, TimeSpan.Zero);

    private static T RoundTrip<T>(T value, out BsonDocument document)
    {
        document = value.ToBsonDocument();
        return BsonSerializer.Deserialize<T>(document);
    }

    private static void AssertSame<T>(T expected, T actual) =>
        Assert.Equal(JsonSerializer.Serialize(expected), JsonSerializer.Serialize(actual));

    [Fact]
    public void A_listing_round_trips_with_camel_case_fields_and_dates()
    {
        var listing = new Listing("l1", "42187", ListingKinds.Need, "firewood", 500, 20, 30, 50, [], ["dry"], At, null, 40,
            ListingStatuses.Active, 7, At);

        var back = RoundTrip(listing, out var doc);

        AssertSame(listing, back);
        Assert.Equal("l1", doc["_id"].AsString);
        Assert.Equal(BsonType.DateTime, doc["availableFrom"].BsonType);
        Assert.Equal(BsonNull.Value, doc["availableUntil"]);
        Assert.Equal(7L, doc["version"].AsInt64);
        Assert.Equal(
            ["_id", "townId", "kind", "category", "quantity", "reserved", "fulfilled", "minLot", "attributes", "requires",
             "availableFrom", "availableUntil", "maxDistanceKm", "status", "version", "createdAt"],
            doc.Names.ToArray()); // derived values such as remaining are not stored
    }

    [Fact]
    public void A_town_round_trips_and_keeps_only_its_key_hash()
    {
        var town = new Town("42187", "Roanne", "42187", 46.03, 4.07, ["cheese"], ApiKeys.Hash("tn_secret"), At);

        var back = RoundTrip(town, out var doc);

        AssertSame(town, back);
        Assert.Equal(ApiKeys.Hash("tn_secret"), doc["apiKeyHash"].AsString);
        Assert.Equal("42187", doc["_id"].AsString);
    }

    [Fact]
    public void A_suspended_town_keeps_its_suspension_as_a_document_with_a_date()
    {
        var town = new Town("42187", "Roanne", "42187", 46.03, 4.07, ["cheese"], ApiKeys.Hash("tn_secret"), At,
            new TownSuspension("fraudulent offers", At));

        var back = RoundTrip(town, out var doc);

        AssertSame(town, back);
        Assert.Equal(BsonDocument.Parse("""{ "reason": "fraudulent offers", "at": { "$date": "2026-11-27T09:30:15.123Z" } }"""),
            doc["suspension"].AsBsonDocument);
        Assert.Equal(BsonNull.Value, (town with { Suspension = null }).ToBsonDocument()["suspension"]);
    }

    [Fact]
    public void A_town_stored_before_suspensions_reads_as_not_suspended()
    {
        var town = new Town("42187", "Roanne", "42187", 46.03, 4.07, ["cheese"], "hash", At);
        var doc = town.ToBsonDocument();
        doc.Remove("suspension");

        var back = BsonSerializer.Deserialize<Town>(doc);

        Assert.Null(back.Suspension);
        AssertSame(town, back);
    }

    [Fact]
    public void A_suspension_sets_the_towns_suspension_field_and_nothing_else()
    {
        Assert.Equal(BsonDocument.Parse("""{ "$set": { "suspension": { "reason": "late", "at": { "$date": "2026-11-27T09:30:15.123Z" } } } }"""),
            MongoRendering.Render(CatalogMongoQueries.SetSuspension(new TownSuspension("late", At))));
    }

    [Fact]
    public void A_reinstatement_clears_the_towns_suspension_and_sets_its_reinstatement_date_and_nothing_else()
    {
        Assert.Equal(BsonDocument.Parse("""{ "$set": { "suspension": null, "reinstatedAt": { "$date": "2026-11-27T09:30:15.123Z" } } }"""),
            MongoRendering.Render(CatalogMongoQueries.Reinstate(At)));
    }

    [Fact]
    public void A_towns_last_reinstatement_is_kept_as_a_date_and_a_town_stored_before_it_reads_as_never_reinstated()
    {
        var town = new Town("42187", "Roanne", "42187", 46.03, 4.07, ["cheese"], "hash", At, ReinstatedAt: At.AddHours(1));

        var back = RoundTrip(town, out var doc);

        AssertSame(town, back);
        Assert.Equal(BsonType.DateTime, doc["reinstatedAt"].BsonType);
        doc.Remove("reinstatedAt");
        Assert.Null(BsonSerializer.Deserialize<Town>(doc).ReinstatedAt);
    }

    [Fact]
    public void A_category_round_trips()
    {
        var category = CategorySeed.All[0];

        var back = RoundTrip(category, out var doc);

        Assert.Equal(category, back);
        Assert.Equal(category.Id, doc["_id"].AsString);
        Assert.Equal(category.ValuePerUnit, doc["valuePerUnit"].AsDouble);
    }

    [Fact]
    public void A_reservation_is_keyed_by_its_trade_id_as_a_string()
    {
        var trade = Guid.NewGuid();
        var reservation = new Reservation(trade, false, "listing x is withdrawn", [new("x", 2)], ReservationStates.Refused, At);

        var back = RoundTrip(reservation, out var doc);

        AssertSame(reservation, back);
        Assert.Equal(trade.ToString(), doc["_id"].AsString);
        Assert.Equal("x", doc["lines"][0]["listingId"].AsString);
    }

    [Fact]
    public void An_idempotency_key_is_keyed_by_its_town_and_key()
    {
        var request = new ListingRequest("42187", "retry-1", "l1", "ABC", At);

        var back = RoundTrip(request, out var doc);

        Assert.Equal(request, back);
        Assert.Equal("42187/retry-1", doc["_id"].AsString);
        Assert.Equal(BsonDocument.Parse("""{ "_id": "42187/retry-1" }"""), MongoRendering.Render(CatalogMongoQueries.ListingRequestOf("42187", "retry-1")));
    }

    [Fact]
    public void A_revoked_key_is_keyed_by_its_sequence_and_keeps_only_the_keys_hash()
    {
        var revoked = new RevokedKey(42, ApiKeys.Hash("tn_leaked"), At);

        var back = RoundTrip(revoked, out var doc);

        Assert.Equal(revoked, back);
        Assert.Equal(BsonDocument.Parse($$"""{ "_id": { "$numberLong": "42" }, "keyHash": "{{ApiKeys.Hash("tn_leaked")}}", "revokedAt": { "$date": "2026-11-27T09:30:15.123Z" } }"""), doc);
    }

    [Fact]
    public void The_revoked_key_feed_counts_in_one_counter_document_and_pages_and_prunes_by_sequence_and_time()
    {
        Assert.Equal(BsonDocument.Parse("""{ "_id": "revokedKeys" }"""), MongoRendering.Render(CatalogMongoQueries.RevokedKeyCounter));
        Assert.Equal(BsonDocument.Parse("""{ "$inc": { "sequence": { "$numberLong": "1" } } }"""),
            MongoRendering.Render(CatalogMongoQueries.NextRevokedKey));
        Assert.Equal(BsonDocument.Parse("""{ "_id": { "$gt": { "$numberLong": "7" } } }"""),
            MongoRendering.Render(CatalogMongoQueries.RevokedKeysAfter(7)));
        Assert.Equal(BsonDocument.Parse("""{ "_id": 1 }"""), MongoRendering.Render(CatalogMongoQueries.RevokedKeyOrder));
        Assert.Equal(BsonDocument.Parse("""{ "revokedAt": { "$lt": { "$date": "2026-11-27T09:30:15.123Z" } } }"""),
            MongoRendering.Render(CatalogMongoQueries.RevokedKeysBefore(At)));
        Assert.Equal(BsonDocument.Parse("""{ "revokedAt": 1 }"""), MongoRendering.Render(CatalogMongoQueries.RevokedKeysByTimeIndex.Keys));
    }

    [Fact]
    public void The_shared_outbox_document_serialises_its_guid_as_a_standard_uuid()
    {
        var id = Guid.NewGuid();

        var doc = new OutboxDocument { Id = id, Type = "t", Payload = "{}", CreatedAt = DateTime.UtcNow }.ToBsonDocument();

        Assert.Equal(BsonBinarySubType.UuidStandard, doc["_id"].AsBsonBinaryData.SubType);
        Assert.Equal(id, doc["_id"].AsGuid);
    }

    [Fact]
    public void A_towns_open_listings_are_counted_under_a_guard_document_of_its_own()
    {
        Assert.Equal(BsonDocument.Parse("""{ "_id": "openListings:42187" }"""), MongoRendering.Render(CatalogMongoQueries.OpenListingsGuard("42187")));
        Assert.Equal(BsonDocument.Parse("""{ "$inc": { "writes": { "$numberLong": "1" } } }"""), MongoRendering.Render(CatalogMongoQueries.TouchGuard));
        Assert.Equal(new BsonDocument
            {
                ["townId"] = "42187", ["status"] = "active",
                ["$or"] = new BsonArray { new BsonDocument("availableUntil", BsonNull.Value),
                    new BsonDocument("availableUntil", new BsonDocument("$gte", new BsonDateTime(At.UtcDateTime))) },
            },
            MongoRendering.Render(CatalogMongoQueries.OpenListings("42187", At)));
    }

    [Fact]
    public void The_active_list_keeps_open_windows_and_the_ended_list_the_active_listings_past_theirs()
    {
        Assert.Equal(new BsonDocument
            {
                ["status"] = "active",
                ["$or"] = new BsonArray { new BsonDocument("availableUntil", BsonNull.Value),
                    new BsonDocument("availableUntil", new BsonDocument("$gte", new BsonDateTime(At.UtcDateTime))) },
            },
            MongoRendering.Render(CatalogMongoQueries.Listings(new ListingQuery(Status: ListingStatuses.Active, At: At))));
        Assert.Equal(new BsonDocument
            {
                ["status"] = "active", ["availableUntil"] = new BsonDocument("$lt", new BsonDateTime(At.UtcDateTime)),
            },
            MongoRendering.Render(CatalogMongoQueries.Listings(new ListingQuery(Status: ListingStatuses.Ended, At: At))));
    }

    [Fact]
    public void Filters_render_to_the_mapped_field_names()
    {
        var trade = Guid.NewGuid();

        Assert.Equal(BsonDocument.Parse("""{ "_id": "l1", "version": { "$numberLong": "3" } }"""),
            MongoRendering.Render(CatalogMongoQueries.ListingAtVersion("l1", 3)));
        Assert.Equal(BsonDocument.Parse("""{ "apiKeyHash": "abc" }"""), MongoRendering.Render(CatalogMongoQueries.TownByKeyHash("abc")));
        Assert.Equal(BsonDocument.Parse($$"""{ "_id": "{{trade}}" }"""), MongoRendering.Render(CatalogMongoQueries.ReservationByTrade(trade)));
        Assert.Equal(BsonDocument.Parse("""{ "townId": "42187", "kind": "offer", "status": "exhausted" }"""),
            MongoRendering.Render(CatalogMongoQueries.Listings(new ListingQuery(TownId: "42187", Kind: "offer", Status: "exhausted"))));
        Assert.Equal(BsonDocument.Parse("""{ "_id": { "$in": ["a", "b"] } }"""),
            MongoRendering.Render(CatalogMongoQueries.Listings(new ListingQuery(Ids: ["a", "b"]))));
        Assert.Equal(new BsonDocument(), MongoRendering.Render(CatalogMongoQueries.Listings(new ListingQuery())));
        Assert.Equal(BsonDocument.Parse("""{ "state": "held", "lines": { "$elemMatch": { "listingId": "l1" } } }"""),
            MongoRendering.Render(CatalogMongoQueries.HeldOnListing("l1")));
        Assert.Equal(BsonDocument.Parse("""{ "createdAt": 1, "_id": 1 }"""), MongoRendering.Render(CatalogMongoQueries.ReservationsOldestFirst));
    }

    [Fact]
    public void A_town_change_sets_its_name_position_specialties_and_moves_and_never_its_key_hash()
    {
        var town = new Town("42187", "Roanne", "42187", 46.0443, 4.07974, ["cheese"], "hash", At);

        Assert.Equal(BsonDocument.Parse("""{ "$set": { "name": "Roanne", "lat": 46.0443, "lon": 4.07974, "specialties": ["cheese"], "moves": null } }"""),
            MongoRendering.Render(CatalogMongoQueries.SetTownDetails(town)));
        Assert.Equal(new BsonArray { new BsonDateTime(At.UtcDateTime) },
            MongoRendering.Render(CatalogMongoQueries.SetTownDetails(town with { Moves = [At] }))["$set"]["moves"]);
    }

    [Fact]
    public void A_towns_moves_are_kept_as_dates_and_a_town_stored_before_them_reads_as_never_moved()
    {
        var town = new Town("42187", "Roanne", "42187", 46.03, 4.07, ["cheese"], "hash", At, Moves: [At.AddMinutes(-5), At]);

        var back = RoundTrip(town, out var doc);

        AssertSame(town, back);
        Assert.Equal(BsonType.DateTime, doc["moves"][1].BsonType);
        doc.Remove("moves");
        Assert.Null(BsonSerializer.Deserialize<Town>(doc).Moves);
    }

    [Fact]
    public void A_registration_looks_for_suspended_towns_with_its_INSEE_code_or_in_a_box_around_it()
    {
        var box = new GeoBox(45.5, 45.6, 4.4, 4.6);

        Assert.Equal(BsonDocument.Parse("""
            { "suspension": { "$ne": null }, "$or": [ { "inseeCode": "42283" },
              { "lat": { "$gte": 45.5, "$lte": 45.6 }, "lon": { "$gte": 4.4, "$lte": 4.6 } } ] }
            """), MongoRendering.Render(CatalogMongoQueries.SuspendedTownsLike("42283", box)));
        Assert.Equal(BsonDocument.Parse("""
            { "suspension": { "$ne": null }, "lat": { "$gte": 45.5, "$lte": 45.6 }, "lon": { "$gte": 4.4, "$lte": 4.6 } }
            """), MongoRendering.Render(CatalogMongoQueries.SuspendedTownsLike(null, box)));
    }

    [Fact]
    public void A_registrations_key_is_kept_by_its_hash_and_expires_through_a_TTL_index()
    {
        var request = new TownRequest("keyhash", "42187", "ABC", "v1.sealed", At, At.AddDays(1));

        var back = RoundTrip(request, out var doc);

        Assert.Equal(request, back);
        Assert.Equal(BsonDocument.Parse("""
            { "_id": "keyhash", "townId": "42187", "fingerprint": "ABC", "sealedApiKey": "v1.sealed",
              "at": { "$date": "2026-11-27T09:30:15.123Z" }, "expiresAt": { "$date": "2026-11-28T09:30:15.123Z" } }
            """), doc);
        Assert.Equal(BsonDocument.Parse("""{ "_id": "keyhash" }"""), MongoRendering.Render(CatalogMongoQueries.TownRequestByKey("keyhash")));
        Assert.Equal(BsonDocument.Parse("""{ "_id": "keyhash", "expiresAt": { "$lte": { "$date": "2026-11-27T09:30:15.123Z" } } }"""),
            MongoRendering.Render(CatalogMongoQueries.ExpiredTownRequest("keyhash", At)));
        var ttl = CatalogMongoQueries.TownRequestsExpiryIndex;
        Assert.Equal(BsonDocument.Parse("""{ "expiresAt": 1 }"""), MongoRendering.Render(ttl.Keys));
        Assert.Equal(TimeSpan.Zero, ttl.Options.ExpireAfter);
    }

    [Fact]
    public void A_key_rotation_sets_only_the_key_hash_and_only_on_the_key_it_read()
    {
        Assert.Equal(BsonDocument.Parse("""{ "_id": "42187", "apiKeyHash": "old" }"""),
            MongoRendering.Render(CatalogMongoQueries.TownWithKey("42187", "old")));
        Assert.Equal(BsonDocument.Parse("""{ "$set": { "apiKeyHash": "new" } }"""),
            MongoRendering.Render(CatalogMongoQueries.SetKeyHash("new")));
    }

    [Fact]
    public void A_page_after_a_town_starts_past_its_name_then_its_id()
    {
        var after = new TownCursor("Roanne", "42187");

        Assert.Equal(BsonDocument.Parse("""{ "$or": [ { "name": { "$gt": "Roanne" } }, { "name": "Roanne", "_id": { "$gt": "42187" } } ] }"""),
            MongoRendering.Render(CatalogMongoQueries.TownsAfter(after)));
        Assert.Equal(new BsonDocument(), MongoRendering.Render(CatalogMongoQueries.TownsAfter(null)));
    }

    [Fact]
    public void A_page_after_a_listing_starts_past_its_creation_time_then_its_id()
    {
        var after = new ListingCursor(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero), "l7");

        var or = MongoRendering.Render(CatalogMongoQueries.Listings(new ListingQuery(After: after)))["$or"].AsBsonArray;

        Assert.Equal(2, or.Count);
        var time = or[0]["createdAt"]["$gt"];
        Assert.Equal(new BsonDocument { ["createdAt"] = time, ["_id"] = new BsonDocument("$gt", "l7") }, or[1]);
    }

    [Fact]
    public void Indexes_cover_key_lookups_and_the_order_book()
    {
        var key = CatalogMongoQueries.TownKeyIndex;
        var byTown = CatalogMongoQueries.ListingsByTownIndex;
        var book = CatalogMongoQueries.ListingsBookIndex;

        Assert.Equal(BsonDocument.Parse("""{ "apiKeyHash": 1 }"""), MongoRendering.Render(key.Keys));
        Assert.True(key.Options.Unique);
        Assert.Equal(BsonDocument.Parse("""{ "townId": 1 }"""), MongoRendering.Render(byTown.Keys));
        Assert.Equal(BsonDocument.Parse("""{ "status": 1, "kind": 1, "category": 1 }"""), MongoRendering.Render(book.Keys));
    }

    [Fact]
    public void Pages_of_listings_are_read_along_an_index_in_their_order_not_sorted_per_page()
    {
        // Without it each page of a list (and the start's settle of spent listings, a page of 500 at a time) sorted every
        // listing its filter kept: about N² / 500 reads over a catalog of N.
        var created = CatalogMongoQueries.ListingsCreatedIndex;

        Assert.Equal(MongoRendering.Render(CatalogMongoQueries.ListingOrder), MongoRendering.Render(created.Keys));
        Assert.Equal(BsonDocument.Parse("""{ "createdAt": 1, "_id": 1 }"""), MongoRendering.Render(created.Keys));
    }
    [Theory]
    [InlineData("town_created", """{ "townId": 1 }""")]
    [InlineData("category_created", """{ "category": 1 }""")]
    [InlineData("status_created", """{ "status": 1 }""")]
    [InlineData("status_category_created", """{ "status": 1, "category": 1 }""")]
    public void Each_public_filter_has_an_index_of_its_fields_then_the_lists_order(string name, string filter)
    {
        // Equality fields first, then the sort: a page of the filter is read in order and stops when full.
        var index = Assert.Single(CatalogMongoQueries.ListingsFilterIndexes, i => i.Options.Name == name);

        var expected = BsonDocument.Parse(filter).AddRange(MongoRendering.Render(CatalogMongoQueries.ListingOrder));
        Assert.Equal(expected, MongoRendering.Render(index.Keys));
    }
}
