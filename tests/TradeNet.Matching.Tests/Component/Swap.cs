using System.Net.Http.Json;
using TradeNet.Contracts;
using TradeNet.Matching.Api;

namespace TradeNet.Matching.Tests.Component;

/// <summary>Two towns near Roanne with complementary listings: A gives 10 kg of cheese, B 150 units of
/// firewood, 120 credits each way.</summary>
internal static class Swap
{
    public const string A = "town-a";
    public const string B = "town-b";

    public static ListingSnapshot CheeseOffer(long version = 1, double remaining = 10) => Listing("a-cheese", A, "offer", "cheese", 10, remaining, 12, version);
    public static ListingSnapshot WoodNeed(long version = 1) => Listing("a-wood", A, "need", "firewood", 150, 150, 0.8, version);
    public static ListingSnapshot WoodOffer(long version = 1) => Listing("b-wood", B, "offer", "firewood", 200, 200, 0.8, version);
    public static ListingSnapshot CheeseNeed(long version = 1) => Listing("b-cheese", B, "need", "cheese", 10, 10, 12, version);

    public static ListingSnapshot[] All => [CheeseOffer(), WoodNeed(), WoodOffer(), CheeseNeed()];

    public static ListingSnapshot Listing(string id, string town, string kind, string category, double quantity, double remaining,
        double valuePerUnit, long version = 1)
    {
        var (lat, lon) = town == A ? (46.0367, 4.0683) : (46.0430, 4.0400);
        return new ListingSnapshot(id, town, kind, category, "kg", valuePerUnit, 1, quantity, remaining, 0, [], [], null, null, null,
            lat, lon, version);
    }

    /// <summary>Publishes the listings, runs a round and returns the one proposal it made.</summary>
    public static async Task<TradeView> ProposeAsync(MatchingHost host)
    {
        await host.PublishListingsAsync(All);
        var round = await host.RunRoundAsync();
        var id = Assert.Single(round.TradeIds);
        await host.Published<TradeProposed>(p => p.TradeId == id);
        return await host.TradeAsync(id);
    }

    /// <summary>A cancelled proposal gave everything back: catalog was never asked, nothing is held, and the next round
    /// trades the quantities again in a new proposal.</summary>
    public static async Task AssertQuantitiesBackAsync(MatchingHost host, Guid cancelled)
    {
        Assert.Empty(host.Catalog.Reservations);
        Assert.All(await host.BookAsync(), b => Assert.Equal(0, b.Held));
        var next = await host.RunRoundAsync();
        Assert.Equal(1, next.Trades);
        Assert.NotEqual(cancelled, next.TradeIds.Single());
    }

    public static async Task<HttpResponseMessage> AcceptAsync(MatchingHost host, string town, Guid tradeId) =>
        await host.Town(town).PostAsync($"/api/matching/trades/{tradeId}/accept", null);

    public static async Task<TradeView> AgreeAsync(MatchingHost host)
    {
        var trade = await ProposeAsync(host);
        (await AcceptAsync(host, A, trade.Id)).EnsureSuccessStatusCode();
        var agreed = await (await AcceptAsync(host, B, trade.Id)).Content.ReadFromJsonAsync<TradeView>(MatchingHost.Json);
        Assert.Equal(Domain.TradeStatus.Agreed, agreed!.Status);
        return agreed;
    }
}
