using Microsoft.Data.Sqlite;
using TradeNet.Logistics.Domain;
using TradeNet.Shared.Storage.Sqlite;
using static TradeNet.Logistics.Storage.Sqlite.SqliteRows;

namespace TradeNet.Logistics.Storage.Sqlite;

/// <summary>The embedded default: transfers, shipments, outbox and inbox in <c>{DataDir}/logistics.db</c>.</summary>
public sealed class LogisticsSqliteStore : ILogisticsStore
{
    public LogisticsSqliteStore(string path)
    {
        Database = new SqliteDatabase(path, LogisticsSqliteSchema.Sql);
        LogisticsSqliteSchema.Upgrade(Database);
        OutboxStore = new SqliteOutboxStore(Database);
    }

    public SqliteDatabase Database { get; }
    public SqliteOutboxStore OutboxStore { get; }

    public async Task<ILogisticsSession> BeginAsync(CancellationToken ct = default) =>
        new SqliteLogisticsSession(await Database.BeginWriteAsync(ct));

    public async Task<Shipment?> ShipmentAsync(Guid id, CancellationToken ct = default)
    {
        await using var connection = Database.Open();
        await using var command = Command(connection, $"SELECT {ShipmentColumns} FROM shipments WHERE id = $id", ("$id", id.ToString()));
        return (await ReadAllAsync(command, ReadShipment, ct)).SingleOrDefault();
    }

    public async Task<IReadOnlyList<Shipment>> ShipmentsAsync(ShipmentQuery query, CancellationToken ct = default)
    {
        if (query.Statuses is { Count: 0 }) return [];
        var where = new List<string>();
        var parameters = new List<(string, object?)> { ("$limit", Math.Max(1, query.Limit)) };
        if (query.TradeId is { } trade)
        {
            where.Add("trade_id = $trade");
            parameters.Add(("$trade", trade.ToString()));
        }
        if (query.TradeIds is { } trades)
        {
            // Along ix_shipments_trade, one statement for the set.
            where.Add("trade_id IN (SELECT value FROM json_each($trades))");
            parameters.Add(("$trades", System.Text.Json.JsonSerializer.Serialize(trades.Select(t => t.ToString()))));
        }
        if (query.VisibleTo is { } town)
        {
            where.Add("(from_town = $town OR to_town = $town OR carrier_town = $town)");
            parameters.Add(("$town", town));
        }
        if (query.Statuses is { } statuses)
        {
            var names = statuses.Distinct().Select((status, i) => ($"$status{i}", (object?)Name(status))).ToList();
            where.Add($"status IN ({string.Join(", ", names.Select(n => n.Item1))})");
            parameters.AddRange(names);
        }
        if (query.EtaBefore is { } before)
        {
            // Round-trip UTC text of one width: text order is time order.
            where.Add("eta < $etaBefore");
            parameters.Add(("$etaBefore", Time(before)));
        }
        if (query.After is { } after)
        {
            // Keyset on the list's own order (created_at descending, then trade, leg and id ascending).
            where.Add("(created_at < $afterCreated OR (created_at = $afterCreated AND (trade_id > $afterTrade OR (trade_id = $afterTrade AND "
                + "(leg_index > $afterLeg OR (leg_index = $afterLeg AND id > $afterId))))))");
            parameters.AddRange([("$afterCreated", Time(after.CreatedAt)), ("$afterTrade", after.TradeId.ToString()),
                ("$afterLeg", after.LegIndex), ("$afterId", after.Id.ToString())]);
        }
        var filter = where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", where);
        await using var connection = Database.Open();
        await using var command = Command(connection,
            $"SELECT {ShipmentColumns} FROM shipments {filter} ORDER BY created_at DESC, trade_id, leg_index, id LIMIT $limit",
            [.. parameters]);
        return await ReadAllAsync(command, ReadShipment, ct);
    }

    public async Task<IReadOnlyList<TransferOrder>> TransfersOfTradeAsync(Guid tradeId, CancellationToken ct = default)
    {
        await using var connection = Database.Open();
        await using var command = Command(connection,
            $"SELECT {TransferColumns} FROM transfers WHERE trade_id = $trade ORDER BY leg_index", ("$trade", tradeId.ToString()));
        return await ReadAllAsync(command, ReadTransfer, ct);
    }

