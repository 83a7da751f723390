using System.Net;
using TradeNet.Integration.Tests.Infrastructure;
using TradeNet.Integration.Tests.Scenarios;
using TradeNet.Testing;

namespace TradeNet.Integration.Tests;

/// <summary>Services killed outright mid-trade and started again on their own files: what they had committed but not
/// yet published leaves their outboxes after the restart (once the dead process's relay hold has run out), and the
/// trade completes with its quantities booked once.</summary>
[Collection(nameof(DistributedCollection))]
public sealed class CrashRecoveryTests(DistributedTradeNet tradeNet)
{
    private readonly TradeFlow _flow = new(tradeNet.Gateway, tradeNet.OperatorApiKey);

    [Fact]
    public async Task A_trade_whose_matching_and_logistics_are_killed_mid_flow_completes_once_they_are_back_and_is_booked_once()
    {
        await tradeNet.ExplainFailureAsync(async () =>
        {
            var ouches = await _flow.RegisterTown("Ouches", "42162", 46.01096, 3.99215);
            var leger = await _flow.RegisterTown("Saint-Léger-sur-Roanne", "42253", 46.04291, 4.00296);
            var (offered, wanted) = await _flow.Categories(10);
            var offerId = (await TradeFlow.Publish(ouches, "offer", offered, 100, 10)).GetProperty("id").GetString();
            await TradeFlow.Publish(leger, "need", offered, 100, 10);
            await TradeFlow.Publish(leger, "offer", wanted, 300, 10);
            await TradeFlow.Publish(ouches, "need", wanted, 300, 10);
            var tradeId = (await _flow.RunRoundUntilTrade(ouches, leger.Id)).GetProperty("id").GetString()!;
            await ouches.Client.Post($"/api/matching/trades/{tradeId}/accept", null, HttpStatusCode.OK);
            await leger.Client.Post($"/api/matching/trades/{tradeId}/accept", null, HttpStatusCode.OK);

            // Matching dies the moment the last answer is in: the agreement is committed, its event maybe not yet sent.
            await tradeNet.KillAndRestartAsync("matching");
            await TradeFlow.TradeStatus(ouches, tradeId, "agreed");
            await TradeFlow.PickUpAndDeliver(await TradeFlow.Shipments(ouches, tradeId, 2), ouches, leger);

            // Logistics dies right after the last delivery report, its events maybe still in its outbox.
            await tradeNet.KillAndRestartAsync("logistics");
            var completed = await TradeFlow.TradeStatus(leger, tradeId, "completed");

            var given = completed.GetProperty("legs").EnumerateArray()
                .Single(l => l.GetProperty("fromTown").GetString() == ouches.Id).GetProperty("quantity").GetDouble();
            var booked = await Eventually.Until(() => ouches.Client.Get($"/api/catalog/listings/{offerId}"),
                l => l.GetProperty("fulfilled").GetDouble() > 0, TimeSpan.FromSeconds(60), "the offer booked as fulfilled");
            await Task.Delay(TimeSpan.FromSeconds(3)); // room for a second booking, if one were coming
            var after = await ouches.Client.Get($"/api/catalog/listings/{offerId}");
            Assert.Equal(given, booked.GetProperty("fulfilled").GetDouble(), 6);
            Assert.Equal(given, after.GetProperty("fulfilled").GetDouble(), 6);
            Assert.Equal(0, after.GetProperty("reserved").GetDouble(), 6);
            Assert.Equal(100 - given, after.GetProperty("remaining").GetDouble(), 6);
        });
    }
}
