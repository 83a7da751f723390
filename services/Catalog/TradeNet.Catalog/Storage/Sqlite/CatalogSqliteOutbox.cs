using TradeNet.Shared.Storage.Sqlite;

namespace TradeNet.Catalog.Storage.Sqlite;

/// <summary>The catalog's own outbox type, so its relay is distinct from other services' in one process.</summary>
public sealed class CatalogSqliteOutbox(SqliteCatalogStore store) : SqliteOutboxStore(store.Database);
