using System.Net.Http.Json;
using TradeNet.Logistics.Api;
using TradeNet.Logistics.Domain;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.Component;

/// <remarks>A host per test: each one starts the service with its own <c>Logistics:MaxDeliveryAttempts</c>.</remarks>
public class DeliveryAttemptsSettingTests
{
    [Fact]
    public async Task With_a_limit_of_one_the_first_failed_shipment_holds_the_leg()
    {
        using var app = new LogisticsApp { Settings = { ["Logistics:MaxDeliveryAttempts"] = "1" } };
        var (a, b, _) = Towns.Fresh();
        var trade = Guid.NewGuid();
        await app.PublishAsync(Towns.Swap(trade, a, b));
        var shipment = (await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth())).Single(s => s.LegIndex == 0);

        await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{shipment.Id}/failure", TestSettings.TownAuth(a), new { reason = "bridge out" });
        await app.PlanAsync();

        var transfers = await app.SendAsync(HttpMethod.Get, $"/api/logistics/trades/{trade}/transfers", TestSettings.OperatorAuth());
        var leg = (await transfers.Content.ReadFromJsonAsync<TransferView[]>(LogisticsApp.Json))!.Single(t => t.LegIndex == 0);
        Assert.Equal((TransferStatus.Held, 1), (leg.Status, leg.Attempts));
        Assert.Single(await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth()), s => s.LegIndex == 0);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-2")]
    public void A_limit_below_one_stops_the_service_from_starting(string limit)
    {
        using var app = new LogisticsApp { Settings = { ["Logistics:MaxDeliveryAttempts"] = limit } };

        var error = Record.Exception(() => app.CreateClient());

        Assert.NotNull(error);
        Assert.True(error.ToString().Contains("Logistics:MaxDeliveryAttempts", StringComparison.Ordinal), error.ToString());
    }
}
