using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Driver;
using TradeNet.Contracts;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Storage;
using TradeNet.Matching.Storage.Mongo;
using TradeNet.Shared.Storage.Mongo;

namespace TradeNet.Matching.Tests.Storage;

/// <summary>The MongoDB mapping checked without a server: documents, filters, updates and indexes rendered to BSON.</summary>
public class MongoMappingTests
{
    internal static readonly DateTimeOffset At = new(2026, 12, 1, 9, 30, 0, TimeSpan.Zero);

    public MongoMappingTests() => MongoMapping.Register();

    [Fact]
    public void A_trade_document_stores_camel_case_fields_a_standard_guid_id_and_its_towns_and_listings()
    {
        var trade = SampleTrade();
        var bson = TradeDocument.From(trade).ToBsonDocument();

        Assert.Equal(BsonBinarySubType.UuidStandard, bson["_id"].AsBsonBinaryData.SubType);
        Assert.Equal(trade.Id, bson["_id"].AsGuid);
        Assert.Equal("proposed", bson["status"].AsString);
        Assert.Equal(new BsonArray { "roanne", "riorges" }, bson["towns"].AsBsonArray);
        Assert.Equal(new BsonArray { "o1", "n1", "o2", "n2" }, bson["listingIds"].AsBsonArray);
        Assert.Equal(At.AddDays(1).UtcDateTime, bson["deadline"].ToUniversalTime());
        var leg = bson["legs"][0].AsBsonDocument;
        Assert.Equal("pending", leg["response"].AsString);
        Assert.Equal(46.03, leg["fromLat"].AsDouble);
        Assert.Equal(7, leg["needVersion"].AsInt64);
    }

    [Fact]
    public void A_lease_is_takeable_when_it_ran_out_or_is_the_callers_own_and_is_keyed_by_its_name()
    {
        var at = new DateTimeOffset(2026, 11, 28, 5, 0, 0, TimeSpan.Zero);

        var filter = MongoRendering.Render(MongoStore.LeaseTakeableBy("clearing-round", "host-a", at));
        var bson = new LeaseDocument { Id = "clearing-round", Holder = "host-a", ExpiresAt = at.UtcDateTime }.ToBsonDocument();

        Assert.Equal("""{ "_id" : "clearing-round", "$or" : [{ "expiresAt" : { "$lte" : { "$date" : "2026-11-28T05:00:00Z" } } }, { "holder" : "host-a" }] }""",
            filter.ToString());
        Assert.Equal("""{ "_id" : "clearing-round", "holder" : "host-a", "expiresAt" : { "$date" : "2026-11-28T05:00:00Z" } }""", bson.ToString());
    }

    [Fact]
    public void A_trade_survives_the_round_trip_through_bson()
    {
        var trade = SampleTrade().WithLeg(0, l => l with
        {
            Response = LegResponse.Accepted, AnsweredAt = At, PickedUp = true, PickedUpAt = At.AddHours(1), Failure = "late",
            LastFailedAt = At.AddMinutes(30),
        }) with { Version = 3 };

        var bson = TradeDocument.From(trade).ToBsonDocument();
        var back = BsonSerializer.Deserialize<TradeDocument>(bson).ToDomain();

        Assert.Equal((trade.Id, trade.RoundId, trade.Status, trade.Deadline, trade.CreatedAt, trade.Version),
            (back.Id, back.RoundId, back.Status, back.Deadline, back.CreatedAt, back.Version));
        Assert.Equal(trade.Legs, back.Legs);
    }

    [Fact]
    public void The_time_a_trade_was_agreed_is_stored_and_a_trade_stored_before_it_was_recorded_reads_null()
    {
        var trade = SampleTrade() with { Status = TradeStatus.Agreed, AgreedAt = At.AddHours(3) };

        var bson = TradeDocument.From(trade).ToBsonDocument();

        Assert.Equal(At.AddHours(3).UtcDateTime, bson["agreedAt"].ToUniversalTime());
        Assert.Equal(At.AddHours(3), BsonSerializer.Deserialize<TradeDocument>(bson).ToDomain().AgreedAt);
        bson.Remove("agreedAt");
        Assert.Null(BsonSerializer.Deserialize<TradeDocument>(bson).ToDomain().AgreedAt);
    }

