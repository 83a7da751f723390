using Microsoft.Extensions.DependencyInjection;
using TradeNet.Contracts;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Storage;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.Component;

/// <remarks>A host per test: the fleet is global to a host, and each test wants only its own vehicle.</remarks>
public sealed class ReplanningTests : IDisposable
{
    private readonly LogisticsApp app = new();

    public void Dispose() => app.Dispose();

    [Fact]
    public async Task A_trade_cancelled_before_pickup_leaves_the_route_and_the_other_trade_is_replanned_alone()
    {
        var (roanne, lyon, tarare) = Towns.Fresh();
        var van = await app.RegisterAsync(TestSettings.TownAuth(roanne), Fleet.Van(Towns.Roanne));
        var (kept, cancelled) = (Guid.NewGuid(), Guid.NewGuid());
        var cancelledTrade = Towns.SwapBetween(cancelled, tarare, Towns.Tarare, lyon, Towns.Lyon, "honey", 30);
        await app.PublishAsync(Towns.SwapBetween(kept, roanne, Towns.Roanne, lyon, Towns.Lyon));
        await app.PublishAsync(cancelledTrade);
        await app.PlanAsync();
        var before = await app.ShipmentsOfTradeAsync(kept, TestSettings.OperatorAuth());
        var sharedRoute = before[0].RouteId;
        var sharedCost = (await app.RouteAsync(sharedRoute)).Cost;

        await app.PublishAsync(new TradeCancelled(cancelled, "a town withdrew", true, cancelledTrade.Legs));

        var gone = await app.ShipmentsOfTradeAsync(cancelled, TestSettings.OperatorAuth());
        Assert.All(gone, s => Assert.Equal(ShipmentStatus.Cancelled, s.Status));
        Assert.All(await app.Services.GetRequiredService<ILogisticsStore>().TransfersOfTradeAsync(cancelled), t => Assert.Equal(TransferStatus.Cancelled, t.Status));

        var after = await app.ShipmentsOfTradeAsync(kept, TestSettings.OperatorAuth());
        var newRoute = Assert.Single(after.Select(s => s.RouteId).Distinct());
        Assert.NotEqual(sharedRoute, newRoute);
        Assert.Equal(before.Select(s => s.Id).Order(), after.Select(s => s.Id).Order());
        Assert.All(after, s => Assert.Equal((van.Id, ShipmentStatus.Planned), (s.VehicleId, s.Status)));
        Assert.All(after, s => Assert.DoesNotContain(s.Stops, x => x.TownId == tarare));
        var route = await app.RouteAsync(newRoute);
        Assert.Equal(route.Cost, (await app.TradeCostAsync(kept)).Cost, 6);
        Assert.True(route.Cost < sharedCost);
        foreach (var shipment in after)
            await app.PublishedAsync<ShipmentPlanned>(e => e.ShipmentId == shipment.Id && e.RouteId == newRoute);
    }

    [Fact]
    public async Task A_trade_cancelled_while_its_transfers_wait_for_planning_is_never_planned()
    {
        var (roanne, lyon, _) = Towns.Fresh();
        await app.RegisterAsync(TestSettings.TownAuth(roanne), Fleet.Van(Towns.Roanne));
        var trade = Guid.NewGuid();
        var agreed = Towns.SwapBetween(trade, roanne, Towns.Roanne, lyon, Towns.Lyon);
        await app.PublishAsync(agreed);

        await app.PublishAsync(new TradeCancelled(trade, "changed their mind", true, agreed.Legs));
        await app.PlanAsync();

        Assert.Empty(await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth()));
        Assert.All(await app.Services.GetRequiredService<ILogisticsStore>().TransfersOfTradeAsync(trade), t => Assert.Equal(TransferStatus.Cancelled, t.Status));
    }

    [Fact]
    public async Task Once_goods_are_on_board_a_cancelled_trade_only_removes_its_own_stops()
    {
        var (roanne, lyon, tarare) = Towns.Fresh();
        await app.RegisterAsync(TestSettings.TownAuth(roanne), Fleet.Van(Towns.Roanne));
        var (kept, cancelled) = (Guid.NewGuid(), Guid.NewGuid());
        var cancelledTrade = Towns.SwapBetween(cancelled, tarare, Towns.Tarare, lyon, Towns.Lyon, "honey", 30);
        await app.PublishAsync(Towns.SwapBetween(kept, roanne, Towns.Roanne, lyon, Towns.Lyon));
        await app.PublishAsync(cancelledTrade);
        await app.PlanAsync();
        var leaving = (await app.ShipmentsOfTradeAsync(kept, TestSettings.OperatorAuth())).Single(s => s.LegIndex == 0);
        await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{leaving.Id}/pickup", TestSettings.TownAuth(roanne));

        await app.PublishAsync(new TradeCancelled(cancelled, "a town withdrew", true, cancelledTrade.Legs));

        var after = await app.ShipmentsOfTradeAsync(kept, TestSettings.OperatorAuth());
        Assert.All(after, s => Assert.Equal(leaving.RouteId, s.RouteId));
        Assert.All(after, s => Assert.DoesNotContain(s.Stops, x => x.TownId == tarare));
        Assert.Equal(ShipmentStatus.PickedUp, after.Single(s => s.LegIndex == 0).Status);
    }
}
