using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Driver;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Storage.Mongo;
using TradeNet.Shared.Storage.Mongo;
using static TradeNet.Matching.Tests.Storage.UnagreedTrades;

namespace TradeNet.Matching.Tests.Storage;

/// <summary>The unagreed-trade retention's MongoDB side, rendered without a server.</summary>
public class MongoUnagreedTradeMappingTests
{
    private static readonly DateTimeOffset At = MongoMappingTests.At;

    public MongoUnagreedTradeMappingTests() => MongoMapping.Register();

    [Fact]
    public void A_cancellation_is_stored_with_its_time_and_the_status_it_left_and_one_stored_before_reads_null()
    {
        var trade = Declined(Proposal(At), At.AddHours(2));

        var bson = TradeDocument.From(trade).ToBsonDocument();

        Assert.Equal(At.AddHours(2).UtcDateTime, bson["cancelledAt"].ToUniversalTime());
        Assert.Equal("proposed", bson["cancelledFrom"].AsString);
        var back = BsonSerializer.Deserialize<TradeDocument>(bson).ToDomain();
        Assert.Equal((At.AddHours(2), (TradeStatus?)TradeStatus.Proposed, true), (back.CancelledAt, back.CancelledFrom, back.CancelledUnagreed));
        bson.Remove("cancelledAt");
        bson.Remove("cancelledFrom");
        var old = BsonSerializer.Deserialize<TradeDocument>(bson).ToDomain();
        Assert.Equal(((DateTimeOffset?)null, (TradeStatus?)null, false), (old.CancelledAt, old.CancelledFrom, old.CancelledUnagreed));
    }

    [Fact]
    public void The_retention_deletes_only_proposals_cancelled_before_the_time_unagreed_and_with_no_goods_moved()
    {
        Assert.Equal(BsonDocument.Parse("""
            { status: 'cancelled', cancelledFrom: 'proposed', cancelledAt: { $lt: ISODate('2026-12-01T09:30:00Z') }, agreedAt: null,
              legs: { $not: { $elemMatch: { $or: [{ pickedUp: true }, { delivered: true }] } } } }
            """), MongoRendering.Render(MongoMapping.UnagreedTradesToForget(At)));
    }

    [Fact]
    public void The_retentions_filter_repeats_the_partial_index_so_the_server_reads_only_cancelled_proposals()
    {
        var index = MongoMapping.UnagreedCancelledIndex;
        var partial = MongoRendering.Render(((CreateIndexOptions<TradeDocument>)index.Options).PartialFilterExpression);

        Assert.Equal("unagreed_cancelled", index.Options.Name);
        Assert.Equal(BsonDocument.Parse("{ cancelledAt: 1 }"), MongoRendering.Render(index.Keys));
        Assert.Equal(BsonDocument.Parse("{ status: 'cancelled', cancelledFrom: 'proposed' }"), partial);
        var filter = MongoRendering.Render(MongoMapping.UnagreedTradesToForget(At));
        Assert.All(partial, e => Assert.Equal(e.Value, filter[e.Name]));
    }
}
