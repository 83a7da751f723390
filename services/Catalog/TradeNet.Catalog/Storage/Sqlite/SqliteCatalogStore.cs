using Microsoft.Data.Sqlite;
using TradeNet.Catalog.Domain;
using TradeNet.Shared.Storage.Sqlite;
using static TradeNet.Catalog.Storage.Sqlite.CatalogSqliteRows;
using static TradeNet.Catalog.Storage.Sqlite.CatalogSqliteSchema;

namespace TradeNet.Catalog.Storage.Sqlite;

/// <summary>The catalog in one SQLite file (the default store).</summary>
public sealed class SqliteCatalogStore(SqliteDatabase database) : ICatalogStore
{
    public SqliteCatalogStore(string path) : this(Open(path)) { }

    public SqliteDatabase Database => database;

    public static SqliteDatabase Open(string path)
    {
        var database = new SqliteDatabase(path, Sql);
        CatalogSqliteUpgrade.Run(database);
        return database;
    }

    public async Task InitializeAsync(IReadOnlyList<Category> categories, CancellationToken ct = default)
    {
        await using var scope = await database.BeginWriteAsync(ct);
        foreach (var category in categories)
            await scope.ExecuteAsync(
                $"INSERT INTO categories({CategoryColumns}) VALUES ($id, $name, $family, $unit, $value, $weight, $perishable) " +
                "ON CONFLICT(id) DO UPDATE SET name = excluded.name, family = excluded.family, unit = excluded.unit, " +
                "value_per_unit = excluded.value_per_unit, weight_per_unit = excluded.weight_per_unit, perishable = excluded.perishable",
                CategoryParameters(category));
        await scope.CommitAsync(ct);
    }

    public async Task<ICatalogSession> BeginAsync(CancellationToken ct = default) =>
        new SqliteCatalogSession(await database.BeginWriteAsync(ct));

