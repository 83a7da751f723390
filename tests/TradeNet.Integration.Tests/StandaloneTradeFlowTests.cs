using System.Net;
using TradeNet.Integration.Tests.Infrastructure;
using TradeNet.Integration.Tests.Scenarios;
using Xunit.Abstractions;

namespace TradeNet.Integration.Tests;

public sealed class StandaloneTradeFlowTests(StandaloneTradeNet tradeNet, ITestOutputHelper output) : IClassFixture<StandaloneTradeNet>
{
    [Fact]
    public async Task The_same_trade_flow_passes_against_the_standalone_host()
    {
        await tradeNet.ExplainFailureAsync(async () =>
        {
            var completed = await new TradeFlow(tradeNet.Gateway, tradeNet.OperatorApiKey).RunToCompletion();

            Assert.Equal("completed", completed.GetProperty("status").GetString());
        });
    }

    [Fact]
    public async Task A_listing_retried_through_the_gateway_with_its_idempotency_key_is_published_once()
    {
        await tradeNet.ExplainFailureAsync(async () =>
        {
            var flow = new TradeFlow(tradeNet.Gateway, tradeNet.OperatorApiKey);
            var town = await flow.RegisterTown("Pouilly-les-Nonains", "42176", 46.04349, 3.97939);
            var (category, _) = await flow.Categories(11);
            var listing = new { kind = "offer", category, quantity = 30, minLot = 3 };

            var first = await town.Client.Send(HttpMethod.Post, "/api/catalog/listings", listing, ("Idempotency-Key", "pouilly-offer-1"));
            var again = await town.Client.Send(HttpMethod.Post, "/api/catalog/listings", listing, ("Idempotency-Key", "pouilly-offer-1"));

            Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (first.StatusCode, again.StatusCode));
            Assert.Equal(first.Headers.Location, again.Headers.Location);
            Assert.Equal("true", Assert.Single(again.Headers.GetValues("Idempotent-Replayed")));
            var listings = (await town.Client.Get($"/api/catalog/listings?town={town.Id}")).EnumerateArray().ToList();
            Assert.Equal($"/api/catalog/listings/{Assert.Single(listings).GetProperty("id").GetString()}", first.Headers.Location!.OriginalString);
        });
    }

    [Fact]
    public Task Towns_trading_at_random_at_once_leave_the_standalone_hosts_services_agreeing_on_every_listing_and_trade() =>
        RandomTradingScenario.RunAndCheckAsync(tradeNet, seed: 11, output);

    /// <summary>Here logistics' catalog client shares the process with matching's.</summary>
    [Fact]
    public async Task An_operator_registers_a_vehicle_only_for_a_town_the_catalog_knows()
    {
        await tradeNet.ExplainFailureAsync(() => OperatorVehicles.OnlyKnownHomeTownsAreAccepted(
            new TradeFlow(tradeNet.Gateway, tradeNet.OperatorApiKey), "Saint-Romain-en-Jarez", "42283", 45.56118, 4.54166));
    }
}
