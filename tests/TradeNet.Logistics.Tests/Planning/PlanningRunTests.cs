using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TradeNet.Contracts;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Planning;
using TradeNet.Logistics.Storage;
using TradeNet.Logistics.Tests.Storage;
using Vehicle = TradeNet.Logistics.Domain.Vehicle;

namespace TradeNet.Logistics.Tests.Planning;

/// <summary>A planning run solves outside any write; what changed meanwhile decides what it may still write.</summary>
public class PlanningRunTests
{
    private static readonly LogisticsOptions Settings = new() { PlanningTimeLimit = TimeSpan.FromMilliseconds(300) };

    [Theory]
    [MemberData(nameof(Adapters.All), MemberType = typeof(Adapters))]
    public async Task A_vehicle_withdrawn_while_the_planner_solves_gets_no_shipments_and_its_transfers_wait_for_the_next_run(string adapter)
    {
        await using var s = StoreUnderTest.Create(adapter);
        var van = await SeedAsync(s.Store);
        var planning = Planning(async () =>
        {
            await using var session = await s.Store.BeginAsync();
            await session.DeleteVehicleAsync(van.Id);
            await session.CommitAsync();
        });

        var run = await planning.PlanPendingAsync(s.Store, 100, CancellationToken.None);

        Assert.Empty(run.Shipments);
        Assert.Equal(2, run.Skipped);
        await using var read = await s.Store.BeginAsync();
        Assert.Equal(2, (await read.PendingTransfersAsync(100)).Count);
    }

    [Theory]
    [MemberData(nameof(Adapters.All), MemberType = typeof(Adapters))]
    public async Task A_vehicle_whose_capacity_was_cut_while_the_planner_solves_gets_no_shipments(string adapter)
    {
        await using var s = StoreUnderTest.Create(adapter);
        var van = await SeedAsync(s.Store);
        var planning = Planning(async () =>
        {
            await using var session = await s.Store.BeginAsync();
            await session.UpdateVehicleAsync(van with { CapacityKg = 10, UpdatedAt = van.UpdatedAt.AddSeconds(1) });
            await session.CommitAsync();
        });

        var run = await planning.PlanPendingAsync(s.Store, 100, CancellationToken.None);

        Assert.Empty(run.Shipments);
    }

    [Theory]
    [MemberData(nameof(Adapters.All), MemberType = typeof(Adapters))]
    public async Task A_vehicle_another_replicas_run_booked_while_the_planner_solves_is_not_given_a_second_route_at_the_same_hours(string adapter)
    {
        await using var s = StoreUnderTest.Create(adapter);
        var van = await SeedAsync(s.Store);
        var now = DateTimeOffset.UtcNow;
        var planning = Planning(async () =>
        {
            // What the other replica wrote: a route of its own on the van, leaving now and back in two hours.
            var other = new TransferOrder(Guid.NewGuid(), Guid.NewGuid(), 0, "roanne", "lyon", Towns.Roanne, Towns.Lyon, "firewood", 50, 50,
                null, null, TransferStatus.Planned, now);
            await using var session = await s.Store.BeginAsync();
            await session.AddTransferAsync(other);
            await session.AddShipmentAsync(new Shipment(Guid.NewGuid(), other.TradeId, 0, other.Id, "roanne", "lyon", "roanne", van.Id, Guid.NewGuid(),
                ShipmentStatus.Planned, 80, 40, now.AddHours(1),
                [new ShipmentStop(1, "roanne", FleetShipmentPlanner.DepartAction, now), new ShipmentStop(2, "lyon", "delivery", now.AddHours(1)),
                 new ShipmentStop(3, "roanne", FleetShipmentPlanner.ReturnAction, now.AddHours(2))], now));
            await session.CommitAsync();
        });

        var run = await planning.PlanPendingAsync(s.Store, 100, CancellationToken.None);

        Assert.Empty(run.Shipments);
        Assert.Equal(2, run.Skipped);
    }

