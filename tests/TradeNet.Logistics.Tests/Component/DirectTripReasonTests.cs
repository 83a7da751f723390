using System.Net.Http.Json;
using System.Text.Json;
using TradeNet.Logistics.Api;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.Component;

/// <summary>Why a leg goes as a direct trip, where a coordinator looks: the shipment, the trade's transfers and the
/// planning run's answer, not only the server log.</summary>
/// <remarks>A host per test: the fleet is global to a host.</remarks>
public sealed class DirectTripReasonTests : IDisposable
{
    private readonly LogisticsApp app = new();

    public void Dispose() => app.Dispose();

    private async Task<TransferView[]> TransfersAsync(Guid trade)
    {
        var response = await app.SendAsync(HttpMethod.Get, $"/api/logistics/trades/{trade}/transfers", TestSettings.OperatorAuth());
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TransferView[]>(LogisticsApp.Json))!;
    }

    private async Task<ShipmentView> ShipmentAsync(Guid id, string town)
    {
        var response = await app.SendAsync(HttpMethod.Get, $"/api/logistics/shipments/{id}", TestSettings.TownAuth(town));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<ShipmentView>(LogisticsApp.Json))!;
    }

    [Fact]
    public async Task Cheese_the_unchilled_fleet_cannot_carry_goes_direct_saying_so_on_its_shipment_its_transfer_and_the_run()
    {
        var (roanne, lyon, _) = Towns.Fresh();
        await app.RegisterAsync(TestSettings.TownAuth(roanne), Fleet.Van(Towns.Roanne, chilled: false));
        var trade = Guid.NewGuid();
        await app.PublishAsync(Towns.SwapBetween(trade, roanne, Towns.Roanne, lyon, Towns.Lyon, "cheese"));

        var run = await app.PlanAsync();
        var listed = await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth());
        var cheese = Assert.Single(listed, s => s.LegIndex == 0);
        var firewood = Assert.Single(listed, s => s.LegIndex == 1);
        var read = await ShipmentAsync(cheese.Id, roanne);
        var transfers = await TransfersAsync(trade);

        Assert.Equal("direct-" + roanne, cheese.VehicleId);
        Assert.Equal("NoChilledVehicle", cheese.DirectTripReason!.Code);
        Assert.Contains("chilled", cheese.DirectTripReason.Message);
        Assert.False(string.IsNullOrWhiteSpace(cheese.DirectTripReason.Detail));
        Assert.Equal(cheese.DirectTripReason, read.DirectTripReason);
        Assert.Equal(cheese.DirectTripReason, transfers[0].DirectTripReason);
        // The firewood rides the van: no reason anywhere.
        Assert.Null(firewood.DirectTripReason);
        Assert.Null(transfers[1].DirectTripReason);
        Assert.Equal(1, run.DirectTrips);
        Assert.Equal(new Dictionary<string, int> { ["NoChilledVehicle"] = 1 }, run.DirectTripReasons);
    }

    [Fact]
    public async Task Without_any_vehicle_registered_each_leg_goes_direct_saying_there_is_no_fleet()
    {
        var (roanne, lyon, _) = Towns.Fresh();
        var trade = Guid.NewGuid();

        await app.PublishAsync(Towns.SwapBetween(trade, roanne, Towns.Roanne, lyon, Towns.Lyon));
        var shipments = await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth());
        var transfers = await TransfersAsync(trade);

        Assert.Equal(2, shipments.Length);
        Assert.All(shipments, s => Assert.Equal(("NoFleet", null), (s.DirectTripReason!.Code, s.DirectTripReason.Detail)));
        Assert.All(transfers, t => Assert.Equal("NoFleet", t.DirectTripReason!.Code));
        Assert.Contains("No vehicle is registered", shipments[0].DirectTripReason!.Message);
    }

    [Fact]
    public async Task An_operator_listing_planned_transfers_sees_which_go_direct_and_why()
    {
        var (roanne, lyon, _) = Towns.Fresh();
        await app.RegisterAsync(TestSettings.TownAuth(roanne), Fleet.Van(Towns.Roanne, chilled: false));
        var trade = Guid.NewGuid();
        await app.PublishAsync(Towns.SwapBetween(trade, roanne, Towns.Roanne, lyon, Towns.Lyon, "cheese"));
        await app.PlanAsync();

        var response = await app.SendAsync(HttpMethod.Get, "/api/logistics/transfers?status=planned&limit=500", TestSettings.OperatorAuth());
        response.EnsureSuccessStatusCode();
        var planned = (await response.Content.ReadFromJsonAsync<TransferView[]>(LogisticsApp.Json))!.Where(t => t.TradeId == trade).ToList();

        Assert.Equal(2, planned.Count);
        Assert.Equal("NoChilledVehicle", Assert.Single(planned, t => t.LegIndex == 0).DirectTripReason!.Code);
        Assert.Null(Assert.Single(planned, t => t.LegIndex == 1).DirectTripReason);
    }

    [Fact]
    public async Task A_planning_run_that_sends_nothing_direct_counts_no_reasons()
    {
        var (roanne, lyon, _) = Towns.Fresh();
        await app.RegisterAsync(TestSettings.TownAuth(roanne), Fleet.Van(Towns.Roanne));
        await app.PublishAsync(Towns.SwapBetween(Guid.NewGuid(), roanne, Towns.Roanne, lyon, Towns.Lyon));

        var response = await app.SendAsync(HttpMethod.Post, "/api/logistics/plans", TestSettings.OperatorAuth());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(0, body.GetProperty("directTrips").GetInt32());
        Assert.Equal(JsonValueKind.Object, body.GetProperty("directTripReasons").ValueKind);
        Assert.Empty(body.GetProperty("directTripReasons").EnumerateObject());
    }
}
