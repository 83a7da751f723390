using System.Net;
using TradeNet.Contracts;
using TradeNet.Logistics.Domain;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.Component;

/// <summary>Re-planning after a cancellation on a vehicle that has other routes, or that was withdrawn: the van based
/// in Roanne serves trades on the Roanne – Tarare – Lyon road.</summary>
/// <remarks>A host per test: the fleet is global to a host, and each test wants only its own vehicle.</remarks>
public sealed class ReplanningBookedVehicleTests : IDisposable
{
    private readonly LogisticsApp app = new();

    public void Dispose() => app.Dispose();

    [Fact]
    public async Task A_route_replanned_after_a_cancellation_leaves_no_earlier_than_the_vans_earlier_route_brings_it_home()
    {
        var (roanne, lyon, tarare) = Towns.Fresh();
        var van = await app.RegisterAsync(TestSettings.TownAuth(roanne), Fleet.Van(Towns.Roanne));
        var (earlier, later) = await TwoRoutesAsync(roanne, lyon, tarare);

        await app.PublishAsync(new TradeCancelled(later.Cancelled.TradeId, "a town withdrew", true, later.Cancelled.Legs));

        var after = await app.ShipmentsOfTradeAsync(later.Kept, TestSettings.OperatorAuth());
        var rerouted = Assert.Single(after.Select(s => s.RouteId).Distinct());
        Assert.NotEqual(later.RouteId, rerouted);
        Assert.All(after, s => Assert.Equal((van.Id, ShipmentStatus.Planned), (s.VehicleId, s.Status)));
        var back = earlier.Stops[^1].Eta;
        Assert.True(after[0].Stops[0].Eta >= back,
            $"the re-planned route leaves at {after[0].Stops[0].Eta:HH:mm:ss}, before the earlier route is back at {back:HH:mm:ss}");
    }

    [Fact]
    public async Task A_route_the_van_no_longer_has_free_hours_for_keeps_its_plan_without_the_cancelled_trades_stops()
    {
        var (roanne, lyon, tarare) = Towns.Fresh();
        var van = await app.RegisterAsync(TestSettings.TownAuth(roanne), Fleet.Van(Towns.Roanne));
        var (earlier, later) = await TwoRoutesAsync(roanne, lyon, tarare);
        // The carrier now has the van only until shortly after the earlier route: no new route fits after it.
        var shortened = await app.SendAsync(HttpMethod.Put, $"/api/logistics/vehicles/{van.Id}", TestSettings.TownAuth(roanne),
            new { homeLat = Towns.Roanne.Lat, homeLon = Towns.Roanne.Lon, name = "van", capacityKg = 2000, chilled = true, costPerKm = 0.5,
                fixedCost = 20, availableUntil = earlier.Stops[^1].Eta.AddMinutes(10) });
        Assert.Equal(HttpStatusCode.OK, shortened.StatusCode);

        await app.PublishAsync(new TradeCancelled(later.Cancelled.TradeId, "a town withdrew", true, later.Cancelled.Legs));

        var after = await app.ShipmentsOfTradeAsync(later.Kept, TestSettings.OperatorAuth());
        Assert.All(after, s => Assert.Equal((later.RouteId, van.Id, roanne, ShipmentStatus.Planned), (s.RouteId, s.VehicleId, s.CarrierTown, s.Status)));
        Assert.All(after, s => Assert.DoesNotContain(s.Stops, x => x.TownId == tarare));
    }

    [Fact]
    public async Task After_its_vehicle_is_withdrawn_a_cancellation_leaves_the_other_trade_on_that_vehicles_route_not_on_other_carriers()
    {
        var (roanne, lyon, tarare) = Towns.Fresh();
        var van = await app.RegisterAsync(TestSettings.TownAuth(roanne), Fleet.Van(Towns.Roanne));
        var (kept, cancelled) = (Guid.NewGuid(), Guid.NewGuid());
        var cancelledTrade = Towns.SwapBetween(cancelled, tarare, Towns.Tarare, lyon, Towns.Lyon, "honey", 30);
        await app.PublishAsync(Towns.SwapBetween(kept, roanne, Towns.Roanne, lyon, Towns.Lyon));
        await app.PublishAsync(cancelledTrade);
        var route = Assert.Single((await app.PlanAsync()).Routes);
        var withdrawn = await app.SendAsync(HttpMethod.Delete, $"/api/logistics/vehicles/{van.Id}", TestSettings.OperatorAuth());
        Assert.Equal(HttpStatusCode.NoContent, withdrawn.StatusCode);

        await app.PublishAsync(new TradeCancelled(cancelled, "a town withdrew", true, cancelledTrade.Legs));

        var after = await app.ShipmentsOfTradeAsync(kept, TestSettings.OperatorAuth());
        Assert.Equal(2, after.Length);
        Assert.All(after, s => Assert.Equal((route, van.Id, roanne, ShipmentStatus.Planned), (s.RouteId, s.VehicleId, s.CarrierTown, s.Status)));
        Assert.All(after, s => Assert.DoesNotContain(s.Stops, x => x.TownId == tarare));
        await app.OutboxDrainedAsync();
        Assert.Empty(app.Published<ShipmentPlanned>(e => after.Any(s => s.Id == e.ShipmentId) && e.VehicleId != van.Id));
    }

    private sealed record LaterRoute(Guid RouteId, TradeAgreed Cancelled, Guid Kept);

    /// <summary>A first run sends the van to Lyon for one trade; a second run gives it a later route for a trade from
    /// Tarare (to be cancelled) and an eggs trade from Roanne (to be kept).</summary>
    private async Task<(Api.RouteView Earlier, LaterRoute Later)> TwoRoutesAsync(string roanne, string lyon, string tarare)
    {
        await app.PublishAsync(Towns.SwapBetween(Guid.NewGuid(), roanne, Towns.Roanne, lyon, Towns.Lyon));
        var earlier = await app.RouteAsync(Assert.Single((await app.PlanAsync()).Routes));
        var (cancelled, kept) = (Guid.NewGuid(), Guid.NewGuid());
        var cancelledTrade = Towns.SwapBetween(cancelled, tarare, Towns.Tarare, lyon, Towns.Lyon, "honey", 30);
        await app.PublishAsync(cancelledTrade);
        await app.PublishAsync(Towns.SwapBetween(kept, roanne, Towns.Roanne, lyon, Towns.Lyon, "eggs", 30));
        var later = Assert.Single((await app.PlanAsync()).Routes);
        return (earlier, new LaterRoute(later, cancelledTrade, kept));
    }
}
