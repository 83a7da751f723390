using Microsoft.Data.Sqlite;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Storage;
using TradeNet.Logistics.Storage.Sqlite;
using TradeNet.Shared.Storage.Sqlite;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.Storage;

/// <summary>A logistics.db written by the first release (before transfers counted delivery attempts, before vehicle
/// registrations kept their <c>Idempotency-Key</c>) still opens and works.</summary>
public sealed class SqliteSchemaUpgradeTests : IDisposable
{
    private readonly TestSettings _settings = new();

    private string DbPath => Path.Combine(_settings.DataDir, "logistics.db");

    // The transfers table as the first release created it, with one pending leg in it.
    private const string FirstReleaseTransfers = """
        CREATE TABLE transfers (
            id TEXT PRIMARY KEY, trade_id TEXT NOT NULL, leg_index INTEGER NOT NULL, from_town TEXT NOT NULL, to_town TEXT NOT NULL,
            from_lat REAL NOT NULL, from_lon REAL NOT NULL, to_lat REAL NOT NULL, to_lon REAL NOT NULL, category TEXT NOT NULL,
            quantity REAL NOT NULL, weight_kg REAL NOT NULL, window_from TEXT NULL, window_until TEXT NULL, status TEXT NOT NULL,
            created_at TEXT NOT NULL, UNIQUE (trade_id, leg_index));
        INSERT INTO transfers VALUES ('0b6f5a52-8c1e-4a57-9d36-2f0f3b0c6a11', '6f9a4c1e-8d2b-4f4e-9b8a-0c1d2e3f4a5b', 0, 'roanne', 'lyon',
            46.0367, 4.0683, 45.764, 4.8357, 'cheese', 40, 40, NULL, NULL, 'pending', '2026-11-01T08:00:00.0000000+00:00');
        """;

    private static readonly Guid Trade = Guid.Parse("6f9a4c1e-8d2b-4f4e-9b8a-0c1d2e3f4a5b");

    private void CreateFirstReleaseDatabase() => RunOnTheOldFile(FirstReleaseTransfers);

    [Fact]
    public async Task An_existing_transfer_reads_as_never_failed_and_can_then_count_failures()
    {
        CreateFirstReleaseDatabase();

        var store = new LogisticsSqliteStore(DbPath);
        var before = Assert.Single(await store.TransfersOfTradeAsync(Trade));
        var held = before with { Status = TransferStatus.Held, Attempts = 3, LastFailureReason = "closed", LastFailedAt = before.CreatedAt.AddDays(1) };
        await using (var session = await store.BeginAsync())
        {
            await session.UpdateTransferAsync(held);
            await session.CommitAsync();
        }

        Assert.Equal((TransferStatus.Pending, 0, null), (before.Status, before.Attempts, before.LastFailureReason));
        Assert.Equal(held, Assert.Single(await store.TransfersInStatusAsync(TransferStatus.Held, 10)));
    }

    [Fact]
    public async Task Opening_an_upgraded_database_again_changes_nothing()
    {
        CreateFirstReleaseDatabase();
        _ = new LogisticsSqliteStore(DbPath);

        var again = new LogisticsSqliteStore(DbPath);

        Assert.Equal(0, Assert.Single(await again.TransfersOfTradeAsync(Trade)).Attempts);
    }

    [Fact]
    public async Task A_database_from_before_town_standings_reads_every_town_as_active_and_then_remembers_a_suspension()
    {
        CreateFirstReleaseDatabase();
        var store = new LogisticsSqliteStore(DbPath);
        var suspended = new TownStanding("roanne", Suspended: true, DateTimeOffset.UnixEpoch.AddDays(20_000), "fraud");

        await using (var session = await store.BeginAsync())
        {
            Assert.Empty(await session.SuspendedTownsAsync());
            Assert.Null(await session.TownStandingAsync("roanne"));
            await session.SetTownStandingAsync(suspended);
            await session.CommitAsync();
        }

        await using var again = await new LogisticsSqliteStore(DbPath).BeginAsync();
        Assert.Equal(suspended, await again.TownStandingAsync("roanne"));
        Assert.Equal(["roanne"], await again.SuspendedTownsAsync());
    }