    [Fact]
    public void A_pickup_is_stored_on_its_leg_and_a_leg_stored_before_pickups_were_tracked_reads_as_not_picked_up()
    {
        var trade = SampleTrade().WithLeg(1, l => l with { PickedUp = true, PickedUpAt = At.AddHours(1) });

        var bson = TradeDocument.From(trade).ToBsonDocument();

        var leg = bson["legs"][1].AsBsonDocument;
        Assert.True(leg["pickedUp"].AsBoolean);
        Assert.Equal(At.AddHours(1).UtcDateTime, leg["pickedUpAt"].ToUniversalTime());
        foreach (var stored in bson["legs"].AsBsonArray.Select(l => l.AsBsonDocument))
        {
            stored.Remove("pickedUp");
            stored.Remove("pickedUpAt");
        }
        var old = BsonSerializer.Deserialize<TradeDocument>(bson).ToDomain();
        Assert.All(old.Legs, l => Assert.Equal((false, (DateTimeOffset?)null), (l.PickedUp, l.PickedUpAt)));
    }

    [Fact]
    public void A_book_listing_survives_the_round_trip_and_embeds_its_listing_without_a_second_id()
    {
        var listing = new ListingSnapshot("l1", "roanne", "need", "cheese", "kg", 12, 1, 30, 25, 2, [], ["organic"], 40,
            At, null, 46.03, 4.06, 5);
        var bson = BookDocument.From(BookListing.Open(listing)).ToBsonDocument();

        Assert.Equal("l1", bson["_id"].AsString);
        Assert.False(bson["listing"].AsBsonDocument.Contains("_id"));
        Assert.Equal("l1", bson["listing"]["listingId"].AsString);
        var back = BsonSerializer.Deserialize<BookDocument>(bson).ToDomain();
        Assert.Equal(listing with { Attributes = [], Requires = [] }, back.Listing! with { Attributes = [], Requires = [] });
        Assert.Empty(back.Listing!.Attributes);
        Assert.Equal(["organic"], back.Listing.Requires);
    }

    [Fact]
    public void The_open_book_filter_skips_tombstones()
    {
        Assert.Equal(BsonDocument.Parse("{ withdrawn: false, listing: { $ne: null } }"), MongoRendering.Render(MongoMapping.OpenListings));
    }

    [Fact]
    public void A_rounds_book_filter_repeats_the_live_indexs_partial_filter_so_the_server_can_use_it()
    {
        var partial = MongoRendering.Render(((CreateIndexOptions<BookDocument>)MongoMapping.LiveBookIndex.Options).PartialFilterExpression);
        Assert.Equal(BsonDocument.Parse("{ withdrawn: false, 'listing.remaining': { $gt: 0.0 } }"), partial);
        Assert.Equal(BsonDocument.Parse("""
            { withdrawn: false, 'listing.remaining': { $gt: 0.0 },
              $or: [{ 'listing.availableUntil': null }, { 'listing.availableUntil': { $gte: ISODate('2026-12-01T09:30:00Z') } }] }
            """), MongoRendering.Render(MongoMapping.LiveListings(At)));
    }

    [Fact]
    public void A_page_of_the_book_starts_after_the_last_id_of_the_page_before()
    {
        Assert.Equal(BsonDocument.Parse("{ withdrawn: false, listing: { $ne: null }, _id: { $gt: 'l3' } }"),
            MongoRendering.Render(MongoMapping.ListingsAfter("l3")));
    }

    [Fact]
    public void A_towns_trades_are_those_it_gives_or_receives_on()
    {
        var rendered = MongoRendering.Render(MongoMapping.TradesMatching(new TradeQuery("roanne", TradeStatus.Proposed, DeadlineBefore: At)));
        Assert.Equal(BsonDocument.Parse("{ towns: 'roanne', status: 'proposed', deadline: { $lte: ISODate('2026-12-01T09:30:00Z') } }"), rendered);
        Assert.Equal(new BsonDocument(), MongoRendering.Render(MongoMapping.TradesMatching(new TradeQuery())));
    }

