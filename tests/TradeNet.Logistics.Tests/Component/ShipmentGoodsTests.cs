using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TradeNet.Logistics.Api;
using TradeNet.Logistics.Domain;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.Component;

/// <summary>What a carrier picks up and a receiver awaits: every shipment answer shows the goods of the leg it carries,
/// read from the leg's transfer. In <see cref="Towns.Swap"/> leg 0 is 40 cheese of 40 kg, leg 1 2 firewood of 900 kg.</summary>
public class ShipmentGoodsTests(LogisticsApp app) : IClassFixture<LogisticsApp>
{
    private static readonly (string?, double?, double?) Cheese = ("cheese", 40, 40);
    private static readonly (string?, double?, double?) Firewood = ("firewood", 2, 900);

    private static (string?, double?, double?) Goods(ShipmentView s) => (s.Category, s.Quantity, s.WeightKg);

    private async Task<(Guid Trade, string A, string B, ShipmentView[] Shipments)> AgreedSwapAsync()
    {
        var (a, b, _) = Towns.Fresh();
        var trade = Guid.NewGuid();
        await app.PublishAsync(Towns.Swap(trade, a, b));
        return (trade, a, b, await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth()));
    }

    private static async Task<ShipmentView> ReadAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ShipmentView>(LogisticsApp.Json))!;
    }

    [Fact]
    public async Task A_shipment_read_by_its_receiver_shows_the_category_quantity_and_weight_of_its_leg()
    {
        var (_, _, b, shipments) = await AgreedSwapAsync();
        var cheese = shipments.Single(s => s.LegIndex == 0);

        var response = await app.SendAsync(HttpMethod.Get, $"/api/logistics/shipments/{cheese.Id}", TestSettings.TownAuth(b));

        Assert.Equal(Cheese, Goods(await ReadAsync(response)));
    }

    [Fact]
    public async Task The_goods_are_spelled_on_the_wire_as_on_a_transfer()
    {
        var (trade, _, _, shipments) = await AgreedSwapAsync();

        var shipment = await app.SendAsync(HttpMethod.Get, $"/api/logistics/shipments/{shipments[0].Id}", TestSettings.OperatorAuth());
        var transfers = await app.SendAsync(HttpMethod.Get, $"/api/logistics/trades/{trade}/transfers", TestSettings.OperatorAuth());

        using var shipmentJson = JsonDocument.Parse(await shipment.Content.ReadAsStringAsync());
        using var transfersJson = JsonDocument.Parse(await transfers.Content.ReadAsStringAsync());
        foreach (var name in new[] { "category", "quantity", "weightKg" })
        {
            Assert.True(shipmentJson.RootElement.TryGetProperty(name, out _), $"a shipment has no \"{name}\"");
            Assert.True(transfersJson.RootElement[0].TryGetProperty(name, out _), $"a transfer has no \"{name}\"");
        }
    }

    [Fact]
    public async Task A_shipment_list_shows_each_shipment_with_the_goods_of_its_own_leg()
    {
        var (trade, a, _, _) = await AgreedSwapAsync();

        var listed = await app.ShipmentsOfTradeAsync(trade, TestSettings.TownAuth(a));

        Assert.Equal(new[] { (0, Cheese), (1, Firewood) }, listed.OrderBy(s => s.LegIndex).Select(s => (s.LegIndex, Goods(s))));
    }

    [Fact]
    public async Task A_towns_list_across_trades_shows_every_shipment_with_its_own_goods()
    {
        var (first, a, b, _) = await AgreedSwapAsync();
        var second = Guid.NewGuid();
        await app.PublishAsync(Towns.SwapBetween(second, a, Towns.Roanne, b, Towns.Lyon, "apples", 75));

        var response = await app.SendAsync(HttpMethod.Get, "/api/logistics/shipments", TestSettings.TownAuth(a));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var listed = (await response.Content.ReadFromJsonAsync<ShipmentView[]>(LogisticsApp.Json))!;
        var expected = new[] { (first, 0, Cheese), (first, 1, Firewood), (second, 0, ("apples", (double?)75, (double?)75)), (second, 1, Firewood) };
        Assert.Equal(expected.OrderBy(e => e.Item1).ThenBy(e => e.Item2),
            listed.Select(s => (s.TradeId, s.LegIndex, Goods(s))).OrderBy(e => e.TradeId).ThenBy(e => e.LegIndex));
    }

    [Fact]
    public async Task The_pickup_delivery_and_failure_answers_show_the_goods_of_the_leg_reported_on()
    {
        var (_, a, b, shipments) = await AgreedSwapAsync();
        var (cheese, firewood) = (shipments.Single(s => s.LegIndex == 0), shipments.Single(s => s.LegIndex == 1));

        var pickup = await ReadAsync(await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{cheese.Id}/pickup", TestSettings.TownAuth(a)));
        var delivery = await ReadAsync(await app.DeliverAsync(cheese.Id, a));
        var failure = await ReadAsync(await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{firewood.Id}/failure",
            TestSettings.TownAuth(b), new { reason = "the cart lost a wheel" }));

        Assert.Equal((ShipmentStatus.PickedUp, Cheese), (pickup.Status, Goods(pickup)));
        Assert.Equal((ShipmentStatus.Delivered, Cheese), (delivery.Status, Goods(delivery)));
        Assert.Equal((ShipmentStatus.Failed, Firewood), (failure.Status, Goods(failure)));
    }

    [Fact]
    public async Task A_repeated_report_answers_with_the_goods_too()
    {
        var (_, a, _, shipments) = await AgreedSwapAsync();
        var cheese = shipments.Single(s => s.LegIndex == 0);
        await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{cheese.Id}/pickup", TestSettings.TownAuth(a));

        var again = await ReadAsync(await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{cheese.Id}/pickup", TestSettings.TownAuth(a)));

        Assert.Equal(Cheese, Goods(again));
    }

    /// <summary>Not reachable through the service: a shipment is written in the same transaction as its transfer (on
    /// SQLite a foreign key insists on it) and transfers are never deleted. Should a damaged store hold one anyway, the
    /// shipment is still shown, without goods, rather than failing the whole answer (or list).</summary>
    [Fact]
    public void A_shipment_whose_transfer_is_missing_is_shown_without_goods()
    {
        var now = DateTimeOffset.UtcNow;
        var orphan = new Shipment(Guid.NewGuid(), Guid.NewGuid(), 0, Guid.NewGuid(), "roanne", "lyon", "roanne", "direct-roanne",
            Guid.NewGuid(), ShipmentStatus.Planned, 50, 25, now.AddHours(1), [], now);

        var view = ShipmentView.From(orphan, transfer: null);

        Assert.Equal((orphan.Id, ShipmentStatus.Planned), (view.Id, view.Status));
        Assert.Equal((null, null, null), Goods(view));
    }
}
