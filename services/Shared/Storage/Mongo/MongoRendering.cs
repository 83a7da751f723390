using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Driver;

namespace TradeNet.Shared.Storage.Mongo;

/// <summary>Renders filters and sorts to BSON, so the mapping can be checked without a server.</summary>
public static class MongoRendering
{
    public static BsonDocument Render<T>(FilterDefinition<T> filter) =>
        filter.Render(new RenderArgs<T>(BsonSerializer.SerializerRegistry.GetSerializer<T>(), BsonSerializer.SerializerRegistry));

    public static BsonDocument Render<T>(IndexKeysDefinition<T> keys) =>
        keys.Render(new RenderArgs<T>(BsonSerializer.SerializerRegistry.GetSerializer<T>(), BsonSerializer.SerializerRegistry));

    public static BsonDocument Render<T>(SortDefinition<T> sort) =>
        sort.Render(new RenderArgs<T>(BsonSerializer.SerializerRegistry.GetSerializer<T>(), BsonSerializer.SerializerRegistry));

    public static BsonDocument Render<T>(UpdateDefinition<T> update) =>
        update.Render(new RenderArgs<T>(BsonSerializer.SerializerRegistry.GetSerializer<T>(), BsonSerializer.SerializerRegistry)).AsBsonDocument;

    public static IList<BsonDocument> Render<TInput, TOutput>(PipelineDefinition<TInput, TOutput> pipeline) =>
        pipeline.Render(new RenderArgs<TInput>(BsonSerializer.SerializerRegistry.GetSerializer<TInput>(), BsonSerializer.SerializerRegistry)).Documents;
}
