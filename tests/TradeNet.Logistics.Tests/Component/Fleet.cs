using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using TradeNet.Contracts;
using TradeNet.Logistics.Api;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.Component;

/// <summary>Vehicles and planning runs through the REST API, as carriers and operators use them.</summary>
internal static class Fleet
{
    public static object Van(TradePoint home, double capacityKg = 2000, bool chilled = true, double costPerKm = 0.5, double fixedCost = 20,
        string? homeTown = null, string? name = "van") =>
        new { homeTown, homeLat = home.Lat, homeLon = home.Lon, name, capacityKg, chilled, costPerKm, fixedCost };

    public static async Task<VehicleView> RegisterAsync(this LogisticsApp app, AuthenticationHeaderValue auth, object vehicle)
    {
        var response = await app.SendAsync(HttpMethod.Post, "/api/logistics/vehicles", auth, vehicle);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<VehicleView>(LogisticsApp.Json))!;
    }

    public static async Task<PlanningRunView> PlanAsync(this LogisticsApp app)
    {
        var response = await app.SendAsync(HttpMethod.Post, "/api/logistics/plans", TestSettings.OperatorAuth());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<PlanningRunView>(LogisticsApp.Json))!;
    }

    /// <summary>A swap between fresh towns at Roanne and Lyon, planned into Roanne's van: leg 0 goes to Lyon, leg 1 back
    /// (legs in order).</summary>
    public static async Task<(string Roanne, string Lyon, Guid Trade, ShipmentView[] Legs)> PlannedSwapInRoannesVanAsync(this LogisticsApp app)
    {
        var (roanne, lyon, _) = Towns.Fresh();
        await app.RegisterAsync(TestSettings.TownAuth(roanne), Van(Towns.Roanne));
        var trade = Guid.NewGuid();
        await app.PublishAsync(Towns.SwapBetween(trade, roanne, Towns.Roanne, lyon, Towns.Lyon));
        await app.PlanAsync();
        var legs = (await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth())).OrderBy(s => s.LegIndex).ToArray();
        return (roanne, lyon, trade, legs);
    }

    public static async Task<RouteView> RouteAsync(this LogisticsApp app, Guid routeId, AuthenticationHeaderValue? auth = null)
    {
        var response = await app.SendAsync(HttpMethod.Get, $"/api/logistics/routes/{routeId}", auth ?? TestSettings.OperatorAuth());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<RouteView>(LogisticsApp.Json))!;
    }

    public static async Task<TradeTransportCost> TradeCostAsync(this LogisticsApp app, Guid tradeId)
    {
        var response = await app.SendAsync(HttpMethod.Get, $"/api/logistics/trades/{tradeId}/cost", TestSettings.OperatorAuth());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<TradeTransportCost>(LogisticsApp.Json))!;
    }
}
