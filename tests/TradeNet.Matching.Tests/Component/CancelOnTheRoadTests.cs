using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TradeNet.Matching.Domain;

namespace TradeNet.Matching.Tests.Component;

public class CancelOnTheRoadTests
{
    [Fact]
    public async Task A_cancel_refused_for_goods_on_the_road_tells_the_operator_to_report_the_trip_failed_on_its_shipment_and_cancel_again()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.AgreeAsync(host);
        host.Logistics!.OnStop = _ => FakeLogistics.Refused(0);

        var response = await host.Operator().PostAsJsonAsync($"/api/matching/trades/{trade.Id}/cancel", new { reason = "carrier vanished" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.Contains("leg 0", detail);
        Assert.Contains($"GET /api/logistics/shipments?trade={trade.Id}", detail);
        Assert.Contains("POST /api/logistics/shipments/{shipmentId}/failure", detail);
        Assert.Contains("then cancels again", detail);
        Assert.Equal(TradeStatus.Agreed, (await host.TradeAsync(trade.Id)).Status);
    }
}