    [Fact]
    public async Task A_database_from_before_idempotency_keys_keeps_them_once_opened()
    {
        CreateFirstReleaseDatabase();
        var store = new LogisticsSqliteStore(DbPath);
        var registration = new VehicleRegistration("town:roanne", "retry-1", "veh-1", "ABC", DateTimeOffset.UnixEpoch);

        await using (var session = await store.BeginAsync())
        {
            await session.AddVehicleRegistrationAsync(registration);
            await session.CommitAsync();
        }

        Assert.Equal(registration, await store.VehicleRegistrationAsync("town:roanne", "retry-1"));
    }

    // The vehicles table as releases before maxRouteHours created it, with one vehicle in it.
    private const string VehiclesBeforeRouteHours = """
        CREATE TABLE vehicles (
            id TEXT PRIMARY KEY, home_town TEXT NOT NULL, home_lat REAL NOT NULL, home_lon REAL NOT NULL, name TEXT NULL,
            capacity_kg REAL NOT NULL, volume_m3 REAL NULL, chilled INTEGER NOT NULL, cost_per_km REAL NOT NULL, fixed_cost REAL NOT NULL,
            available_from TEXT NULL, available_until TEXT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
        INSERT INTO vehicles VALUES ('veh-1', 'roanne', 46.0367, 4.0683, 'van', 1500, NULL, 1, 0.45, 25, NULL, NULL,
            '2026-11-01T08:00:00.0000000+00:00', '2026-11-01T08:00:00.0000000+00:00');
        """;

    [Fact]
    public async Task A_vehicle_stored_before_maximum_route_hours_reads_without_them_and_can_then_be_given_some()
    {
        CreateFirstReleaseDatabase();
        RunOnTheOldFile(VehiclesBeforeRouteHours);

        var store = new LogisticsSqliteStore(DbPath);
        var before = await store.VehicleAsync("veh-1");
        await using (var session = await store.BeginAsync())
        {
            Assert.True(await session.UpdateVehicleAsync(before! with { MaxRouteHours = 8 }));
            await session.CommitAsync();
        }

        Assert.Equal(("roanne", 1500.0, null), (before.HomeTown, before.CapacityKg, before.MaxRouteHours));
        Assert.Equal(8, (await new LogisticsSqliteStore(DbPath).VehicleAsync("veh-1"))!.MaxRouteHours);
    }

    // The vehicles table as releases before working hours created it (maxRouteHours already there), with one vehicle in it.
    private const string VehiclesBeforeWorkingHours = """
        CREATE TABLE vehicles (
            id TEXT PRIMARY KEY, home_town TEXT NOT NULL, home_lat REAL NOT NULL, home_lon REAL NOT NULL, name TEXT NULL,
            capacity_kg REAL NOT NULL, volume_m3 REAL NULL, chilled INTEGER NOT NULL, cost_per_km REAL NOT NULL, fixed_cost REAL NOT NULL,
            available_from TEXT NULL, available_until TEXT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, max_route_hours REAL NULL);
        INSERT INTO vehicles VALUES ('veh-1', 'roanne', 46.0367, 4.0683, 'van', 1500, NULL, 1, 0.45, 25, NULL, NULL,
            '2026-11-01T08:00:00.0000000+00:00', '2026-11-01T08:00:00.0000000+00:00', 9);
        """;

    [Fact]
    public async Task A_vehicle_stored_before_working_hours_reads_as_working_any_hour_and_can_then_be_given_some()
    {
        CreateFirstReleaseDatabase();
        RunOnTheOldFile(VehiclesBeforeWorkingHours);
        var hours = new WorkingHours(new TimeOnly(7, 0), new TimeOnly(18, 0), "Europe/Paris", WorkDays.Mon | WorkDays.Sat);

        var store = new LogisticsSqliteStore(DbPath);
        var before = await store.VehicleAsync("veh-1");
        await using (var session = await store.BeginAsync())
        {
            Assert.True(await session.UpdateVehicleAsync(before! with { WorkingHours = hours }));
            await session.CommitAsync();
        }

        Assert.Equal((9.0, null), (before.MaxRouteHours, before.WorkingHours));
        Assert.Equal(hours, (await new LogisticsSqliteStore(DbPath).VehicleAsync("veh-1"))!.WorkingHours);
    }