    [Fact]
    public void A_town_asking_about_another_town_needs_both_in_the_trade_and_a_listing_filter_reads_the_listing_ids()
    {
        var both = MongoRendering.Render(MongoMapping.TradesMatching(new TradeQuery("roanne", TradeStatus.Agreed, WithTown: "riorges", ListingId: "o1")));
        var same = MongoRendering.Render(MongoMapping.TradesMatching(new TradeQuery("roanne", WithTown: "roanne")));
        var other = MongoRendering.Render(MongoMapping.TradesMatching(new TradeQuery(WithTown: "riorges")));

        Assert.Equal(BsonDocument.Parse("{ townPairs: 'riorges\u001froanne', listingIds: 'o1', status: 'agreed' }"), both);
        Assert.Equal(BsonDocument.Parse("{ towns: 'roanne' }"), same);
        Assert.Equal(BsonDocument.Parse("{ towns: 'riorges' }"), other);
    }

    [Fact]
    public void A_page_after_a_trade_is_the_older_trades_then_those_as_old_with_a_greater_id_as_the_list_is_sorted()
    {
        var last = Guid.Parse("6f9619ff-8b86-d011-b42d-00c04fc964ff");

        var rendered = MongoRendering.Render(MongoMapping.TradesMatching(new TradeQuery(After: (At, last))));

        Assert.Equal(BsonDocument.Parse(
            "{ createdAt: { $lte: ISODate('2026-12-01T09:30:00Z') }, $or: [ { createdAt: { $lt: ISODate('2026-12-01T09:30:00Z') } }, " +
            "{ createdAt: ISODate('2026-12-01T09:30:00Z'), _id: { $gt: UUID('6f9619ff-8b86-d011-b42d-00c04fc964ff') } } ] }"), rendered);
        Assert.Equal(BsonDocument.Parse("{ createdAt: -1, _id: 1 }"), MongoRendering.Render(MongoMapping.NewestTradesFirst));
    }

    [Fact]
    public void A_towns_trades_in_one_status_are_the_equalities_of_the_towns_status_index_followed_by_the_lists_order()
    {
        var filter = MongoRendering.Render(MongoMapping.TradesMatching(new TradeQuery("roanne", TradeStatus.Proposed, 200)));
        var sort = MongoRendering.Render(MongoMapping.NewestTradesFirst);
        var index = MongoRendering.Render(MongoMapping.TradeIndexes.Single(i => i.Options.Name == "towns_status_created").Keys);

        // Equalities on the index's first fields, then its remaining fields in the sort's order and directions: the
        // server walks the town's trades of that status newest first and stops at the limit, with no sort in memory.
        Assert.Equal(BsonDocument.Parse("{ towns: 'roanne', status: 'proposed' }"), filter);
        Assert.Equal(filter.Names.Select(n => new BsonElement(n, 1)).Concat(sort.Elements), index.Elements);
    }

    [Fact]
    public void A_towns_whole_list_is_the_equality_of_its_index_followed_by_the_lists_order_and_the_index_without_the_id_goes()
    {
        var filter = MongoRendering.Render(MongoMapping.TradesMatching(new TradeQuery("roanne", Limit: 200)));
        var sort = MongoRendering.Render(MongoMapping.NewestTradesFirst);
        var indexes = MongoMapping.TradeIndexes.ToDictionary(i => i.Options.Name, i => MongoRendering.Render(i.Keys));

        // _id in the index too: the server walks the town's trades in the sort's order and stops at the limit, and a
        // later page (after: createdAt and _id) starts at its place, with no sort of the town's history in memory.
        Assert.Equal(BsonDocument.Parse("{ towns: 'roanne' }"), filter);
        Assert.Equal(filter.Names.Select(n => new BsonElement(n, 1)).Concat(sort.Elements), indexes["towns_created_id"].Elements);
        // The earlier release's index of the same list, without _id, is dropped at start; no index keeps its name.
        Assert.Equal(["towns_created"], MongoMapping.DroppedTradeIndexes);
        Assert.DoesNotContain("towns_created", indexes.Keys);
    }