    public async Task<IReadOnlyList<Town>> GetTownsAsync(IReadOnlyCollection<string>? ids = null, TownPage? page = null, CancellationToken ct = default)
    {
        var (inList, idParameters) = InList("id", ids);
        var conditions = inList is null ? new List<string>() : [inList];
        var parameters = idParameters.ToList();
        if (page?.After is { } after)
        {
            conditions.Add("(name, id) > ($after_name, $after_id)");
            parameters.AddRange([("$after_name", after.Name), ("$after_id", after.Id)]);
        }
        if (page?.RenamedUpTo is { } renamed)
        {
            conditions.Add("(renamed IS NULL OR renamed <= $renamed)");
            parameters.Add(("$renamed", renamed));
        }
        if (page?.Suspended is { } suspended) conditions.Add(suspended ? "suspended_at IS NOT NULL" : "suspended_at IS NULL");
        if (page?.InseeCode is { } insee)
        {
            conditions.Add("insee_code = $insee");
            parameters.Add(("$insee", insee));
        }
        var where = conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);
        var limit = page is null ? "" : $" LIMIT {page.Limit}";
        return await ReadAsync($"SELECT {TownColumns} FROM towns {where} ORDER BY name, id{limit}", CatalogSqliteRows.Town, ct, [.. parameters]);
    }

    public async Task<long> TownRenamesAsync(CancellationToken ct = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq FROM town_renames WHERE id = 1";
        return await command.ExecuteScalarAsync(ct) is long seq ? seq : 0;
    }

    public async Task<Town?> GetTownAsync(string id, CancellationToken ct = default) =>
        (await ReadAsync($"SELECT {TownColumns} FROM towns WHERE id = $id", CatalogSqliteRows.Town, ct, ("$id", id))).SingleOrDefault();

    public async Task<Town?> FindTownByKeyHashAsync(string apiKeyHash, CancellationToken ct = default) =>
        (await ReadAsync($"SELECT {TownColumns} FROM towns WHERE api_key_hash = $hash", CatalogSqliteRows.Town, ct, ("$hash", apiKeyHash)))
        .SingleOrDefault();

    public async Task<IReadOnlyList<Category>> GetCategoriesAsync(CancellationToken ct = default) =>
        await ReadAsync($"SELECT {CategoryColumns} FROM categories ORDER BY family, id", CatalogSqliteRows.Category, ct);

    public async Task<IReadOnlyList<Listing>> FindListingsAsync(ListingQuery query, CancellationToken ct = default)
    {
        var (sql, parameters) = ListingsSql(query);
        return await ReadAsync(sql, CatalogSqliteRows.Listing, ct, parameters);
    }

    /// <summary>A list's query. Anyone may send its filters, so each is read along an index in the list's order and a
    /// page stops when full; with no statistics SQLite's planner picks by equality count (a kind and a status went to the
    /// book's index and sorted the whole status), so the index is named, one for the most selective filter sent.</summary>
    internal static (string Sql, (string, object?)[] Parameters) ListingsSql(ListingQuery query)
    {
        var conditions = new List<string>();
        var parameters = new List<(string, object?)>();
        void Eq(string column, string? value)
        {
            if (value is null) return;
            conditions.Add($"{column} = ${column}");
            parameters.Add(($"${column}", value));
        }
        Eq("town_id", query.TownId);
        Eq("kind", query.Kind);
        Eq("category", query.Category);
        // "active" and "ended" are both stored active, told apart by the window's end (text in one UTC format: ordered
        // as times), which ix_listings_status_until reads: the ended history is not walked for the open listings.
        if (query.Status is ListingStatuses.Active or ListingStatuses.Ended)
        {
            conditions.Add(query.Status == ListingStatuses.Active
                ? "status = $status AND (available_until IS NULL OR available_until >= $at)"
                : "status = $status AND available_until < $at");
            parameters.AddRange([("$status", ListingStatuses.Active), ("$at", CatalogSqliteRows.Text(query.StatusTime))]);
        }
        else Eq("status", query.Status);
        var (inList, ids) = InList("id", query.Ids);
        if (inList is not null)
        {
            conditions.Add(inList);
            parameters.AddRange(ids);
        }
        if (query.After is { } after)
        {
            conditions.Add("(created_at, id) > ($after_created, $after_id)");
            parameters.AddRange([("$after_created", CatalogSqliteRows.Text(after.CreatedAt)), ("$after_id", after.Id)]);
        }
        var where = conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);
        var limit = query.Limit is { } n ? $" LIMIT {n}" : "";
        var index = ListingsIndex(query) is { } name ? $" INDEXED BY {name}" : "";
        return ($"SELECT {ListingColumns} FROM listings{index} {where} ORDER BY created_at, id{limit}", [.. parameters]);
    }

    /// <summary>A town's own listings, however many it has, before any other filter; the open listings (a few thousand at
    /// most, the ended history left out) are read by their window's end and sorted; then a category's in a status (a rare
    /// pair is not walked through either's history), a category's (none at once for one nobody lists), a status's; a kind
    /// (half of all) is checked on the way. Ids (gRPC's lookup) go by the primary key, the planner's choice.</summary>
    private static string? ListingsIndex(ListingQuery query) => query switch
    {
        { Ids: not null } => null,
        { TownId: not null } => "ix_listings_town_created",
        { Status: ListingStatuses.Active } => "ix_listings_status_until",
        { Category: not null, Status: not null } => "ix_listings_status_category_created",
        { Category: not null } => "ix_listings_category_created",
        { Status: not null } => "ix_listings_status_created",
        _ => "ix_listings_created",
    };

    public async Task<Listing?> GetListingAsync(string id, CancellationToken ct = default) =>
        (await ReadAsync($"SELECT {ListingColumns} FROM listings WHERE id = $id", CatalogSqliteRows.Listing, ct, ("$id", id)))
        .SingleOrDefault();

    public async Task<Reservation?> GetReservationAsync(Guid tradeId, CancellationToken ct = default) =>
        (await ReadAsync($"SELECT {ReservationColumns} FROM reservations WHERE trade_id = $trade", CatalogSqliteRows.Reservation, ct,
            ("$trade", tradeId.ToString()))).SingleOrDefault();

    public async Task<RevokedKeyPage> GetRevokedKeysAsync(long afterSequence, int limit, CancellationToken ct = default)
    {
        await using var connection = database.Open();
        // Newest first: an entry up to it that the page then lacks was pruned in between, not still to come.
        var newest = (await QueryAsync(connection, null, "SELECT COALESCE(MAX(seq), 0) FROM revoked_keys", r => r.GetInt64(0), ct)).Single();
        var keys = await QueryAsync(connection, null, $"SELECT {RevokedKeyColumns} FROM revoked_keys WHERE seq > $after ORDER BY seq LIMIT $limit",
            CatalogSqliteRows.RevokedKey, ct, ("$after", afterSequence), ("$limit", limit));
        return new RevokedKeyPage(keys, newest);
    }

    private async Task<List<T>> ReadAsync<T>(string sql, Func<SqliteDataReader, T> read, CancellationToken ct,
        params (string, object?)[] parameters)
    {
        await using var connection = database.Open();
        return await QueryAsync(connection, null, sql, read, ct, parameters);
    }

    /// <summary>"column IN ($p0, $p1…)" or nothing when no ids are given (an empty list means "all").</summary>
    private static (string? Sql, (string, object?)[] Parameters) InList(string column, IReadOnlyCollection<string>? ids)
    {
        if (ids is null || ids.Count == 0) return (null, []);
        var parameters = ids.Distinct().Select((id, i) => ($"${column}{i}", (object?)id)).ToArray();
        return ($"{column} IN ({string.Join(", ", parameters.Select(p => p.Item1))})", parameters);
    }
}