    // The shipments table as November's releases created it (no direct-trip reasons), every transfer planned.
    private const string ShipmentsOfNovember = """
        CREATE TABLE shipments (
            id TEXT PRIMARY KEY, trade_id TEXT NOT NULL, leg_index INTEGER NOT NULL, transfer_id TEXT NOT NULL REFERENCES transfers(id),
            from_town TEXT NOT NULL, to_town TEXT NOT NULL, carrier_town TEXT NOT NULL, vehicle_id TEXT NOT NULL, route_id TEXT NOT NULL,
            status TEXT NOT NULL, distance_km REAL NOT NULL, cost REAL NOT NULL, eta TEXT NOT NULL, stops TEXT NOT NULL, created_at TEXT NOT NULL,
            picked_up_at TEXT NULL, delivered_at TEXT NULL, failed_at TEXT NULL, failure_reason TEXT NULL, cancelled_at TEXT NULL, version INTEGER NOT NULL);
        UPDATE transfers SET status = 'planned';
        """ + "\n";

    // Three legs of one trade as a release of late November left them: each transfer stays planned whatever its shipment did.
    private const string LegsOfAnEarlierRelease = ShipmentsOfNovember + """
        INSERT INTO transfers VALUES ('1b6f5a52-8c1e-4a57-9d36-2f0f3b0c6a11', '6f9a4c1e-8d2b-4f4e-9b8a-0c1d2e3f4a5b', 1, 'lyon', 'roanne',
            45.764, 4.8357, 46.0367, 4.0683, 'wine', 50, 65, NULL, NULL, 'planned', '2026-11-01T08:00:00.0000000+00:00');
        INSERT INTO transfers VALUES ('2b6f5a52-8c1e-4a57-9d36-2f0f3b0c6a11', '6f9a4c1e-8d2b-4f4e-9b8a-0c1d2e3f4a5b', 2, 'lyon', 'vichy',
            45.764, 4.8357, 46.1278, 3.4267, 'honey', 10, 10, NULL, NULL, 'planned', '2026-11-01T08:00:00.0000000+00:00');
        INSERT INTO shipments VALUES ('a0000000-0000-4000-8000-000000000000', '6f9a4c1e-8d2b-4f4e-9b8a-0c1d2e3f4a5b', 0, '0b6f5a52-8c1e-4a57-9d36-2f0f3b0c6a11',
            'roanne', 'lyon', 'roanne', 'direct-roanne', 'r0000000-0000-4000-8000-000000000000', 'delivered', 80, 40, '2026-11-02T08:00:00.0000000+00:00', '[]',
            '2026-11-01T08:00:00.0000000+00:00', '2026-11-02T07:00:00.0000000+00:00', '2026-11-02T08:00:00.0000000+00:00', NULL, NULL, NULL, 3);
        INSERT INTO shipments VALUES ('a1000000-0000-4000-8000-000000000000', '6f9a4c1e-8d2b-4f4e-9b8a-0c1d2e3f4a5b', 1, '1b6f5a52-8c1e-4a57-9d36-2f0f3b0c6a11',
            'lyon', 'roanne', 'lyon', 'direct-lyon', 'r1000000-0000-4000-8000-000000000000', 'failed', 80, 40, '2026-11-02T08:00:00.0000000+00:00', '[]',
            '2026-11-01T08:00:00.0000000+00:00', NULL, NULL, '2026-11-02T09:00:00.0000000+00:00', 'bridge closed', NULL, 2);
        INSERT INTO shipments VALUES ('a2000000-0000-4000-8000-000000000000', '6f9a4c1e-8d2b-4f4e-9b8a-0c1d2e3f4a5b', 2, '2b6f5a52-8c1e-4a57-9d36-2f0f3b0c6a11',
            'lyon', 'vichy', 'lyon', 'direct-lyon', 'r2000000-0000-4000-8000-000000000000', 'planned', 160, 80, '2026-11-02T08:00:00.0000000+00:00', '[]',
            '2026-11-01T08:00:00.0000000+00:00', NULL, NULL, NULL, NULL, NULL, 1);
        """;

