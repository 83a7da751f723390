namespace TradeNet.Catalog.Storage.Sqlite;

internal static class CatalogSqliteSchema
{
    public const string Sql = """
        CREATE TABLE IF NOT EXISTS towns (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            insee_code TEXT NULL,
            lat REAL NOT NULL,
            lon REAL NOT NULL,
            specialties TEXT NOT NULL,
            api_key_hash TEXT NOT NULL UNIQUE,
            registered_at TEXT NOT NULL,
            suspended_at TEXT NULL,
            suspension_reason TEXT NULL,
            moves TEXT NULL,
            reinstated_at TEXT NULL,
            renamed INTEGER NULL);
        -- The number of the last rename (towns.renamed): a walk of the towns keeps out of later pages those renamed since.
        CREATE TABLE IF NOT EXISTS town_renames (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            seq INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS categories (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            family TEXT NOT NULL,
            unit TEXT NOT NULL,
            value_per_unit REAL NOT NULL,
            weight_per_unit REAL NOT NULL,
            perishable INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS listings (
            id TEXT PRIMARY KEY,
            town_id TEXT NOT NULL REFERENCES towns(id),
            kind TEXT NOT NULL,
            category TEXT NOT NULL REFERENCES categories(id),
            quantity REAL NOT NULL,
            reserved REAL NOT NULL,
            fulfilled REAL NOT NULL,
            min_lot REAL NOT NULL,
            attributes TEXT NOT NULL,
            requires TEXT NOT NULL,
            available_from TEXT NULL,
            available_until TEXT NULL,
            max_distance_km REAL NULL,
            status TEXT NOT NULL,
            version INTEGER NOT NULL,
            created_at TEXT NOT NULL);
        -- The public list's filters, each read in the list's order (created_at, id) so a page stops when full: a category
        -- nobody lists, or a status half the history has, never walks every listing nor sorts them (docs/operations.md).
        -- Created on an existing file at its next start (IF NOT EXISTS); the town index they replace is dropped.
        DROP INDEX IF EXISTS ix_listings_town;
        CREATE INDEX IF NOT EXISTS ix_listings_town_created ON listings(town_id, created_at, id);
        CREATE INDEX IF NOT EXISTS ix_listings_category_created ON listings(category, created_at, id);
        CREATE INDEX IF NOT EXISTS ix_listings_status_created ON listings(status, created_at, id);
        CREATE INDEX IF NOT EXISTS ix_listings_status_category_created ON listings(status, category, created_at, id);
        CREATE INDEX IF NOT EXISTS ix_listings_book ON listings(status, kind, category);
        -- Lists come oldest first in pages: the first page of months of listings is read along this, not sorted whole.
        CREATE INDEX IF NOT EXISTS ix_listings_created ON listings(created_at, id);
        -- "active" (open) and "ended" lists: both stored active, apart by the window's end.
        CREATE INDEX IF NOT EXISTS ix_listings_status_until ON listings(status, available_until);
        CREATE TABLE IF NOT EXISTS listing_requests (
            town_id TEXT NOT NULL,
            request_key TEXT NOT NULL,
            listing_id TEXT NOT NULL REFERENCES listings(id),
            fingerprint TEXT NOT NULL,
            at TEXT NOT NULL,
            PRIMARY KEY (town_id, request_key));
        CREATE TABLE IF NOT EXISTS reservations (
            trade_id TEXT PRIMARY KEY,
            reserved INTEGER NOT NULL,
            reason TEXT NOT NULL,
            lines TEXT NOT NULL,
            state TEXT NOT NULL,
            created_at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS revoked_keys (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            key_hash TEXT NOT NULL,
            revoked_at TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_revoked_keys_at ON revoked_keys(revoked_at);
        CREATE TABLE IF NOT EXISTS town_requests (
            key_hash TEXT PRIMARY KEY,
            town_id TEXT NOT NULL REFERENCES towns(id),
            fingerprint TEXT NOT NULL,
            sealed_api_key TEXT NOT NULL,
            at TEXT NOT NULL,
            expires_at TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_town_requests_expires ON town_requests(expires_at);
        """;

    public const string TownColumns =
        "id, name, insee_code, lat, lon, specialties, api_key_hash, registered_at, suspended_at, suspension_reason, moves, " +
        "reinstated_at";
    public const string CategoryColumns = "id, name, family, unit, value_per_unit, weight_per_unit, perishable";
    public const string ListingColumns =
        "id, town_id, kind, category, quantity, reserved, fulfilled, min_lot, attributes, requires, " +
        "available_from, available_until, max_distance_km, status, version, created_at";
    public const string ReservationColumns = "trade_id, reserved, reason, lines, state, created_at";
    public const string RevokedKeyColumns = "seq, key_hash, revoked_at";
    public const string TownRequestColumns = "key_hash, town_id, fingerprint, sealed_api_key, at, expires_at";
}