    public async Task<IReadOnlyList<TransferOrder>> TransfersAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct = default)
    {
        // "IN ()" would find nothing too, but there is no need to open a connection for that.
        if (ids.Count == 0) return [];
        await using var connection = Database.Open();
        var found = new List<TransferOrder>(ids.Count);
        // In slices, so no caller's list can pass SQLite's limit on parameters in one statement.
        foreach (var slice in ids.Distinct().Chunk(IdsPerQuery))
        {
            var parameters = slice.Select((id, i) => ($"$id{i}", (object?)id.ToString())).ToArray();
            await using var command = Command(connection,
                $"SELECT {TransferColumns} FROM transfers WHERE id IN ({string.Join(", ", parameters.Select(p => p.Item1))})", parameters);
            found.AddRange(await ReadAllAsync(command, ReadTransfer, ct));
        }
        return found;
    }

    private const int IdsPerQuery = 500;

    public async Task<IReadOnlyList<TransferOrder>> TransfersInStatusAsync(TransferStatus status, int limit, TransferOrder? after = null,
        CancellationToken ct = default)
    {
        await using var connection = Database.Open();
        // Keyset on the listing's own order: created_at is round-trip UTC text, so text order is time order.
        await using var command = Command(connection,
            $"SELECT {TransferColumns} FROM transfers WHERE status = $status " +
            "AND ($afterCreated IS NULL OR created_at > $afterCreated OR (created_at = $afterCreated AND " +
            "(trade_id > $afterTrade OR (trade_id = $afterTrade AND leg_index > $afterLeg)))) " +
            "ORDER BY created_at, trade_id, leg_index LIMIT $limit",
            ("$status", Name(status)), ("$limit", Math.Max(1, limit)), ("$afterCreated", after is null ? null : SqliteRows.Time(after.CreatedAt)),
            ("$afterTrade", after?.TradeId.ToString()), ("$afterLeg", after?.LegIndex));
        return await ReadAllAsync(command, ReadTransfer, ct);
    }

    public async Task<IReadOnlyList<Shipment>> ShipmentsOfRouteAsync(Guid routeId, CancellationToken ct = default)
    {
        await using var connection = Database.Open();
        await using var command = Command(connection,
            $"SELECT {ShipmentColumns} FROM shipments WHERE route_id = $route ORDER BY trade_id, leg_index", ("$route", routeId.ToString()));
        return await ReadAllAsync(command, ReadShipment, ct);
    }

    public async Task<IReadOnlyList<Shipment>> ShipmentsOfVehicleAsync(string vehicleId, DateTimeOffset endedSince, CancellationToken ct = default)
    {
        await using var connection = Database.Open();
        // Each branch along a status index, as a run reads them; the vehicle filters what they find.
        await using var command = Command(connection, $"""
            SELECT {ShipmentColumns} FROM shipments WHERE vehicle_id = $vehicle
                AND (status IN ($planned, $pickedUp) OR (status IN ($delivered, $failed) AND eta >= $since))
            ORDER BY route_id, trade_id, leg_index
            """, ("$vehicle", vehicleId), ("$planned", Name(ShipmentStatus.Planned)), ("$pickedUp", Name(ShipmentStatus.PickedUp)),
            ("$delivered", Name(ShipmentStatus.Delivered)), ("$failed", Name(ShipmentStatus.Failed)), ("$since", Time(endedSince)));
        return await ReadAllAsync(command, ReadShipment, ct);
    }

    public async Task<byte[]> SecretAsync(string name, CancellationToken ct = default)
    {
        await using var connection = Database.Open();
        await using (var insert = Command(connection, "INSERT INTO secrets(name, value) VALUES ($name, $value) ON CONFLICT(name) DO NOTHING",
            ("$name", name), ("$value", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)))))
            await insert.ExecuteNonQueryAsync(ct);
        await using var read = Command(connection, "SELECT value FROM secrets WHERE name = $name", ("$name", name));
        return Convert.FromBase64String((string)(await read.ExecuteScalarAsync(ct))!);
    }

    public async Task<string?> TradeTraceAsync(Guid tradeId, CancellationToken ct = default)
    {
        await using var connection = Database.Open();
        await using var command = Command(connection, "SELECT trace_parent FROM trade_traces WHERE trade_id = $trade", ("$trade", tradeId.ToString()));
        return await command.ExecuteScalarAsync(ct) as string;
    }

    public async Task<IReadOnlyDictionary<Guid, int>> WrongHandoverCodesAsync(IReadOnlyCollection<Guid> shipmentIds, CancellationToken ct = default)
    {
        var wrong = new Dictionary<Guid, int>();
        if (shipmentIds.Count == 0) return wrong;
        await using var connection = Database.Open();
        // In slices, as transfers are read by id.
        foreach (var slice in shipmentIds.Distinct().Chunk(IdsPerQuery))
        {
            var parameters = slice.Select((id, i) => ($"$id{i}", (object?)id.ToString())).ToArray();
            await using var command = Command(connection,
                $"SELECT shipment_id, wrong FROM handover_attempts WHERE shipment_id IN ({string.Join(", ", parameters.Select(p => p.Item1))})", parameters);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) wrong[Guid.Parse(reader.GetString(0))] = (int)Math.Min(reader.GetInt64(1), int.MaxValue);
        }
        return wrong;
    }

    public async Task<IReadOnlyDictionary<Guid, IReadOnlySet<string>>> WrongHandoverCodeTagsAsync(IReadOnlyCollection<Guid> shipmentIds, CancellationToken ct = default)
    {
        var tags = new Dictionary<Guid, HashSet<string>>();
        await using var connection = Database.Open();
        foreach (var slice in shipmentIds.Distinct().Chunk(IdsPerQuery))
        {
            var parameters = slice.Select((id, i) => ($"$id{i}", (object?)id.ToString())).ToArray();
            await using var command = Command(connection,
                $"SELECT shipment_id, code_tag FROM handover_wrong_codes WHERE shipment_id IN ({string.Join(", ", parameters.Select(p => p.Item1))})", parameters);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var id = Guid.Parse(reader.GetString(0));
                if (!tags.TryGetValue(id, out var of)) tags[id] = of = new HashSet<string>(StringComparer.Ordinal);
                of.Add(reader.GetString(1));
            }
        }
        return tags.ToDictionary(t => t.Key, t => (IReadOnlySet<string>)t.Value);
    }

    public async Task<IReadOnlyDictionary<ShipmentStatus, long>> CountShipmentsByStatusAsync(CancellationToken ct = default)
    {
        await using var connection = Database.Open();
        await using var command = Command(connection, "SELECT status, COUNT(*) FROM shipments GROUP BY status");
        var counts = new Dictionary<ShipmentStatus, long>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            counts[Enum.Parse<ShipmentStatus>(reader.GetString(0), ignoreCase: true)] = reader.GetInt64(1);
        return counts;
    }

    public async Task<Vehicle?> VehicleAsync(string id, CancellationToken ct = default)
    {
        await using var connection = Database.Open();
        await using var command = Command(connection, $"SELECT {VehicleColumns} FROM vehicles WHERE id = $id", ("$id", id));
        return (await ReadAllAsync(command, ReadVehicle, ct)).SingleOrDefault();
    }

    public async Task<VehicleRegistration?> VehicleRegistrationAsync(string caller, string key, CancellationToken ct = default)
    {
        await using var connection = Database.Open();
        await using var command = Command(connection,
            $"SELECT {RegistrationColumns} FROM vehicle_registrations WHERE caller = $caller AND request_key = $key", ("$caller", caller), ("$key", key));
        return (await ReadAllAsync(command, ReadRegistration, ct)).SingleOrDefault();
    }

    public async Task<IReadOnlyList<Vehicle>> VehiclesAsync(string? homeTown = null, CancellationToken ct = default)
    {
        await using var connection = Database.Open();
        await using var command = homeTown is null
            ? Command(connection, $"SELECT {VehicleColumns} FROM vehicles ORDER BY home_town, id")
            : Command(connection, $"SELECT {VehicleColumns} FROM vehicles WHERE home_town = $home ORDER BY id", ("$home", homeTown));
        return await ReadAllAsync(command, ReadVehicle, ct);
    }

    public async Task<IReadOnlyList<Vehicle>> VehiclePageAsync(VehiclePage page, CancellationToken ct = default)
    {
        await using var connection = Database.Open();
        await using var command = Command(connection,
            $"SELECT {VehicleColumns} FROM vehicles WHERE ($home IS NULL OR home_town = $home) " +
            "AND ($afterHome IS NULL OR home_town > $afterHome OR (home_town = $afterHome AND id > $afterId)) " +
            "ORDER BY home_town, id LIMIT $limit",
            ("$home", page.HomeTown), ("$afterHome", page.After?.HomeTown), ("$afterId", page.After?.Id), ("$limit", page.Limit));
        return await ReadAllAsync(command, ReadVehicle, ct);
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }
}