    [Fact]
    public async Task Legs_an_earlier_release_left_planned_read_as_delivered_or_held_by_what_their_shipments_did()
    {
        CreateFirstReleaseDatabase();
        RunOnTheOldFile(LegsOfAnEarlierRelease);

        var legs = (await new LogisticsSqliteStore(DbPath).TransfersOfTradeAsync(Trade)).OrderBy(t => t.LegIndex).ToList();

        Assert.Equal([TransferStatus.Delivered, TransferStatus.Held, TransferStatus.Planned], legs.Select(t => t.Status));
        Assert.Equal((1, "bridge closed", DateTimeOffset.Parse("2026-11-02T09:00:00Z")), (legs[1].Attempts, legs[1].LastFailureReason, legs[1].LastFailedAt));
        Assert.Equal(1, Assert.Single(await new LogisticsSqliteStore(DbPath).TransfersInStatusAsync(TransferStatus.Held, 10)).Attempts);
    }

    // A direct trip as releases before December stored it: no reason columns.
    private const string ShipmentBeforeDirectTripReasons = ShipmentsOfNovember + """
        INSERT INTO shipments VALUES ('a3000000-0000-4000-8000-000000000000', '6f9a4c1e-8d2b-4f4e-9b8a-0c1d2e3f4a5b', 0, '0b6f5a52-8c1e-4a57-9d36-2f0f3b0c6a11',
            'roanne', 'lyon', 'roanne', 'direct-roanne', 'b3000000-0000-4000-8000-000000000000', 'planned', 80, 40, '2026-11-02T08:00:00.0000000+00:00', '[]',
            '2026-11-01T08:00:00.0000000+00:00', NULL, NULL, NULL, NULL, NULL, 1);
        """;

    [Fact]
    public async Task A_shipment_stored_before_direct_trip_reasons_reads_without_one_and_new_ones_keep_theirs()
    {
        CreateFirstReleaseDatabase();
        RunOnTheOldFile(ShipmentBeforeDirectTripReasons);

        var store = new LogisticsSqliteStore(DbPath);
        var older = (await store.ShipmentAsync(Guid.Parse("a3000000-0000-4000-8000-000000000000")))!;
        var direct = older with { Id = Guid.NewGuid(), RouteId = Guid.NewGuid(), DirectTrip = new DirectTripReason("NoChilledVehicle", "chilled goods") };
        await using (var session = await store.BeginAsync())
        {
            await session.AddShipmentAsync(direct);
            await session.CommitAsync();
        }

        Assert.Null(older.DirectTrip);
        Assert.Equal(direct.DirectTrip, (await new LogisticsSqliteStore(DbPath).ShipmentAsync(direct.Id))!.DirectTrip);
    }

    [Fact]
    public async Task Wrong_codes_counted_before_their_tags_were_kept_stay_counted_and_a_code_counted_after_counts_once()
    {
        CreateFirstReleaseDatabase();
        var shipment = Guid.Parse("a4000000-0000-4000-8000-000000000000");
        RunOnTheOldFile($"""
            CREATE TABLE handover_attempts (shipment_id TEXT PRIMARY KEY, wrong INTEGER NOT NULL);
            INSERT INTO handover_attempts VALUES ('{shipment}', 3);
            """);

        var store = new LogisticsSqliteStore(DbPath);
        await using (var session = await store.BeginAsync())
        {
            var before = await session.HandoverAttemptsAsync(shipment);
            Assert.Equal((3, 0), (before.Wrong, before.Tags.Count));
            Assert.Equal(4, await session.CountWrongHandoverCodesAsync(shipment, ["t1"]));
            await session.CommitAsync();
        }

        await using var again = await new LogisticsSqliteStore(DbPath).BeginAsync();
        Assert.Equal(4, await again.CountWrongHandoverCodesAsync(shipment, ["t1"]));
        Assert.Equal(new[] { "t1" }, (await again.HandoverAttemptsAsync(shipment)).Tags.ToArray());
    }

    private void RunOnTheOldFile(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DbPath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        SqliteDatabase.ClearPool(DbPath);
        using (var written = new SqliteConnection($"Data Source={DbPath}")) SqliteConnection.ClearPool(written); // the old release's file
        _settings.Dispose();
    }
}
