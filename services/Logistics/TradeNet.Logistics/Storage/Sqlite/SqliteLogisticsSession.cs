using Microsoft.Data.Sqlite;
using TradeNet.Logistics.Domain;
using TradeNet.Shared.Storage.Sqlite;
using static TradeNet.Logistics.Storage.Sqlite.SqliteRows;

namespace TradeNet.Logistics.Storage.Sqlite;

/// <summary>A BEGIN IMMEDIATE transaction: writers queue up, so a read-decide-write inside it cannot interleave.</summary>
internal sealed class SqliteLogisticsSession(SqliteWriteScope scope) : ILogisticsSession
{
    private const int ConstraintViolation = 19; // SQLITE_CONSTRAINT

    public void Publish<T>(T message) where T : class => scope.Publish(message);

    public Task<bool> TryConsumeAsync(Guid messageId, string consumer, CancellationToken ct = default) =>
        scope.TryConsumeAsync(messageId, consumer, ct);

    public Task CommitAsync(CancellationToken ct = default) => scope.CommitAsync(ct);

    public ValueTask DisposeAsync() => scope.DisposeAsync();

    public async Task<bool> AddTransferAsync(TransferOrder transfer, CancellationToken ct = default)
    {
        await using var command = scope.Command(
            $"INSERT INTO transfers({TransferColumns}) VALUES ($id, $trade, $leg, $from, $to, $fromLat, $fromLon, $toLat, $toLon, $category, $quantity, $weight, $windowFrom, $windowUntil, $status, $created, $attempts, $lastFailure, $lastFailedAt) ON CONFLICT(trade_id, leg_index) DO NOTHING",
            TransferParameters(transfer));
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task<IReadOnlyList<TransferOrder>> TransfersOfTradeAsync(Guid tradeId, CancellationToken ct = default)
    {
        await using var command = scope.Command(
            $"SELECT {TransferColumns} FROM transfers WHERE trade_id = $trade ORDER BY leg_index", ("$trade", tradeId.ToString()));
        return await ReadAllAsync(command, ReadTransfer, ct);
    }

    public async Task<IReadOnlyList<TransferOrder>> PendingTransfersAsync(int max, DateTimeOffset? readyBefore = null, CancellationToken ct = default)
    {
        // Times are round-trip UTC text of one width, so text order is time order.
        await using var command = scope.Command(
            $"SELECT {TransferColumns} FROM transfers WHERE status = $status AND ($before IS NULL OR window_from IS NULL OR window_from < $before) " +
            "ORDER BY created_at, trade_id, leg_index LIMIT $max",
            ("$status", Name(TransferStatus.Pending)), ("$before", Time(readyBefore)), ("$max", Math.Max(1, max)));
        return await ReadAllAsync(command, ReadTransfer, ct);
    }

    public async Task SetTransferStatusAsync(Guid transferId, TransferStatus status, CancellationToken ct = default)
    {
        await using var command = scope.Command("UPDATE transfers SET status = $status WHERE id = $id",
            ("$status", Name(status)), ("$id", transferId.ToString()));
        if (await command.ExecuteNonQueryAsync(ct) != 1) throw new KeyNotFoundException($"Transfer {transferId} does not exist.");
    }

    public async Task<TransferOrder?> TransferAsync(Guid transferId, CancellationToken ct = default)
    {
        await using var command = scope.Command($"SELECT {TransferColumns} FROM transfers WHERE id = $id", ("$id", transferId.ToString()));
        return (await ReadAllAsync(command, ReadTransfer, ct)).SingleOrDefault();
    }

    public async Task UpdateTransferAsync(TransferOrder transfer, CancellationToken ct = default)
    {
        await using var command = scope.Command(
            "UPDATE transfers SET status = $status, attempts = $attempts, last_failure_reason = $lastFailure, last_failed_at = $lastFailedAt WHERE id = $id",
            TransferParameters(transfer));
        if (await command.ExecuteNonQueryAsync(ct) != 1) throw new KeyNotFoundException($"Transfer {transfer.Id} does not exist.");
    }

    public async Task AddShipmentAsync(Shipment shipment, CancellationToken ct = default)
    {
        await using var command = scope.Command(
            $"INSERT INTO shipments({ShipmentColumns}) VALUES ($id, $trade, $leg, $transfer, $from, $to, $carrier, $vehicle, $route, $status, $distance, $cost, $eta, $stops, $created, $pickedUp, $delivered, $failed, $reason, $cancelled, $version, $directReason, $directDetail)",
            ShipmentParameters(shipment));
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<Shipment?> ShipmentAsync(Guid id, CancellationToken ct = default)
    {
        await using var command = scope.Command($"SELECT {ShipmentColumns} FROM shipments WHERE id = $id", ("$id", id.ToString()));
        return (await ReadAllAsync(command, ReadShipment, ct)).SingleOrDefault();
    }

    public async Task<IReadOnlyList<Shipment>> ShipmentsOfTradeAsync(Guid tradeId, CancellationToken ct = default)
    {
        await using var command = scope.Command(
            $"SELECT {ShipmentColumns} FROM shipments WHERE trade_id = $trade ORDER BY leg_index, created_at", ("$trade", tradeId.ToString()));
        return await ReadAllAsync(command, ReadShipment, ct);
    }

    public async Task UpdateShipmentAsync(Shipment shipment, long expectedVersion, CancellationToken ct = default)
    {
        await using var command = scope.Command(
            """
            UPDATE shipments SET carrier_town = $carrier, vehicle_id = $vehicle, route_id = $route, status = $status,
                distance_km = $distance, cost = $cost, eta = $eta, stops = $stops, picked_up_at = $pickedUp,
                delivered_at = $delivered, failed_at = $failed, failure_reason = $reason, cancelled_at = $cancelled,
                version = $version
            WHERE id = $id AND version = $expected
            """,
            [.. ShipmentParameters(shipment), ("$expected", expectedVersion)]);
        if (await command.ExecuteNonQueryAsync(ct) != 1)
            throw new ConcurrencyConflictException($"Shipment {shipment.Id} is no longer at version {expectedVersion}.");
    }

    public async Task<bool> MarkTradeCancelledAsync(Guid tradeId, string reason, DateTimeOffset at, CancellationToken ct = default)
    {
        await using var command = scope.Command(
            "INSERT INTO cancelled_trades(trade_id, reason, cancelled_at) VALUES ($trade, $reason, $at) ON CONFLICT(trade_id) DO NOTHING",
            ("$trade", tradeId.ToString()), ("$reason", reason), ("$at", Time(at)));
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    // The write transaction began IMMEDIATE: no other writer runs until it ends.
    public Task SerializeTradeAsync(Guid tradeId, CancellationToken ct = default) => Task.CompletedTask;

    public async Task RememberTradeTraceAsync(Guid tradeId, string traceParent, CancellationToken ct = default)
    {
        await using var command = scope.Command(
            "INSERT INTO trade_traces(trade_id, trace_parent) VALUES ($trade, $trace) ON CONFLICT(trade_id) DO NOTHING",
            ("$trade", tradeId.ToString()), ("$trace", traceParent));
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<HandoverAttempts> HandoverAttemptsAsync(Guid shipmentId, CancellationToken ct = default)
    {
        await using var count = scope.Command("SELECT wrong FROM handover_attempts WHERE shipment_id = $id", ("$id", shipmentId.ToString()));
        var wrong = await count.ExecuteScalarAsync(ct) is long n ? (int)Math.Min(n, int.MaxValue) : 0;
        if (wrong == 0) return HandoverAttempts.None;
        await using var read = scope.Command("SELECT code_tag FROM handover_wrong_codes WHERE shipment_id = $id", ("$id", shipmentId.ToString()));
        await using var reader = await read.ExecuteReaderAsync(ct);
        var tags = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct)) tags.Add(reader.GetString(0));
        return new(wrong, tags);
    }

    public async Task<int> CountWrongHandoverCodesAsync(Guid shipmentId, IReadOnlyCollection<string> tags, CancellationToken ct = default)
    {
        // Only the tags new to the shipment count: the same code again is no new guess.
        var added = 0;
        foreach (var tag in tags.Distinct(StringComparer.Ordinal))
        {
            await using var insert = scope.Command(
                "INSERT INTO handover_wrong_codes(shipment_id, code_tag) VALUES ($id, $tag) ON CONFLICT(shipment_id, code_tag) DO NOTHING",
                ("$id", shipmentId.ToString()), ("$tag", tag));
            added += await insert.ExecuteNonQueryAsync(ct);
        }
        await using var command = scope.Command(
            "INSERT INTO handover_attempts(shipment_id, wrong) VALUES ($id, $n) ON CONFLICT(shipment_id) DO UPDATE SET wrong = wrong + $n RETURNING wrong",
            ("$id", shipmentId.ToString()), ("$n", added));
        return (int)Math.Min((long)(await command.ExecuteScalarAsync(ct))!, int.MaxValue);
    }

    public async Task<bool> IsTradeCancelledAsync(Guid tradeId, CancellationToken ct = default)
    {
        await using var command = scope.Command("SELECT 1 FROM cancelled_trades WHERE trade_id = $trade", ("$trade", tradeId.ToString()));
        return await command.ExecuteScalarAsync(ct) is not null;
    }

    public async Task<IReadOnlyList<Shipment>> ActiveShipmentsAsync(CancellationToken ct = default)
    {
        await using var command = scope.Command($"SELECT {ShipmentColumns} FROM shipments WHERE status IN ($planned, $pickedUp) ORDER BY vehicle_id, route_id",
            ("$planned", Name(ShipmentStatus.Planned)), ("$pickedUp", Name(ShipmentStatus.PickedUp)));
        return await ReadAllAsync(command, ReadShipment, ct);
    }

    public async Task<IReadOnlyList<Shipment>> EndedShipmentsAsync(DateTimeOffset since, CancellationToken ct = default)
    {
        // Along ix_shipments_status_eta: the last days' delivered and failed shipments, not every one ever.
        await using var command = scope.Command(
            $"SELECT {ShipmentColumns} FROM shipments WHERE status IN ($delivered, $failed) AND eta >= $since ORDER BY vehicle_id, route_id",
            ("$delivered", Name(ShipmentStatus.Delivered)), ("$failed", Name(ShipmentStatus.Failed)), ("$since", Time(since)));
        return await ReadAllAsync(command, ReadShipment, ct);
    }

    public async Task<IReadOnlyList<Shipment>> ShipmentsOfRouteAsync(Guid routeId, CancellationToken ct = default)
    {
        await using var command = scope.Command(
            $"SELECT {ShipmentColumns} FROM shipments WHERE route_id = $route ORDER BY trade_id, leg_index", ("$route", routeId.ToString()));
        return await ReadAllAsync(command, ReadShipment, ct);
    }

    public async Task<IReadOnlyList<Vehicle>> VehiclesAsync(CancellationToken ct = default)
    {
        await using var command = scope.Command($"SELECT {VehicleColumns} FROM vehicles ORDER BY home_town, id");
        return await ReadAllAsync(command, ReadVehicle, ct);
    }

    public async Task<Vehicle?> VehicleAsync(string id, CancellationToken ct = default)
    {
        await using var command = scope.Command($"SELECT {VehicleColumns} FROM vehicles WHERE id = $id", ("$id", id));
        return (await ReadAllAsync(command, ReadVehicle, ct)).SingleOrDefault();
    }

    public async Task<int> CountVehiclesAsync(string homeTown, CancellationToken ct = default)
    {
        await using var command = scope.Command("SELECT COUNT(*) FROM vehicles WHERE home_town = $home", ("$home", homeTown));
        return Convert.ToInt32(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task AddVehicleAsync(Vehicle vehicle, CancellationToken ct = default)
    {
        await using var command = scope.Command($"INSERT INTO vehicles({VehicleColumns}) VALUES ({VehicleValues})", VehicleParameters(vehicle));
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<VehicleRegistration?> VehicleRegistrationAsync(string caller, string key, CancellationToken ct = default)
    {
        await using var command = scope.Command(
            $"SELECT {RegistrationColumns} FROM vehicle_registrations WHERE caller = $caller AND request_key = $key", ("$caller", caller), ("$key", key));
        return (await ReadAllAsync(command, ReadRegistration, ct)).SingleOrDefault();
    }

    public async Task AddVehicleRegistrationAsync(VehicleRegistration registration, CancellationToken ct = default)
    {
        await using var command = scope.Command(
            $"INSERT INTO vehicle_registrations({RegistrationColumns}) VALUES ($caller, $key, $vehicle, $fingerprint, $at)",
            RegistrationParameters(registration));
        try
        {
            await command.ExecuteNonQueryAsync(ct);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == ConstraintViolation)
        {
            // Writers queue up here, so only a session that skipped the read first gets this far.
            throw new ConcurrencyConflictException($"{registration.Caller} used Idempotency-Key '{registration.Key}' already.", ex);
        }
    }

    public async Task<bool> UpdateVehicleAsync(Vehicle vehicle, CancellationToken ct = default)
    {
        await using var command = scope.Command(
            """
            UPDATE vehicles SET home_town = $home, home_lat = $homeLat, home_lon = $homeLon, name = $name, capacity_kg = $capacity,
                volume_m3 = $volume, chilled = $chilled, cost_per_km = $costPerKm, fixed_cost = $fixedCost,
                available_from = $from, available_until = $until, updated_at = $updated, max_route_hours = $maxRouteHours,
                work_start = $workStart, work_end = $workEnd, work_time_zone = $workZone, work_days = $workDays
            WHERE id = $id
            """, VehicleParameters(vehicle));
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    // BEGIN IMMEDIATE: no change of a vehicle can commit between this write's reads and its commit.
    public Task GuardVehiclesAsync(IReadOnlyCollection<string> vehicleIds, CancellationToken ct = default) => Task.CompletedTask;

    public async Task<bool> DeleteVehicleAsync(string id, CancellationToken ct = default)
    {
        await using var command = scope.Command("DELETE FROM vehicles WHERE id = $id", ("$id", id));
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task<IReadOnlyList<Vehicle>> VehiclesOfTownAsync(string homeTown, CancellationToken ct = default)
    {
        await using var command = scope.Command($"SELECT {VehicleColumns} FROM vehicles WHERE home_town = $home ORDER BY id", ("$home", homeTown));
        return await ReadAllAsync(command, ReadVehicle, ct);
    }

    // Writers queue up (BEGIN IMMEDIATE): a standing read here holds until this write commits.
    public async Task<TownStanding?> TownStandingAsync(string townId, CancellationToken ct = default)
    {
        await using var command = scope.Command($"SELECT {StandingColumns} FROM town_standings WHERE town_id = $town", ("$town", townId));
        return (await ReadAllAsync(command, ReadStanding, ct)).SingleOrDefault();
    }

    public async Task SetTownStandingAsync(TownStanding standing, CancellationToken ct = default)
    {
        await using var command = scope.Command(
            $"""
            INSERT INTO town_standings({StandingColumns}) VALUES ($town, $suspended, $at, $reason)
            ON CONFLICT(town_id) DO UPDATE SET suspended = excluded.suspended, at = excluded.at, reason = excluded.reason
            """, StandingParameters(standing));
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<IReadOnlySet<string>> SuspendedTownsAsync(CancellationToken ct = default)
    {
        await using var command = scope.Command("SELECT town_id FROM town_standings WHERE suspended = 1");
        return (await ReadAllAsync(command, r => r.GetString(0), ct)).ToHashSet();
    }
}
