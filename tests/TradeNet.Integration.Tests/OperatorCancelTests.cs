using System.Net;
using System.Text.Json;
using TradeNet.Integration.Tests.Infrastructure;
using TradeNet.Integration.Tests.Scenarios;
using TradeNet.Testing;

namespace TradeNet.Integration.Tests;

/// <summary>Through the real gateway and RabbitMQ: an operator's way out of an agreed trade that cannot be delivered.</summary>
[Collection(nameof(DistributedCollection))]
public sealed class OperatorCancelTests(DistributedTradeNet tradeNet)
{
    private readonly TradeFlow _flow = new(tradeNet.Gateway, tradeNet.OperatorApiKey);

    [Fact]
    public async Task An_operator_cancels_an_agreed_trade_whose_trip_failed_and_catalog_and_logistics_let_go_of_it()
    {
        await tradeNet.ExplainFailureAsync(async () =>
        {
            var parigny = await _flow.RegisterTown("Parigny", "42166", 45.98915, 4.09301);
            var boisset = await _flow.RegisterTown("Saint-Vincent-de-Boisset", "42294", 46.01015, 4.11611);
            var tradeId = await _flow.AgreeSwap(parigny, boisset, 8);
            var offerId = (await parigny.Client.Get($"/api/matching/trades/{tradeId}")).GetProperty("legs").EnumerateArray()
                .Single(l => l.GetProperty("fromTown").GetString() == parigny.Id).GetProperty("offerId").GetString();
            await Eventually.Until(() => parigny.Client.Get($"/api/catalog/listings/{offerId}"),
                l => l.GetProperty("reserved").GetDouble() > 0, TimeSpan.FromSeconds(30), "the offer reserved");

            // Parigny's trip sets off and fails: a failed trip carries nothing, so no goods have left for good.
            var trip = (await TradeFlow.Shipments(parigny, tradeId, 2)).Single(s => s.GetProperty("carrierTown").GetString() == parigny.Id);
            var tripId = trip.GetProperty("id").GetString();
            await parigny.Client.Post($"/api/logistics/shipments/{tripId}/pickup", null, HttpStatusCode.OK);
            await parigny.Client.Post($"/api/logistics/shipments/{tripId}/failure", new { reason = "bridge closed" }, HttpStatusCode.OK);
            await Eventually.Until(() => parigny.Client.Get($"/api/matching/trades/{tradeId}"),
                t => t.GetProperty("legs").EnumerateArray().Any(l => l.GetProperty("failure").ValueKind == JsonValueKind.String),
                TimeSpan.FromSeconds(30), "matching heard of the failure");

            using var ops = _flow.Operator();
            var cancelled = await ops.Post($"/api/matching/trades/{tradeId}/cancel", new { reason = "bridge closed for the season" }, HttpStatusCode.OK);

            Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
            // Catalog releases the reservation, and logistics drops every transfer of the trade.
            await Eventually.Until(() => parigny.Client.Get($"/api/catalog/listings/{offerId}"),
                l => l.GetProperty("reserved").GetDouble() == 0 && l.GetProperty("remaining").GetDouble() == 100,
                TimeSpan.FromSeconds(30), "the reservation released");
            await Eventually.Until(() => ops.Get($"/api/logistics/trades/{tradeId}/transfers"),
                t => t.EnumerateArray().All(x => x.GetProperty("status").GetString() == "cancelled"),
                TimeSpan.FromSeconds(30), "every transfer cancelled");
        });
    }
}