    /// <summary>The route the solver made shares the van between the cancelled trade and another: all of it waits, the
    /// other trade's leg for the next run, and nothing is written for the cancelled one.</summary>
    [Theory]
    [MemberData(nameof(Adapters.All), MemberType = typeof(Adapters))]
    public async Task A_trade_cancelled_while_the_planner_solves_gets_no_shipments_and_the_route_it_shared_waits_for_the_next_run(string adapter)
    {
        await using var s = StoreUnderTest.Create(adapter);
        await SeedAsync(s.Store);
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var other = new TransferOrder(Guid.NewGuid(), Guid.NewGuid(), 0, "roanne", "lyon", Towns.Roanne, Towns.Lyon, "firewood", 100, 100,
            null, null, TransferStatus.Pending, now.AddMilliseconds(1));
        await using (var add = await s.Store.BeginAsync())
        {
            await add.AddTransferAsync(other);
            await add.CommitAsync();
        }
        IReadOnlyList<TransferOrder> cancelled = [];
        var planning = Planning(async () =>
        {
            // What a stop of the first trade writes (TradeStops): the trade remembered as cancelled, its pending legs dropped.
            await using var session = await s.Store.BeginAsync();
            cancelled = (await session.PendingTransfersAsync(100)).Where(t => t.TradeId != other.TradeId).ToList();
            await session.MarkTradeCancelledAsync(cancelled[0].TradeId, "cancelled by an operator", DateTimeOffset.UtcNow);
            foreach (var t in cancelled) await session.SetTransferStatusAsync(t.Id, TransferStatus.Cancelled);
            await session.CommitAsync();
        });

        var run = await planning.PlanPendingAsync(s.Store, 100, CancellationToken.None);

        Assert.Equal(2, cancelled.Count);
        Assert.Empty(run.Shipments);
        await using var read = await s.Store.BeginAsync();
        Assert.Empty(await read.ShipmentsOfTradeAsync(cancelled[0].TradeId));
        Assert.Equal([other.Id], (await read.PendingTransfersAsync(100)).Select(t => t.Id));
    }

    [Theory]
    [MemberData(nameof(Adapters.All), MemberType = typeof(Adapters))]
    public async Task A_vehicle_left_alone_while_the_planner_solves_carries_what_it_was_planned_for(string adapter)
    {
        await using var s = StoreUnderTest.Create(adapter);
        var van = await SeedAsync(s.Store);

        var run = await Planning(() => Task.CompletedTask).PlanPendingAsync(s.Store, 100, CancellationToken.None);

        Assert.Equal(2, run.Shipments.Count);
        Assert.All(run.Shipments, sh => Assert.Equal(van.Id, sh.VehicleId));
    }

    [Theory]
    [MemberData(nameof(Adapters.All), MemberType = typeof(Adapters))]
    public async Task Legs_ready_only_after_the_horizon_do_not_take_a_runs_places_from_legs_it_can_plan(string adapter)
    {
        await using var s = StoreUnderTest.Create(adapter);
        var van = await SeedAsync(s.Store);
        // Older than the seeded legs, and ready only next season: the run leaves it pending, so it must not be one of the
        // run's places, or with a place for one leg it would be the only leg every run read until next season.
        var now = DateTimeOffset.UtcNow;
        var nextSeason = new TransferOrder(Guid.NewGuid(), Guid.NewGuid(), 0, "roanne", "lyon", Towns.Roanne, Towns.Lyon, "firewood", 100, 100,
            now + Settings.PlanningHorizon + TimeSpan.FromDays(60), null, TransferStatus.Pending, now.AddDays(-1));
        await using (var session = await s.Store.BeginAsync())
        {
            await session.AddTransferAsync(nextSeason);
            await session.CommitAsync();
        }

        var run = await Planning(() => Task.CompletedTask).PlanPendingAsync(s.Store, 1, CancellationToken.None);

        var planned = Assert.Single(run.Shipments);
        Assert.Equal(van.Id, planned.VehicleId);
        await using var read = await s.Store.BeginAsync();
        Assert.Equal(TransferStatus.Pending, (await read.TransferAsync(nextSeason.Id))!.Status);
    }

