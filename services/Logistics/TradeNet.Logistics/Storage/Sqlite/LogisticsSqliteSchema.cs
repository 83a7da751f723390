using TradeNet.Shared.Storage.Sqlite;

namespace TradeNet.Logistics.Storage.Sqlite;

/// <summary>The tables as a new database gets them (<see cref="Sql"/>), and <see cref="Upgrade"/> for a database
/// created by an earlier release: CREATE TABLE IF NOT EXISTS leaves an existing table's columns as they were.</summary>
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
            attempts INTEGER NOT NULL DEFAULT 0,
            last_failure_reason TEXT NULL,
            last_failed_at TEXT NULL,
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
            version INTEGER NOT NULL,
            direct_trip_reason TEXT NULL,
            direct_trip_detail TEXT NULL);
        CREATE INDEX IF NOT EXISTS ix_shipments_trade ON shipments(trade_id, leg_index);
        CREATE INDEX IF NOT EXISTS ix_shipments_from ON shipments(from_town, created_at);
        CREATE INDEX IF NOT EXISTS ix_shipments_to ON shipments(to_town, created_at);
        CREATE INDEX IF NOT EXISTS ix_shipments_carrier ON shipments(carrier_town, created_at);
        CREATE INDEX IF NOT EXISTS ix_shipments_created ON shipments(created_at);
        CREATE INDEX IF NOT EXISTS ix_shipments_route ON shipments(route_id);
        -- (status, created_at) serves every read by status; the older (status) index only cost each shipment write.
        DROP INDEX IF EXISTS ix_shipments_status;
        CREATE INDEX IF NOT EXISTS ix_shipments_status_created ON shipments(status, created_at);
        -- A planning run reads the last days' ended shipments for the drivers' duties (EndedShipmentsAsync).
        CREATE INDEX IF NOT EXISTS ix_shipments_status_eta ON shipments(status, eta);
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
            updated_at TEXT NOT NULL,
            max_route_hours REAL NULL,
            work_start TEXT NULL,
            work_end TEXT NULL,
            work_time_zone TEXT NULL,
            work_days TEXT NULL);
        CREATE INDEX IF NOT EXISTS ix_vehicles_home ON vehicles(home_town, id);
        CREATE TABLE IF NOT EXISTS vehicle_registrations (
            caller TEXT NOT NULL,
            request_key TEXT NOT NULL,
            vehicle_id TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            at TEXT NOT NULL,
            PRIMARY KEY (caller, request_key));
        CREATE TABLE IF NOT EXISTS trade_traces (
            trade_id TEXT PRIMARY KEY,
            trace_parent TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS cancelled_trades (
            trade_id TEXT PRIMARY KEY,
            reason TEXT NOT NULL,
            cancelled_at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS secrets (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL);
        -- wrong: the distinct wrong codes given for the shipment (HandoverCodes.MaxWrong of them lock it).
        CREATE TABLE IF NOT EXISTS handover_attempts (
            shipment_id TEXT PRIMARY KEY,
            wrong INTEGER NOT NULL);
        -- The wrong codes counted, each by its keyed hash (HandoverCodes.WrongCodeTagAsync), never in clear: the same code
        -- again (a retry) is no new guess. Added after handover_attempts: an existing database gets it empty and keeps its
        -- counts, the codes behind them unknown (one of them given again after the upgrade counts once more).
        CREATE TABLE IF NOT EXISTS handover_wrong_codes (
            shipment_id TEXT NOT NULL,
            code_tag TEXT NOT NULL,
            PRIMARY KEY (shipment_id, code_tag)) WITHOUT ROWID;
        -- The last TownSuspended or TownReinstated heard per town (at: catalog's time of it, so the later one wins).
        -- Added after the first release: an existing database gets it empty, every town reading as active.
        CREATE TABLE IF NOT EXISTS town_standings (
            town_id TEXT PRIMARY KEY,
            suspended INTEGER NOT NULL,
            at TEXT NOT NULL,
            reason TEXT NULL);
        """;

    /// <summary>Columns added after the first release, with the definition an existing row gets them by.</summary>
    private static readonly AddedColumn[] Added =
    [
        new("transfers", "attempts", "INTEGER NOT NULL DEFAULT 0"),
        new("transfers", "last_failure_reason", "TEXT NULL"),
        new("transfers", "last_failed_at", "TEXT NULL"),
        new("vehicles", "max_route_hours", "REAL NULL"),
        // Working hours: all four set or none ("HH:mm", "HH:mm", an IANA id, "mon tue …").
        new("vehicles", "work_start", "TEXT NULL"),
        new("vehicles", "work_end", "TEXT NULL"),
        new("vehicles", "work_time_zone", "TEXT NULL"),
        new("vehicles", "work_days", "TEXT NULL"),
        new("shipments", "direct_trip_reason", "TEXT NULL"),
        new("shipments", "direct_trip_detail", "TEXT NULL"),
    ];

    /// <summary>Adds the columns an older database lacks and settles legs an earlier release left in a state this one never
    /// writes (below). Idempotent, and inside one immediate transaction so two
    /// processes opening the same file cannot both add a column (the second would fail on a duplicate).</summary>
    public static void Upgrade(SqliteDatabase database) => AddedColumns.AddMissing(database, Added, DeliveredLegs, FailedLegs);

    // Both repairs find nothing in a database this release wrote (it never leaves a leg so), so running them at every
    // start costs a look at the planned transfers only; the shipments are reached through ix_shipments_trade.
    private const string ShipmentOfTransfer = "s.trade_id = transfers.trade_id AND s.leg_index = transfers.leg_index AND s.transfer_id = transfers.id";

    /// <summary>Releases before a delivery marked its transfer delivered left the leg's transfer <c>planned</c>: the
    /// transfer lists (and a trade's transfers) showed legs that had arrived as still to move.</summary>
    private const string DeliveredLegs = $"""
        UPDATE transfers SET status = 'delivered'
        WHERE status = 'planned' AND EXISTS (SELECT 1 FROM shipments s WHERE {ShipmentOfTransfer} AND s.status = 'delivered')
        """;

    /// <summary>Releases before failures were counted left a failed leg's transfer <c>planned</c> with no shipment that
    /// could still carry it: nothing planned it again and no operator could release it. It is held, with the failures it
    /// had, so an operator sees it (transfers?status=held) and releases it or cancels the trade; not made pending, because
    /// a failure of long ago should not send a vehicle on its own.</summary>
    private const string FailedLegs = $"""
        UPDATE transfers SET status = 'held',
            attempts = (SELECT COUNT(*) FROM shipments s WHERE {ShipmentOfTransfer} AND s.status = 'failed'),
            last_failure_reason = (SELECT s.failure_reason FROM shipments s WHERE {ShipmentOfTransfer} AND s.status = 'failed' ORDER BY s.failed_at DESC LIMIT 1),
            last_failed_at = (SELECT s.failed_at FROM shipments s WHERE {ShipmentOfTransfer} AND s.status = 'failed' ORDER BY s.failed_at DESC LIMIT 1)
        WHERE status = 'planned'
            AND trade_id NOT IN (SELECT trade_id FROM cancelled_trades)
            AND EXISTS (SELECT 1 FROM shipments s WHERE {ShipmentOfTransfer} AND s.status = 'failed')
            AND NOT EXISTS (SELECT 1 FROM shipments s WHERE {ShipmentOfTransfer} AND s.status IN ('planned', 'pickedUp', 'delivered'))
        """;
}
