using System.Net;
using System.Text.Json;
using TradeNet.Integration.Tests.Infrastructure;
using TradeNet.Integration.Tests.Scenarios;
using TradeNet.Testing;

namespace TradeNet.Integration.Tests;

/// <summary>A network of its own: a registered vehicle changes how every agreed trade is planned, so it must not
/// reach the scenarios that expect direct trips.</summary>
[CollectionDefinition(nameof(SharedRouteCollection))]
public sealed class SharedRouteCollection : ICollectionFixture<DistributedTradeNet>;

[Collection(nameof(SharedRouteCollection))]
public sealed class SharedRouteTradeFlowTests(DistributedTradeNet tradeNet)
{
    private readonly TradeFlow _flow = new(tradeNet.Gateway, tradeNet.OperatorApiKey);

    [Fact]
    public async Task Two_trades_whose_towns_lie_on_the_way_share_one_carriers_route_and_complete_on_its_deliveries()
    {
        await tradeNet.ExplainFailureAsync(async () =>
        {
            var roanne = await _flow.RegisterTown("Roanne", "42187", 46.0443, 4.07974);
            var riorges = await _flow.RegisterTown("Riorges", "42184", 46.0431, 4.0413);
            var coteau = await _flow.RegisterTown("Le Coteau", "42071", 46.0192, 4.0922);
            var van = await roanne.Client.Post("/api/logistics/vehicles", new
            {
                homeLat = 46.0443, homeLon = 4.07974, name = "co-op van", capacityKg = 50_000, chilled = true, costPerKm = 0.6, fixedCost = 25,
            }, HttpStatusCode.Created);
            var vehicleId = van.GetProperty("id").GetString();

            var first = await _flow.AgreeSwap(roanne, riorges, 5);
            var second = await _flow.AgreeSwap(coteau, riorges, 6);

            using var ops = _flow.Operator();
            // Logistics hears of each agreement over the bus; plan only once both trades' transfers wait, so that one
            // run sees them together (a later agreement would go onto a route of its own).
            foreach (var trade in new[] { first, second })
                await Eventually.Until(() => ops.Send(HttpMethod.Get, $"/api/logistics/trades/{trade}/transfers"),
                    r => r.StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(30), $"trade {trade}'s transfers reach logistics");
            var shipments = await Eventually.Until(async () =>
            {
                await ops.Post("/api/logistics/plans", null, HttpStatusCode.OK);
                var ofFirst = (await ops.Get($"/api/logistics/shipments?trade={first}")).EnumerateArray();
                var ofSecond = (await ops.Get($"/api/logistics/shipments?trade={second}")).EnumerateArray();
                return ofFirst.Concat(ofSecond).ToList();
            }, s => s.Count == 4, TimeSpan.FromSeconds(60), "both trades' shipments planned");

            var routeId = Assert.Single(shipments.Select(s => s.GetProperty("routeId").GetString()).Distinct());
            Assert.All(shipments, s => Assert.Equal((vehicleId, roanne.Id),
                (s.GetProperty("vehicleId").GetString(), s.GetProperty("carrierTown").GetString())));
            var route = await roanne.Client.Get($"/api/logistics/routes/{routeId}");
            var firstCost = (await ops.Get($"/api/logistics/trades/{first}/cost")).GetProperty("cost").GetDouble();
            var secondCost = (await ops.Get($"/api/logistics/trades/{second}/cost")).GetProperty("cost").GetDouble();
            Assert.Equal(route.GetProperty("cost").GetDouble(), firstCost + secondCost, 6);

            // The carrier drives the route stop by stop, reporting each one done with the handover codes the receiving
            // towns gave it there (an operator reads them all here).
            foreach (var stop in route.GetProperty("stops").EnumerateArray())
            {
                var sequence = stop.GetProperty("sequence").GetInt32();
                var codes = shipments.Where(s => s.GetProperty("stops").EnumerateArray().Any(x =>
                        x.GetProperty("sequence").GetInt32() == sequence && x.GetProperty("action").GetString() == "delivery"))
                    .Select(s => s.GetProperty("handoverCode").GetString()).ToArray();
                var report = await roanne.Client.Post($"/api/logistics/routes/{routeId}/stops/{sequence}/done",
                    new { handoverCodes = codes }, HttpStatusCode.OK);
                Assert.All(report.EnumerateArray(), r => Assert.Equal("applied", r.GetProperty("outcome").GetString()));
            }

            await TradeFlow.TradeStatus(riorges, first, "completed");
            await TradeFlow.TradeStatus(riorges, second, "completed");
        });
    }

    [Fact]
    public async Task An_operator_registers_a_vehicle_only_for_a_town_the_catalog_knows()
    {
        await tradeNet.ExplainFailureAsync(() => OperatorVehicles.OnlyKnownHomeTownsAreAccepted(_flow, "Feurs", "42094", 45.73198, 4.23128));
    }
}