    [Theory]
    [MemberData(nameof(Adapters.All), MemberType = typeof(Adapters))]
    public async Task Legs_ready_after_the_hours_a_run_offers_its_vans_do_not_take_its_places_from_legs_ready_now(string adapter)
    {
        await using var s = StoreUnderTest.Create(adapter);
        // The van is offered until tonight; a leg ready tomorrow is inside the horizon but waits all the same. Older than
        // the legs ready now, it was read first and filled the run's one place: the run planned nothing, and would have
        // until tomorrow, while legs ready today missed their day.
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var van = new Vehicle("van-roanne", "roanne", Towns.Roanne, "van", 2000, null, false, 0.5, 20, now.AddHours(-1), now.AddHours(9), now, now);
        var tomorrow = new TransferOrder(Guid.NewGuid(), Guid.NewGuid(), 0, "roanne", "lyon", Towns.Roanne, Towns.Lyon, "firewood", 100, 100,
            now.AddDays(1), null, TransferStatus.Pending, now.AddDays(-1));
        var today = new TransferOrder(Guid.NewGuid(), Guid.NewGuid(), 0, "roanne", "lyon", Towns.Roanne, Towns.Lyon, "firewood", 100, 100,
            null, null, TransferStatus.Pending, now);
        await using (var session = await s.Store.BeginAsync())
        {
            await session.AddVehicleAsync(van);
            await session.AddTransferAsync(tomorrow);
            await session.AddTransferAsync(today);
            await session.CommitAsync();
        }

        var run = await Planning(() => Task.CompletedTask).PlanPendingAsync(s.Store, 1, CancellationToken.None);

        var planned = Assert.Single(run.Shipments);
        Assert.Equal((today.Id, van.Id), (planned.TransferId, planned.VehicleId));
        await using var read = await s.Store.BeginAsync();
        Assert.Equal(TransferStatus.Pending, (await read.TransferAsync(tomorrow.Id))!.Status);
    }

    private static ShipmentPlanning Planning(Func<Task> whileSolving) =>
        new(new MeanwhilePlanner(new FleetShipmentPlanner(new DirectTripPlanner(TransportModel.From(Settings)), Options.Create(Settings),
            NullLogger<FleetShipmentPlanner>.Instance), whileSolving), TimeProvider.System, Options.Create(Settings), NullLogger<ShipmentPlanning>.Instance);

    private static async Task<Vehicle> SeedAsync(ILogisticsStore store)
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var trade = Guid.NewGuid();
        var van = new Vehicle("van-roanne", "roanne", Towns.Roanne, "van", 2000, null, false, 0.5, 20, null, null, now, now);
        await using var session = await store.BeginAsync();
        await session.AddVehicleAsync(van);
        await session.AddTransferAsync(new TransferOrder(Guid.NewGuid(), trade, 0, "roanne", "lyon", Towns.Roanne, Towns.Lyon, "firewood", 100, 100,
            null, null, TransferStatus.Pending, now));
        await session.AddTransferAsync(new TransferOrder(Guid.NewGuid(), trade, 1, "lyon", "roanne", Towns.Lyon, Towns.Roanne, "firewood", 100, 100,
            null, null, TransferStatus.Pending, now));
        await session.CommitAsync();
        return van;
    }

    /// <summary>Something another request does while the planner runs.</summary>
    private sealed class MeanwhilePlanner(IShipmentPlanner inner, Func<Task> whileSolving) : IShipmentPlanner
    {
        public async Task<IReadOnlyList<PlannedShipment>> PlanAsync(IReadOnlyList<TransferOrder> pending, PlanningContext ctx, CancellationToken ct)
        {
            var planned = await inner.PlanAsync(pending, ctx, ct);
            await whileSolving();
            return planned;
        }

        public DateTimeOffset? ReadyBefore(PlanningContext ctx) => inner.ReadyBefore(ctx);
    }
}
