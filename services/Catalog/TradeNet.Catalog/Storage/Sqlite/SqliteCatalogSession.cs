using Microsoft.Data.Sqlite;
using TradeNet.Catalog.Domain;
using TradeNet.Shared.Storage.Sqlite;
using static TradeNet.Catalog.Storage.Sqlite.CatalogSqliteRows;
using static TradeNet.Catalog.Storage.Sqlite.CatalogSqliteSchema;

namespace TradeNet.Catalog.Storage.Sqlite;

/// <summary>A write on the catalog's SQLite file: BEGIN IMMEDIATE, so writers run one after another.</summary>
internal sealed class SqliteCatalogSession(SqliteWriteScope scope) : ICatalogSession
{
    private const int ConstraintViolation = 19; // SQLITE_CONSTRAINT

    public void Publish<T>(T message) where T : class => scope.Publish(message);

    public Task<bool> TryConsumeAsync(Guid messageId, string consumer, CancellationToken ct = default) =>
        scope.TryConsumeAsync(messageId, consumer, ct);

    public Task CommitAsync(CancellationToken ct = default) => scope.CommitAsync(ct);

    public ValueTask DisposeAsync() => scope.DisposeAsync();

    public async Task<Town?> GetTownAsync(string id, CancellationToken ct = default) =>
        (await Read($"SELECT {TownColumns} FROM towns WHERE id = $id", CatalogSqliteRows.Town, ct, ("$id", id))).SingleOrDefault();

    public async Task<Category?> GetCategoryAsync(string id, CancellationToken ct = default) =>
        (await Read($"SELECT {CategoryColumns} FROM categories WHERE id = $id", CatalogSqliteRows.Category, ct, ("$id", id)))
        .SingleOrDefault();

    public async Task<Listing?> GetListingAsync(string id, CancellationToken ct = default) =>
        (await Read($"SELECT {ListingColumns} FROM listings WHERE id = $id", CatalogSqliteRows.Listing, ct, ("$id", id)))
        .SingleOrDefault();

    public async Task<Reservation?> GetReservationAsync(Guid tradeId, CancellationToken ct = default) =>
        (await Read($"SELECT {ReservationColumns} FROM reservations WHERE trade_id = $trade", CatalogSqliteRows.Reservation, ct,
            ("$trade", tradeId.ToString()))).SingleOrDefault();

    // Lines are JSON, so held reservations are scanned: only a change refused for its quantity asks, and reservations are
    // held only while their trades are agreed.
    public async Task<IReadOnlyList<Guid>> TradesHoldingAsync(string listingId, CancellationToken ct = default) =>
        await Read("""
            SELECT trade_id FROM reservations
            WHERE state = $held AND EXISTS (SELECT 1 FROM json_each(reservations.lines) WHERE json_extract(value, '$.listingId') = $listing)
            ORDER BY created_at, trade_id
            """, r => Guid.Parse(r.GetString(0)), ct, ("$held", ReservationStates.Held), ("$listing", listingId));

    public async Task AddTownAsync(Town town, CancellationToken ct = default)
    {
        try
        {
            await scope.ExecuteAsync(
                $"INSERT INTO towns({TownColumns}) VALUES ($id, $name, $insee, $lat, $lon, $specialties, $hash, $at, " +
                "$suspendedAt, $suspensionReason, $moves, $reinstatedAt)",
                TownParameters(town));
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == ConstraintViolation)
        {
            throw new CatalogConflictException($"Town '{town.Id}' or its key already exists.", ex);
        }
    }

    // Writers run one at a time here, so no suspension can commit between this read and the registration's commit.
    public async Task<IReadOnlyList<Town>> GetSuspendedTownsLikeAsync(string? inseeCode, GeoBox near, CancellationToken ct = default) =>
        await Read($"SELECT {TownColumns} FROM towns WHERE suspended_at IS NOT NULL AND ((insee_code IS NOT NULL AND insee_code = $insee) " +
            "OR (lat BETWEEN $minLat AND $maxLat AND lon BETWEEN $minLon AND $maxLon)) ORDER BY id",
            CatalogSqliteRows.Town, ct, ("$insee", inseeCode), ("$minLat", near.MinLat), ("$maxLat", near.MaxLat),
            ("$minLon", near.MinLon), ("$maxLon", near.MaxLon));

    public async Task<TownRequest?> GetTownRequestAsync(string keyHash, CancellationToken ct = default) =>
        (await Read($"SELECT {TownRequestColumns} FROM town_requests WHERE key_hash = $keyHash", CatalogSqliteRows.TownRequest, ct,
            ("$keyHash", keyHash))).SingleOrDefault();

