using TradeNet.Matching.Engine;

namespace TradeNet.Matching.Engine.Tests;

/// <summary>The bilateral baseline pairs each leg one way with each leg back, per pair of towns within a budget; many
/// crowded pairs at once must still stay within a total.</summary>
public class BaselineBudgetTests
{
    /// <summary>Four towns each offering and needing 20 lots of wood (400 legs each way, 160,000 swaps per pair, 960,000
    /// over the six pairs), and two more towns swapping one lot of cheese for one of wool.</summary>
    private static Book Crowded()
    {
        var towns = new List<Town>();
        var listings = new List<Listing>();
        for (var t = 0; t < 4; t++)
        {
            towns.Add(new Town($"W{t}", $"W{t}", 46.0 + 0.01 * t, 4.0));
            for (var i = 0; i < 20; i++)
            {
                listings.Add(new Listing($"W{t}-offer-{i}", $"W{t}", ListingKind.Offer, "wood", 10 + i));
                listings.Add(new Listing($"W{t}-need-{i}", $"W{t}", ListingKind.Need, "wood", 10 + i));
            }
        }
        towns.Add(new Town("C", "C", 46.2, 4.2));
        towns.Add(new Town("D", "D", 46.21, 4.21));
        listings.Add(new Listing("C-cheese", "C", ListingKind.Offer, "cheese", 5));
        listings.Add(new Listing("D-cheese", "D", ListingKind.Need, "cheese", 5));
        listings.Add(new Listing("D-wool", "D", ListingKind.Offer, "wool", 15));
        listings.Add(new Listing("C-wool", "C", ListingKind.Need, "wool", 15));
        return new Book([new Category("wood", "kg", 1), new Category("cheese", "kg", 18), new Category("wool", "kg", 6)], towns, listings);
    }

    [Fact]
    public void Crowded_town_pairs_share_the_total_budget_of_swaps_and_a_small_pair_keeps_its_swap()
    {
        var market = Market.Build(Crowded(), 2, null, CancellationToken.None);

        var candidates = GreedyBilateral.Candidates(market, 100_000);

        Assert.InRange(candidates.Count, 90_000, 100_000);
        Assert.Contains(candidates, c => market.Book.Listings[market.LegOffer[c.E1]].Id == "C-cheese");
    }

    [Fact]
    public void Below_the_total_budget_every_swap_of_every_pair_is_a_candidate()
    {
        var market = Market.Build(Crowded(), 2, null, CancellationToken.None);

        Assert.Equal(6 * 400 * 400 + 1, GreedyBilateral.Candidates(market, GreedyBilateral.MaxSwaps).Count);
    }
}