    [Fact]
    public void A_towns_trades_with_a_second_town_are_the_equalities_of_the_pairs_index_followed_by_the_lists_order()
    {
        var inStatus = MongoRendering.Render(MongoMapping.TradesMatching(new TradeQuery("roanne", TradeStatus.Cancelled, 200, WithTown: "lyon")));
        var all = MongoRendering.Render(MongoMapping.TradesMatching(new TradeQuery("roanne", Limit: 200, WithTown: "lyon")));
        var sort = MongoRendering.Render(MongoMapping.NewestTradesFirst);
        var indexes = MongoMapping.TradeIndexes.ToDictionary(i => i.Options.Name, i => MongoRendering.Render(i.Keys));

        // The pair's own trades, newest first, rather than every trade of one town in the status with the other tested on each.
        Assert.Equal(BsonDocument.Parse("{ townPairs: 'lyon\u001froanne', status: 'cancelled' }"), inStatus);
        Assert.Equal(inStatus.Names.Select(n => new BsonElement(n, 1)).Concat(sort.Elements), indexes["town_pairs_status_created"].Elements);
        Assert.Equal(all.Names.Select(n => new BsonElement(n, 1)).Concat(sort.Elements), indexes["town_pairs_created"].Elements);
        // Either town named first: one key.
        Assert.Equal(inStatus, MongoRendering.Render(MongoMapping.TradesMatching(new TradeQuery("lyon", TradeStatus.Cancelled, 200, WithTown: "roanne"))));
    }

    [Fact]
    public void A_trade_stores_each_pair_of_its_towns_once_and_a_trade_stored_before_them_is_given_them_unless_a_write_did()
    {
        var cycle = SampleTrade().WithLeg(1, l => l with { Leg = l.Leg with { ToTown = "lyon" } });
        var id = Guid.Parse("0b5c2b7e-4d6f-4a51-9f0e-0d2f9c6c1a11");

        var bson = TradeDocument.From(cycle).ToBsonDocument();
        var fill = MongoMapping.FillTownPairs(id, ["roanne", "riorges"]);

        Assert.Equal(new BsonArray { "riorges\u001froanne", "lyon\u001froanne", "lyon\u001friorges" }, bson["townPairs"].AsBsonArray);
        Assert.Equal(BsonDocument.Parse("{ townPairs: null }"), MongoRendering.Render(MongoMapping.WithoutTownPairs));
        Assert.Equal(BsonDocument.Parse("{ _id: UUID('0b5c2b7e-4d6f-4a51-9f0e-0d2f9c6c1a11'), townPairs: null }"), MongoRendering.Render(fill.Filter));
        Assert.Equal(BsonDocument.Parse("{ $set: { townPairs: ['riorges\u001froanne'] } }"), MongoRendering.Render(fill.Update));
        bson.Remove("townPairs");
        Assert.Equal(cycle.Id, BsonSerializer.Deserialize<TradeDocument>(bson).ToDomain().Id);
    }

    [Fact]
    public void An_update_only_matches_the_version_it_read()
    {
        var id = Guid.Parse("0b5c2b7e-4d6f-4a51-9f0e-0d2f9c6c1a11");
        var rendered = MongoRendering.Render(MongoMapping.TradeAtVersion(id, 4));
        Assert.Equal(new BsonBinaryData(id, GuidRepresentation.Standard), rendered["_id"]);
        Assert.Equal(4L, rendered["version"].AsInt64);
    }

    [Fact]
    public void Trades_using_a_listing_are_found_through_the_listing_ids()
    {
        Assert.Equal(BsonDocument.Parse("{ listingIds: 'o1', status: 'proposed' }"),
            MongoRendering.Render(MongoMapping.UsingListing("o1", TradeStatus.Proposed)));
    }

    [Fact]
    public void A_rounds_reads_of_many_listings_and_their_trades_are_one_query_each()
    {
        Assert.Equal(BsonDocument.Parse("{ listingIds: { $in: ['o1', 'n2'] }, status: 'proposed' }"),
            MongoRendering.Render(MongoMapping.UsingListings(["o1", "n2"], TradeStatus.Proposed)));
        Assert.Equal(BsonDocument.Parse("{ _id: { $in: ['o1', 'n2'] } }"), MongoRendering.Render(MongoMapping.Listings(["o1", "n2"])));
    }

