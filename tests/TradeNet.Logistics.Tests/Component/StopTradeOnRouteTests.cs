using System.Net;
using System.Net.Http.Json;
using TradeNet.Contracts;
using TradeNet.Logistics.Api;
using TradeNet.Logistics.Domain;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.Component;

/// <summary>StopTrade on a route two trades share (Roanne – Tarare – Lyon, a van based in Roanne).</summary>
/// <remarks>A host per test: the fleet is global to a host, and each test wants only its own vehicle.</remarks>
public sealed class StopTradeOnRouteTests : IDisposable
{
    private readonly LogisticsApp app = new();

    public void Dispose() => app.Dispose();

    private async Task<(Guid Kept, Guid Stopped, string Roanne, TradeAgreed StoppedTrade, Guid Route)> SharedRouteAsync()
    {
        var (roanne, lyon, tarare) = Towns.Fresh();
        await app.RegisterAsync(TestSettings.TownAuth(roanne), Fleet.Van(Towns.Roanne));
        var (kept, stopped) = (Guid.NewGuid(), Guid.NewGuid());
        var stoppedTrade = Towns.SwapBetween(stopped, tarare, Towns.Tarare, lyon, Towns.Lyon, "honey", 30);
        await app.PublishAsync(Towns.SwapBetween(kept, roanne, Towns.Roanne, lyon, Towns.Lyon));
        await app.PublishAsync(stoppedTrade);
        await app.PlanAsync();
        var route = Assert.Single((await app.ShipmentsOfTradeAsync(kept, TestSettings.OperatorAuth()))
            .Concat(await app.ShipmentsOfTradeAsync(stopped, TestSettings.OperatorAuth())).Select(s => s.RouteId).Distinct());
        return (kept, stopped, roanne, stoppedTrade, route);
    }

    [Fact]
    public async Task Stopping_a_trade_re_routes_the_other_trade_in_the_same_write_and_the_TradeCancelled_that_follows_changes_nothing()
    {
        var (kept, stopped, _, stoppedTrade, shared) = await SharedRouteAsync();

        var reply = await app.StopTradeAsync(stopped);

        Assert.True(reply.Stopped);
        Assert.All(await app.ShipmentsOfTradeAsync(stopped, TestSettings.OperatorAuth()), s => Assert.Equal(ShipmentStatus.Cancelled, s.Status));
        var after = await app.ShipmentsOfTradeAsync(kept, TestSettings.OperatorAuth());
        var newRoute = Assert.Single(after.Select(s => s.RouteId).Distinct());
        Assert.NotEqual(shared, newRoute);
        foreach (var shipment in after)
            await app.PublishedAsync<ShipmentPlanned>(e => e.ShipmentId == shipment.Id && e.RouteId == newRoute);
        await app.OutboxDrainedAsync();
        var plannedSoFar = app.Published<ShipmentPlanned>(_ => true).Count;

        await app.PublishAsync(new TradeCancelled(stopped, "cancelled by operator ops: stuck", true, stoppedTrade.Legs, []));
        await app.OutboxDrainedAsync();

        Assert.Equal(plannedSoFar, app.Published<ShipmentPlanned>(_ => true).Count);
        Assert.Equal([newRoute], (await app.ShipmentsOfTradeAsync(kept, TestSettings.OperatorAuth())).Select(s => s.RouteId).Distinct());
    }

    [Fact]
    public async Task A_stop_report_racing_the_stop_either_picks_the_goods_up_and_the_stop_is_refused_or_picks_up_nothing_of_the_stopped_trade()
    {
        var (_, stopped, roanne, _, route) = await SharedRouteAsync();
        var tarareStop = (await app.RouteAsync(route)).Stops.First(s => s.Pickups.Any(p => p.TradeId == stopped));

        var report = Task.Run(() => app.SendAsync(HttpMethod.Post, $"/api/logistics/routes/{route}/stops/{tarareStop.Sequence}/done", TestSettings.TownAuth(roanne)));
        var stop = Task.Run(() => app.StopTradeAsync(stopped));
        var (reported, reply) = (await report, await stop);

        var items = reported.StatusCode == HttpStatusCode.OK
            ? (await reported.Content.ReadFromJsonAsync<StopReportItem[]>(LogisticsApp.Json))!
            : [];
        var shipments = await app.ShipmentsOfTradeAsync(stopped, TestSettings.OperatorAuth());
        var pickedUp = items.Where(i => i.Outcome == "applied" && shipments.Any(s => s.Id == i.ShipmentId)).ToList();
        if (reply.Stopped)
        {
            // The carrier's sheet is stale: the stop is gone from the route (404) or its shipment is cancelled (illegal).
            Assert.Empty(pickedUp);
            Assert.All(shipments, s => Assert.Equal(ShipmentStatus.Cancelled, s.Status));
        }
        else
        {
            Assert.Equal(HttpStatusCode.OK, reported.StatusCode);
            Assert.NotEmpty(pickedUp);
            Assert.Equal(shipments.Where(s => s.Status == ShipmentStatus.PickedUp).Select(s => s.LegIndex), reply.LegsOnTheRoad);
        }
    }
}
