namespace TradeNet.Logistics.Storage.Sqlite;

internal static class LogisticsSqliteSchema
{
    public const string Sql = """
        CREATE TABLE IF NOT EXISTS transfers (
            id TEXT PRIMARY KEY,
            trade_id TEXT NOT NULL,
            leg_index INTEGER NOT NULL,
            from_town TEXT NOT NULL,
            to_town TEXT NOT NULL,
            from_lat REAL NOT NULL,
            from_lon REAL NOT NULL,
            to_lat REAL NOT NULL,
            to_lon REAL NOT NULL,
            category TEXT NOT NULL,
            quantity REAL NOT NULL,
            weight_kg REAL NOT NULL,
            window_from TEXT NULL,
            window_until TEXT NULL,
            status TEXT NOT NULL,
            created_at TEXT NOT NULL,
            UNIQUE (trade_id, leg_index));
        CREATE INDEX IF NOT EXISTS ix_transfers_status ON transfers(status, created_at);
        CREATE TABLE IF NOT EXISTS shipments (
            id TEXT PRIMARY KEY,
            trade_id TEXT NOT NULL,
            leg_index INTEGER NOT NULL,
            transfer_id TEXT NOT NULL REFERENCES transfers(id),
            from_town TEXT NOT NULL,
            to_town TEXT NOT NULL,
            carrier_town TEXT NOT NULL,
            vehicle_id TEXT NOT NULL,
            route_id TEXT NOT NULL,
            status TEXT NOT NULL,
            distance_km REAL NOT NULL,
            cost REAL NOT NULL,
            eta TEXT NOT NULL,
            stops TEXT NOT NULL,
            created_at TEXT NOT NULL,
            picked_up_at TEXT NULL,
            delivered_at TEXT NULL,
            failed_at TEXT NULL,
            failure_reason TEXT NULL,
            cancelled_at TEXT NULL,
            version INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_shipments_trade ON shipments(trade_id, leg_index);
        CREATE INDEX IF NOT EXISTS ix_shipments_from ON shipments(from_town, created_at);
        CREATE INDEX IF NOT EXISTS ix_shipments_to ON shipments(to_town, created_at);
        CREATE INDEX IF NOT EXISTS ix_shipments_carrier ON shipments(carrier_town, created_at);
        CREATE INDEX IF NOT EXISTS ix_shipments_created ON shipments(created_at);
        CREATE INDEX IF NOT EXISTS ix_shipments_route ON shipments(route_id);
        CREATE TABLE IF NOT EXISTS vehicles (
            id TEXT PRIMARY KEY,
            home_town TEXT NOT NULL,
            home_lat REAL NOT NULL,
            home_lon REAL NOT NULL,
            name TEXT NULL,
            capacity_kg REAL NOT NULL,
            volume_m3 REAL NULL,
            chilled INTEGER NOT NULL,
            cost_per_km REAL NOT NULL,
            fixed_cost REAL NOT NULL,
            available_from TEXT NULL,
            available_until TEXT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_vehicles_home ON vehicles(home_town, id);
        CREATE TABLE IF NOT EXISTS trade_traces (
            trade_id TEXT PRIMARY KEY,
            trace_parent TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS cancelled_trades (
            trade_id TEXT PRIMARY KEY,
            reason TEXT NOT NULL,
            cancelled_at TEXT NOT NULL);
        """;
}
