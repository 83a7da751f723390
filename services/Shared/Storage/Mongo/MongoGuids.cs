using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;

namespace TradeNet.Shared.Storage.Mongo;

/// <summary>Driver 3 refuses Guids until a representation is chosen; every TradeNet store writes them as
/// standard UUIDs (subtype 4). Idempotent, process-wide; each service's class-map registration calls it.</summary>
public static class MongoGuids
{
    public static void UseStandard() => BsonSerializer.TryRegisterSerializer(new GuidSerializer(GuidRepresentation.Standard));
}
