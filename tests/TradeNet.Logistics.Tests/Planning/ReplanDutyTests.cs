using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TradeNet.Contracts;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Planning;
using TradeNet.Logistics.Storage;
using TradeNet.Logistics.Tests.Storage;
using Vehicle = TradeNet.Logistics.Domain.Vehicle;

namespace TradeNet.Logistics.Tests.Planning;

/// <summary>
/// A route re-planned after a cancellation keeps the driver's duty as the planning run that made it did
/// (<see cref="DutyRules"/>): the van below drove a full day (9 h 15 of its 10) until a quarter of an hour ago, so the
/// run gave it its next route only after the 11-hour rest. Cancelling one trade on that route must not pull the route
/// into the rest. The real planner, store and stop, as the TradeCancelled consumer runs them.
/// </summary>
public class ReplanDutyTests
{
    private static readonly LogisticsOptions Settings = new() { PlanningTimeLimit = TimeSpan.FromMilliseconds(300) };
    private static readonly TimeSpan Rest = TimeSpan.FromHours(Settings.RestHours);

    [Theory]
    [MemberData(nameof(Adapters.All), MemberType = typeof(Adapters))]
    public async Task A_route_replanned_after_a_cancellation_still_leaves_only_after_the_rest_its_drivers_full_day_earned(string adapter)
    {
        await using var s = StoreUnderTest.Create(adapter);
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var van = await RegisterAsync(s.Store, now);
        var home = now.AddMinutes(-15);
        await DroveAsync(s.Store, van, now.AddHours(-9.5), home);
        var (kept, cancelled) = (Guid.NewGuid(), Guid.NewGuid());
        await PendingAsync(s.Store, now, Leg(kept, 0, "roanne", Towns.Roanne, "lyon", Towns.Lyon), Leg(kept, 1, "lyon", Towns.Lyon, "roanne", Towns.Roanne),
            Leg(cancelled, 0, "tarare", Towns.Tarare, "lyon", Towns.Lyon));
        var planning = Planning();
        var run = await planning.PlanPendingAsync(s.Store, 100, CancellationToken.None);
        // As the run planned it: the three legs on one route of the van, after the rest.
        var route = Assert.Single(run.Routes);
        Assert.Equal(3, run.Shipments.Count);
        Assert.All(run.Shipments, sh => Assert.Equal(van.Id, sh.VehicleId));
        Assert.True(run.Shipments[0].Stops[0].Eta >= home + Rest, $"the run sent the van at {run.Shipments[0].Stops[0].Eta:u}, in its rest");

        await StopAsync(s.Store, planning, cancelled, now);

        var after = await s.Store.ShipmentsAsync(new ShipmentQuery(TradeId: kept));
        Assert.Equal(2, after.Count);
        Assert.All(after, sh => Assert.Equal((van.Id, ShipmentStatus.Planned), (sh.VehicleId, sh.Status)));
        // Re-planned (a new route without Tarare), not merely kept: the duty bounds the hours offered, it does not forbid the re-plan.
        Assert.All(after, sh => Assert.NotEqual(route, sh.RouteId));
        Assert.All(after, sh => Assert.DoesNotContain(sh.Stops, x => x.TownId == "tarare"));
        Assert.All(after, sh => Assert.True(sh.Stops[0].Eta >= home + Rest,
            $"route {sh.RouteId} (was {route}) leaves at {sh.Stops[0].Eta:u}, {(sh.Stops[0].Eta - home).TotalHours:F1} h after the van came " +
            $"home from a full day: before its {Rest.TotalHours} h rest ended"));
    }

    [Theory]
    [MemberData(nameof(Adapters.All), MemberType = typeof(Adapters))]
    public async Task A_replan_that_would_leave_the_vans_next_route_beyond_its_duty_keeps_the_old_plan(string adapter)
    {
        await using var s = StoreUnderTest.Create(adapter);
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var van = await RegisterAsync(s.Store, now);
        // The route to re-plan (3 h) and, a full rest after it, the van's next route (7 h).
        var (kept, cancelled, later) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var route = Guid.NewGuid();
        await PlannedAsync(s.Store, van, route, now.AddHours(1), now.AddHours(4),
            Leg(kept, 0, "roanne", Towns.Roanne, "lyon", Towns.Lyon), Leg(cancelled, 0, "tarare", Towns.Tarare, "lyon", Towns.Lyon));
        await PlannedAsync(s.Store, van, Guid.NewGuid(), now.AddHours(15), now.AddHours(22), Leg(later, 0, "roanne", Towns.Roanne, "lyon", Towns.Lyon));
        // The planner answers with a 4-hour route in the slot (within the van's 10 h, back before the next route leaves),
        // but back only 10 h before the next route: one duty of 4 + 7 = 11 h.
        var planning = Planning(new FixedPlanner(now.AddHours(1), now.AddHours(5)));

        await StopAsync(s.Store, planning, cancelled, now);

        var after = Assert.Single(await s.Store.ShipmentsAsync(new ShipmentQuery(TradeId: kept)));
        Assert.Equal((route, ShipmentStatus.Planned, now.AddHours(4)), (after.RouteId, after.Status, after.Stops[^1].Eta));
    }

