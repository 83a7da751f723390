using TradeNet.Shared.Storage.Mongo;

namespace TradeNet.Catalog.Storage.Mongo;

/// <summary>The catalog's own outbox type, so its relay is distinct from other services' in one process.</summary>
public sealed class CatalogMongoOutbox(MongoCatalogStore store) : MongoOutboxStore(store.Mongo);