    public async Task AddTownRequestAsync(TownRequest request, DateTimeOffset now, CancellationToken ct = default)
    {
        // Times are UTC round-trip text of one width, so text order is time order.
        await scope.ExecuteAsync("DELETE FROM town_requests WHERE expires_at <= $now", ("$now", Text(now)));
        try
        {
            await scope.ExecuteAsync(
                $"INSERT INTO town_requests({TownRequestColumns}) VALUES ($keyHash, $town, $fingerprint, $sealed, $at, $expiresAt)",
                TownRequestParameters(request));
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == ConstraintViolation)
        {
            throw new CatalogConflictException("A registration used this Idempotency-Key already.", ex);
        }
    }

    public async Task ReplaceTownKeyAsync(string townId, string currentHash, string newHash, CancellationToken ct = default)
    {
        try
        {
            var changed = await scope.ExecuteAsync("UPDATE towns SET api_key_hash = $new WHERE id = $id AND api_key_hash = $current",
                ("$id", townId), ("$current", currentHash), ("$new", newHash));
            if (changed != 1) throw new CatalogConflictException($"Town '{townId}' changed its key meanwhile.");
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == ConstraintViolation)
        {
            throw new CatalogConflictException("Another town holds this key.", ex);
        }
    }

    public async Task UpdateTownAsync(Town town, CancellationToken ct = default)
    {
        // A new name moves the town in the list's order: numbered, so a walk of the list that began before it leaves the
        // town out of its later pages rather than showing it twice (TownPage.RenamedUpTo). Writers run one at a time, so
        // the numbers follow the commits.
        await using var read = scope.Command("SELECT name FROM towns WHERE id = $id", ("$id", town.Id));
        if (await read.ExecuteScalarAsync(ct) is not string name) throw new CatalogConflictException($"Town '{town.Id}' is not stored.");
        long? renamed = null;
        if (!string.Equals(name, town.Name, StringComparison.Ordinal))
        {
            await using var bump = scope.Command(
                "INSERT INTO town_renames(id, seq) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET seq = seq + 1 RETURNING seq");
            renamed = (long)(await bump.ExecuteScalarAsync(ct))!;
        }
        // Only the fields a change may set: the key hash is the rotation's alone.
        var changed = await scope.ExecuteAsync(
            "UPDATE towns SET name = $name, lat = $lat, lon = $lon, specialties = $specialties, moves = $moves, " +
            "renamed = COALESCE($renamed, renamed) WHERE id = $id",
            ("$id", town.Id), ("$name", town.Name), ("$lat", town.Lat), ("$lon", town.Lon), ("$specialties", Json(town.Specialties)),
            ("$moves", Moves(town.Moves)), ("$renamed", renamed));
        if (changed != 1) throw new CatalogConflictException($"Town '{town.Id}' is not stored.");
    }

    public async Task SetTownSuspensionAsync(string townId, TownSuspension suspension, CancellationToken ct = default)
    {
        var changed = await scope.ExecuteAsync(
            "UPDATE towns SET suspended_at = $suspendedAt, suspension_reason = $suspensionReason WHERE id = $id",
            [("$id", townId), .. SuspensionParameters(suspension)]);
        if (changed != 1) throw new CatalogConflictException($"Town '{townId}' is not stored.");
    }

    public async Task ReinstateTownAsync(string townId, DateTimeOffset reinstatedAt, CancellationToken ct = default)
    {
        var changed = await scope.ExecuteAsync(
            "UPDATE towns SET suspended_at = NULL, suspension_reason = NULL, reinstated_at = $reinstatedAt WHERE id = $id",
            ("$id", townId), ("$reinstatedAt", Text(reinstatedAt)));
        if (changed != 1) throw new CatalogConflictException($"Town '{townId}' is not stored.");
    }

    public async Task<long> RevokeKeyAsync(string keyHash, DateTimeOffset at, CancellationToken ct = default)
    {
        // AUTOINCREMENT, and writers one at a time: sequences follow the commits and are never reused.
        await using var insert = scope.Command("INSERT INTO revoked_keys(key_hash, revoked_at) VALUES ($hash, $at) RETURNING seq",
            ("$hash", keyHash), ("$at", Text(at)));
        var sequence = (long)(await insert.ExecuteScalarAsync(ct))!;
        // revoked_at is UTC in round-trip format, so text order is time order. The new entry is never older than the
        // retention, so the newest stays and the feed's newest sequence can be read back from the table.
        await scope.ExecuteAsync("DELETE FROM revoked_keys WHERE revoked_at < $before", ("$before", Text(at - Domain.RevokedKey.Retention)));
        return sequence;
    }

