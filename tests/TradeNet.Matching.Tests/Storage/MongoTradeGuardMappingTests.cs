using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using TradeNet.Matching.Storage.Mongo;
using TradeNet.Shared.Storage.Mongo;

namespace TradeNet.Matching.Tests.Storage;

/// <summary>The MongoDB write that guards the proposals a listing's check kept (<c>GuardTradesAsync</c>), rendered without a
/// server: a counter on each trade document, which reading ignores and the trade's next replace drops.</summary>
public class MongoTradeGuardMappingTests
{
    public MongoTradeGuardMappingTests() => MongoMapping.Register();

    [Fact]
    public void Guarding_trades_increments_a_counter_on_each_of_their_documents()
    {
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());

        var filter = MongoRendering.Render(MongoMapping.TradesById([a, b]));
        var update = MongoRendering.Render(MongoMapping.TouchGuard);

        Assert.Equal(new BsonArray { new BsonBinaryData(a, GuidRepresentation.Standard), new BsonBinaryData(b, GuidRepresentation.Standard) },
            filter["_id"]["$in"].AsBsonArray);
        Assert.Equal("""{ "$inc" : { "guard" : 1 } }""", update.ToString());
    }

    [Fact]
    public void A_guarded_trade_reads_as_the_same_trade_and_its_next_write_drops_the_counter()
    {
        var trade = MongoMappingTests.SampleTrade() with { Version = 4 };
        var bson = TradeDocument.From(trade).ToBsonDocument();
        bson[MongoMapping.GuardField] = 3;

        var back = BsonSerializer.Deserialize<TradeDocument>(bson).ToDomain();

        Assert.Equal((trade.Id, trade.Status, trade.Version), (back.Id, back.Status, back.Version));
        Assert.Equal(trade.Legs, back.Legs);
        Assert.False(TradeDocument.From(back).ToBsonDocument().Contains(MongoMapping.GuardField));
    }

    [Fact]
    public void Guarding_listings_increments_the_counter_on_each_of_their_book_documents_which_reading_ignores()
    {
        var filter = MongoRendering.Render(MongoMapping.Listings(["a-cheese", "b-wood"]));
        var update = MongoRendering.Render(MongoMapping.TouchListingGuard);

        Assert.Equal("""{ "_id" : { "$in" : ["a-cheese", "b-wood"] } }""", filter.ToString());
        Assert.Equal("""{ "$inc" : { "guard" : 1 } }""", update.ToString());
        var book = new BookDocument { Id = "a-cheese", TownId = "a", Version = 3 };
        var bson = book.ToBsonDocument();
        bson[MongoMapping.GuardField] = 2;
        var back = BsonSerializer.Deserialize<BookDocument>(bson);
        Assert.Equal((book.Id, book.TownId, book.Version), (back.Id, back.TownId, back.Version));
        Assert.False(back.ToBsonDocument().Contains(MongoMapping.GuardField));
    }
}
