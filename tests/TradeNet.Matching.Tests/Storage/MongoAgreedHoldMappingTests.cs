using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using TradeNet.Contracts;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Storage;
using TradeNet.Matching.Storage.Mongo;
using TradeNet.Shared.Storage.Mongo;

namespace TradeNet.Matching.Tests.Storage;

/// <summary>The MongoDB shape of what an agreed trade's holds need, rendered without a server.</summary>
public class MongoAgreedHoldMappingTests
{
    private static readonly DateTimeOffset At = MongoMappingTests.At;

    public MongoAgreedHoldMappingTests() => MongoMapping.Register();

    [Fact]
    public void The_reserved_versions_are_stored_on_the_leg_and_a_leg_stored_before_them_reads_null()
    {
        var trade = SampleTrade().WithLeg(1, l => l with { OfferReservedVersion = 12, NeedReservedVersion = 40 });

        var bson = TradeDocument.From(trade).ToBsonDocument();

        var leg = bson["legs"][1].AsBsonDocument;
        Assert.Equal((12L, 40L), (leg["offerReservedVersion"].AsInt64, leg["needReservedVersion"].AsInt64));
        Assert.Equal(trade.Legs, BsonSerializer.Deserialize<TradeDocument>(bson).ToDomain().Legs);
        foreach (var stored in bson["legs"].AsBsonArray.Select(l => l.AsBsonDocument))
        {
            stored.Remove("offerReservedVersion");
            stored.Remove("needReservedVersion");
        }
        var old = BsonSerializer.Deserialize<TradeDocument>(bson).ToDomain();
        Assert.All(old.Legs, l => Assert.Equal(((long?)null, (long?)null), (l.OfferReservedVersion, l.NeedReservedVersion)));
    }

    [Fact]
    public void Agreed_trades_are_read_by_when_they_were_agreed_through_an_index()
    {
        var rendered = MongoRendering.Render(MongoMapping.TradesMatching(new TradeQuery(Status: TradeStatus.Agreed, AgreedSince: At)));

        Assert.Equal(BsonDocument.Parse("{ status: 'agreed', agreedAt: { $gte: ISODate('2026-12-01T09:30:00Z') } }"), rendered);
        var indexes = MongoMapping.TradeIndexes.ToDictionary(i => i.Options.Name, i => MongoRendering.Render(i.Keys));
        Assert.Equal(BsonDocument.Parse("{ status: 1, agreedAt: 1 }"), indexes["status_agreed"]);
    }

    // The mapping tests' trade, agreed.
    private static Trade SampleTrade() =>
        MongoMappingTests.SampleTrade() with { Status = TradeStatus.Agreed, AgreedAt = MongoMappingTests.At };
}