    [Fact]
    public void Trades_read_for_many_listings_at_once_keep_the_servers_order_of_one_listings_read()
    {
        // Same creation time (a round's trades share it): the server orders UUIDs by their bytes, 0… before 8….
        var first = SampleTrade() with { Id = Guid.Parse("00000001-ffff-0000-0000-000000000000") };
        var second = SampleTrade() with { Id = Guid.Parse("80000000-0000-0000-0000-000000000000") };
        var earlier = SampleTrade() with { Id = Guid.Parse("ffffffff-0000-0000-0000-000000000000"), CreatedAt = At.AddMinutes(-1) };
        var docs = new[] { second, first, earlier }.Select(TradeDocument.From);

        var found = MongoMapping.TradesByListing(docs, new HashSet<string>(["o1", "n2", "elsewhere"]));

        Assert.Equal(["n2", "o1"], found.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([earlier.Id, first.Id, second.Id], found["o1"].Select(t => t.Id));
        Assert.Equal([earlier.Id, first.Id, second.Id], found["n2"].Select(t => t.Id));
    }

    [Fact]
    public void Trades_are_counted_per_value_of_the_field_that_holds_their_status()
    {
        var stage = Assert.Single(MongoRendering.Render(MongoMapping.CountByStatus));

        Assert.Equal(BsonDocument.Parse("{ $group: { _id: '$status', count: { $sum: 1 } } }"), stage);
        Assert.Equal("proposed", TradeDocument.From(SampleTrade()).ToBsonDocument()["status"].AsString);
    }

    [Fact]
    public void The_indexes_serve_the_queries()
    {
        var trades = MongoMapping.TradeIndexes.ToDictionary(i => i.Options.Name, i => MongoRendering.Render(i.Keys));
        Assert.Equal(BsonDocument.Parse("{ status: 1, deadline: 1 }"), trades["status_deadline"]);
        Assert.Equal(BsonDocument.Parse("{ towns: 1, createdAt: -1, _id: 1 }"), trades["towns_created_id"]);
        Assert.Equal(BsonDocument.Parse("{ towns: 1, status: 1, createdAt: -1, _id: 1 }"), trades["towns_status_created"]);
        Assert.Equal(BsonDocument.Parse("{ townPairs: 1, status: 1, createdAt: -1, _id: 1 }"), trades["town_pairs_status_created"]);
        Assert.Equal(BsonDocument.Parse("{ townPairs: 1, createdAt: -1, _id: 1 }"), trades["town_pairs_created"]);
        Assert.Equal(BsonDocument.Parse("{ listingIds: 1, status: 1 }"), trades["listing_status"]);
        Assert.Equal(BsonDocument.Parse("{ status: 1, createdAt: -1, _id: 1 }"), trades["status_created"]);
        Assert.Equal(BsonDocument.Parse("{ 'listing.availableUntil': 1 }"), MongoRendering.Render(MongoMapping.LiveBookIndex.Keys));
        Assert.Equal(BsonDocument.Parse("{ startedAt: -1 }"), MongoRendering.Render(MongoMapping.RoundsIndex.Keys));
    }

    [Fact]
    public void The_shared_outbox_documents_can_be_written_once_matching_registered_its_guid_mapping()
    {
        // Driver 3 refuses Guids with an unspecified representation; the relay would fail on every insert.
        var bson = new OutboxDocument { Id = Guid.NewGuid(), Type = "t", Payload = "{}", CreatedAt = At.UtcDateTime }.ToBsonDocument();
        Assert.Equal(BsonBinarySubType.UuidStandard, bson["_id"].AsBsonBinaryData.SubType);
        Assert.Equal(BsonDocument.Parse("{ SentAt: null }"), MongoRendering.Render(MongoStore.PendingFilter));
    }

    internal static Trade SampleTrade()
    {
        TradeLegState Leg(int index, string from, string to, string offer, string need) => new(
            new TradeLeg(index, from, to, offer, need, "cheese", 4.5, 54, 4.95, new TradePoint(46.03, 4.06),
                new TradePoint(46.04, 4.04), At, At.AddDays(2)), OfferVersion: 3, NeedVersion: 7);
        return new Trade(Guid.NewGuid(), Guid.NewGuid(), TradeStatus.Proposed,
            [Leg(0, "roanne", "riorges", "o1", "n1"), Leg(1, "riorges", "roanne", "o2", "n2")], At.AddDays(1), At);
    }
}