    private static ShipmentPlanning Planning(IShipmentPlanner? planner = null) =>
        new(planner ?? new FleetShipmentPlanner(new DirectTripPlanner(TransportModel.From(Settings)), Options.Create(Settings),
                NullLogger<FleetShipmentPlanner>.Instance),
            TimeProvider.System, Options.Create(Settings), NullLogger<ShipmentPlanning>.Instance);

    /// <summary>Places every transfer on one route of the first vehicle offered, leaving and back at fixed times.</summary>
    private sealed class FixedPlanner(DateTimeOffset leaves, DateTimeOffset back) : IShipmentPlanner
    {
        public Task<IReadOnlyList<PlannedShipment>> PlanAsync(IReadOnlyList<TransferOrder> pending, PlanningContext ctx, CancellationToken ct)
        {
            var (van, route) = (ctx.Vehicles[0], Guid.NewGuid());
            return Task.FromResult<IReadOnlyList<PlannedShipment>>(
                [.. pending.Select(t => new PlannedShipment(t, van.HomeTown, van.Id, route, 87, 30, back.AddHours(-1), Stops(t, leaves, back)))]);
        }
    }

    /// <summary>A route already planned on the van: its legs planned, a shipment each.</summary>
    private static async Task PlannedAsync(ILogisticsStore store, Vehicle van, Guid route, DateTimeOffset leaves, DateTimeOffset back,
        params TransferOrder[] legs)
    {
        await using var session = await store.BeginAsync();
        foreach (var leg in legs)
        {
            Assert.True(await session.AddTransferAsync(leg with { Status = TransferStatus.Planned, CreatedAt = leaves.AddHours(-2) }));
            await session.AddShipmentAsync(new Shipment(Guid.NewGuid(), leg.TradeId, leg.LegIndex, leg.Id, leg.FromTown, leg.ToTown, van.HomeTown,
                van.Id, route, ShipmentStatus.Planned, 87, 30, back.AddHours(-1), Stops(leg, leaves, back), leaves.AddHours(-2)));
        }
        await session.CommitAsync();
    }

    private static ShipmentStop[] Stops(TransferOrder leg, DateTimeOffset leaves, DateTimeOffset back) =>
    [
        new(1, "roanne", FleetShipmentPlanner.DepartAction, leaves), new(2, leg.FromTown, DirectTripPlanner.PickupAction, leaves.AddMinutes(30)),
        new(3, leg.ToTown, DirectTripPlanner.DeliveryAction, back.AddHours(-1)), new(4, "roanne", FleetShipmentPlanner.ReturnAction, back),
    ];

    /// <summary>As the TradeCancelled consumer stops a trade: in one write, goods on the road left to finish.</summary>
    private static async Task StopAsync(ILogisticsStore store, ShipmentPlanning planning, Guid trade, DateTimeOffset now)
    {
        await using var session = await store.BeginAsync();
        var outcome = await new TradeStops(planning, TimeProvider.System).StopAsync(session, trade, "a town withdrew", refuseWhileMoving: false,
            CancellationToken.None);
        Assert.True(outcome.Stopped);
        await session.CommitAsync();
    }

    private static async Task<Vehicle> RegisterAsync(ILogisticsStore store, DateTimeOffset now)
    {
        var van = new Vehicle("van-roanne", "roanne", Towns.Roanne, "van", 2000, null, true, 0.5, 20, null, null, now, now);
        await using var session = await store.BeginAsync();
        await session.AddVehicleAsync(van);
        await session.CommitAsync();
        return van;
    }

    /// <summary>A route the van drove (its one leg delivered), leaving home at <paramref name="leaves"/>, back at <paramref name="back"/>.</summary>
    private static async Task DroveAsync(ILogisticsStore store, Vehicle van, DateTimeOffset leaves, DateTimeOffset back)
    {
        var leg = Leg(Guid.NewGuid(), 0, "roanne", Towns.Roanne, "lyon", Towns.Lyon) with { Status = TransferStatus.Delivered, CreatedAt = leaves };
        var delivered = back.AddHours(-2);
        await using var session = await store.BeginAsync();
        await session.AddTransferAsync(leg);
        await session.AddShipmentAsync(new Shipment(Guid.NewGuid(), leg.TradeId, 0, leg.Id, "roanne", "lyon", van.HomeTown, van.Id, Guid.NewGuid(),
            ShipmentStatus.Delivered, 87, 60, delivered,
            [new ShipmentStop(1, "roanne", FleetShipmentPlanner.DepartAction, leaves), new ShipmentStop(2, "roanne", DirectTripPlanner.PickupAction, leaves),
             new ShipmentStop(3, "lyon", DirectTripPlanner.DeliveryAction, delivered), new ShipmentStop(4, "roanne", FleetShipmentPlanner.ReturnAction, back)],
            leaves, PickedUpAt: leaves, DeliveredAt: delivered));
        await session.CommitAsync();
    }

    private static async Task PendingAsync(ILogisticsStore store, DateTimeOffset now, params TransferOrder[] legs)
    {
        await using var session = await store.BeginAsync();
        foreach (var leg in legs) Assert.True(await session.AddTransferAsync(leg with { CreatedAt = now }));
        await session.CommitAsync();
    }

    private static TransferOrder Leg(Guid trade, int index, string from, TradePoint at, string to, TradePoint toPoint) =>
        new(Guid.NewGuid(), trade, index, from, to, at, toPoint, "cheese", 40, 40, null, null, TransferStatus.Pending, DateTimeOffset.UtcNow);
}