    public Task AddListingAsync(Listing listing, CancellationToken ct = default) =>
        scope.ExecuteAsync(
            $"INSERT INTO listings({ListingColumns}) VALUES ($id, $town, $kind, $category, $quantity, $reserved, $fulfilled, " +
            "$minLot, $attributes, $requires, $from, $until, $maxDistance, $status, $version, $createdAt)",
            ListingParameters(listing));

    // A town's open listings, read on every publish and reopen (the town's limit): along the town's index. "+status" keeps
    // the planner off the status indexes, which without statistics it prefers and which hold every town's ended history.
    private const string OpenTownListings =
        "FROM listings WHERE town_id = $town AND +status = $active AND (available_until IS NULL OR available_until >= $now)";
    internal const string CountOpenListingsSql = $"SELECT COUNT(*) {OpenTownListings}";
    internal const string OpenListingsSql = $"SELECT {ListingColumns} {OpenTownListings} ORDER BY created_at, id";

    public async Task<int> CountOpenListingsAsync(string townId, DateTimeOffset now, CancellationToken ct = default)
    {
        // Times are stored as UTC round-trip text of one width, so text order is time order.
        await using var count = scope.Command(
            CountOpenListingsSql,
            ("$town", townId), ("$active", ListingStatuses.Active), ("$now", Text(now)));
        return Convert.ToInt32(await count.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    // Writers run one at a time here, so no listing can be published between this read and the commit.
    public async Task<IReadOnlyList<Listing>> GetOpenListingsAsync(string townId, DateTimeOffset now, CancellationToken ct = default) =>
        await Read(OpenListingsSql, CatalogSqliteRows.Listing, ct, ("$town", townId), ("$active", ListingStatuses.Active), ("$now", Text(now)));

    public async Task<ListingRequest?> GetListingRequestAsync(string townId, string key, CancellationToken ct = default) =>
        (await Read("SELECT town_id, request_key, listing_id, fingerprint, at FROM listing_requests WHERE town_id = $town AND request_key = $key",
            r => new ListingRequest(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), DateTimeOffset.Parse(r.GetString(4))),
            ct, ("$town", townId), ("$key", key))).SingleOrDefault();

    public async Task AddListingRequestAsync(ListingRequest request, CancellationToken ct = default)
    {
        try
        {
            await scope.ExecuteAsync(
                "INSERT INTO listing_requests(town_id, request_key, listing_id, fingerprint, at) VALUES ($town, $key, $listing, $fingerprint, $at)",
                ("$town", request.TownId), ("$key", request.Key), ("$listing", request.ListingId), ("$fingerprint", request.Fingerprint),
                ("$at", request.At.ToUniversalTime().ToString("O")));
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == ConstraintViolation)
        {
            throw new CatalogConflictException($"Town '{request.TownId}' used this Idempotency-Key already.", ex);
        }
    }

    public async Task UpdateListingAsync(Listing listing, long expectedVersion, CancellationToken ct = default)
    {
        var changed = await scope.ExecuteAsync(
            "UPDATE listings SET quantity = $quantity, reserved = $reserved, fulfilled = $fulfilled, min_lot = $minLot, " +
            "attributes = $attributes, requires = $requires, available_from = $from, available_until = $until, " +
            "max_distance_km = $maxDistance, status = $status, version = $version WHERE id = $id AND version = $expected",
            [.. ListingParameters(listing), ("$expected", expectedVersion)]);
        if (changed != 1) throw new CatalogConflictException($"Listing '{listing.Id}' changed meanwhile.");
    }

    public async Task AddReservationAsync(Reservation reservation, CancellationToken ct = default)
    {
        try
        {
            await scope.ExecuteAsync(
                $"INSERT INTO reservations({ReservationColumns}) VALUES ($trade, $reserved, $reason, $lines, $state, $at)",
                ReservationParameters(reservation));
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == ConstraintViolation)
        {
            throw new CatalogConflictException($"Trade {reservation.TradeId} already has a reservation.", ex);
        }
    }

    public async Task UpdateReservationAsync(Reservation reservation, CancellationToken ct = default)
    {
        var changed = await scope.ExecuteAsync(
            "UPDATE reservations SET reserved = $reserved, reason = $reason, lines = $lines, state = $state WHERE trade_id = $trade",
            ReservationParameters(reservation));
        if (changed != 1) throw new KeyNotFoundException($"Trade {reservation.TradeId} has no reservation.");
    }

    // Through the scope's Command, so a read inside the write is a statement the storage-fault hunt can fail too.
    private async Task<List<T>> Read<T>(string sql, Func<SqliteDataReader, T> read, CancellationToken ct, params (string, object?)[] parameters)
    {
        await using var command = scope.Command(sql, parameters);
        return await ReadAllAsync(command, read, ct);
    }
}
