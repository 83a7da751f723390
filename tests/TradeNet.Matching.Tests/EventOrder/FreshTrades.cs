using TradeNet.Contracts;
using TradeNet.Matching.Api;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Tests.Component;
using TradeNet.Testing;

namespace TradeNet.Matching.Tests.EventOrder;

/// <summary>Agrees a new two-leg swap in a host that already holds others: listings and categories of its own (so a round
/// pairs nothing else with them), withdrawn from the book once agreed (so the next round proposes nothing of it again,
/// whatever a hunt then does to the trade).</summary>
internal static class FreshTrades
{
    public static async Task<TradeView> AgreeAsync(MatchingHost host, EventDelivery delivery, string tag)
    {
        var (trade, listings) = await ProposeAsync(host, delivery, tag);
        (await Swap.AcceptAsync(host, Swap.A, trade.Id)).EnsureSuccessStatusCode();
        (await Swap.AcceptAsync(host, Swap.B, trade.Id)).EnsureSuccessStatusCode();
        foreach (var listing in listings) await delivery.DeliverAsync(new ListingWithdrawn(listing.Id, listing.TownId, 2));
        var agreed = await host.TradeAsync(trade.Id);
        Assert.Equal(TradeStatus.Agreed, agreed.Status);
        return agreed;
    }

    /// <summary>The proposal of a new swap, and its listings (cheese offer first).</summary>
    public static async Task<(TradeView Trade, ListingSnapshot[] Listings)> ProposeAsync(MatchingHost host, EventDelivery delivery, string tag)
    {
        ListingSnapshot[] listings =
        [
            Swap.Listing($"{tag}-a-cheese", Swap.A, "offer", $"cheese-{tag}", 10, 10, 12),
            Swap.Listing($"{tag}-a-wood", Swap.A, "need", $"firewood-{tag}", 150, 150, 0.8),
            Swap.Listing($"{tag}-b-wood", Swap.B, "offer", $"firewood-{tag}", 200, 200, 0.8),
            Swap.Listing($"{tag}-b-cheese", Swap.B, "need", $"cheese-{tag}", 10, 10, 12),
        ];
        foreach (var listing in listings) await delivery.DeliverAsync(new ListingPublished(listing));
        var round = await host.RunRoundAsync();
        var trades = await Task.WhenAll(round.TradeIds.Select(host.TradeAsync));
        return (Assert.Single(trades, t => t.Legs.All(l => l.Category.EndsWith(tag, StringComparison.Ordinal))), listings);
    }
}
