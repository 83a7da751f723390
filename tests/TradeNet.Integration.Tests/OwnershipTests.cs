using System.Net;
using TradeNet.Integration.Tests.Infrastructure;
using TradeNet.Integration.Tests.Scenarios;

namespace TradeNet.Integration.Tests;

/// <summary>Through the real gateway: a town's key only ever acts for that town.</summary>
[Collection(nameof(DistributedCollection))]
public sealed class OwnershipTests(DistributedTradeNet tradeNet)
{
    private readonly TradeFlow _flow = new(tradeNet.Gateway, tradeNet.OperatorApiKey);

    [Fact]
    public async Task A_towns_key_cannot_change_or_withdraw_another_towns_listing()
    {
        var owner = await _flow.RegisterTown("Mably", "42127", 46.0833, 4.0667);
        var intruder = await _flow.RegisterTown("Perreux", "42170", 46.0389, 4.125);
        var (category, _) = await _flow.Categories(1);
        var listing = await TradeFlow.Publish(owner, "offer", category, 50);
        var id = listing.GetProperty("id").GetString();

        var change = await intruder.Client.Send(HttpMethod.Put, $"/api/catalog/listings/{id}", new { quantity = 1 });
        var withdraw = await intruder.Client.Send(HttpMethod.Delete, $"/api/catalog/listings/{id}");

        Assert.Contains(change.StatusCode, new[] { HttpStatusCode.Forbidden, HttpStatusCode.NotFound });
        Assert.Contains(withdraw.StatusCode, new[] { HttpStatusCode.Forbidden, HttpStatusCode.NotFound });
        var unchanged = await owner.Client.Get($"/api/catalog/listings/{id}");
        Assert.Equal(50, unchanged.GetProperty("quantity").GetDouble());
        Assert.Equal("active", unchanged.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_forged_key_or_spoofed_identity_header_gets_nowhere()
    {
        var victim = await _flow.RegisterTown("Villerest", "42332", 45.9953, 4.0364);
        using var forged = new TradeNetClient(tradeNet.Gateway, "tn_not-a-real-key");
        var (category, _) = await _flow.Categories(2);

        var withForgedKey = await forged.Send(HttpMethod.Post, "/api/catalog/listings", new { kind = "offer", category, quantity = 5 });
        using var spoofing = new HttpClient { BaseAddress = tradeNet.Gateway };
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/catalog/listings")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { kind = "offer", category, quantity = 5 }),
        };
        request.Headers.Add("X-Town-Id", victim.Id);
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer forged.token.value");
        var withSpoofedHeaders = await spoofing.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, withForgedKey.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withSpoofedHeaders.StatusCode);
        var listings = await victim.Client.Get($"/api/catalog/listings?town={victim.Id}");
        Assert.Equal(0, listings.GetArrayLength());
    }

    [Fact]
    public async Task A_town_cannot_answer_a_leg_it_does_not_give()
    {
        var a = await _flow.RegisterTown("Le Coteau", "42071", 46.0192, 4.0922);
        var b = await _flow.RegisterTown("Commelle-Vernay", "42069", 45.99599, 4.05692);
        var outsider = await _flow.RegisterTown("Ouches", "42162", 46.01096, 3.99215);
        var (first, second) = await _flow.Categories(3);
        await TradeFlow.Publish(a, "offer", first, 300, 10);
        await TradeFlow.Publish(b, "need", first, 100, 10);
        await TradeFlow.Publish(b, "offer", second, 300, 10);
        await TradeFlow.Publish(a, "need", second, 300, 10);
        var trade = await _flow.RunRoundUntilTrade(a, b.Id);
        var tradeId = trade.GetProperty("id").GetString();
        var legGivenByA = trade.GetProperty("legs").EnumerateArray().First(l => l.GetProperty("fromTown").GetString() == a.Id);
        var index = legGivenByA.GetProperty("index").GetInt32();

        var byPartner = await b.Client.Send(HttpMethod.Post, $"/api/matching/trades/{tradeId}/legs/{index}/reject");
        var byOutsider = await outsider.Client.Send(HttpMethod.Post, $"/api/matching/trades/{tradeId}/legs/{index}/reject");

        Assert.Equal(HttpStatusCode.Forbidden, byPartner.StatusCode);
        Assert.Contains(byOutsider.StatusCode, new[] { HttpStatusCode.Forbidden, HttpStatusCode.NotFound });
        var after = await a.Client.Get($"/api/matching/trades/{tradeId}");
        Assert.Equal("proposed", after.GetProperty("status").GetString());
    }
}
