using TradeNet.Matching.Engine;

namespace TradeNet.Matching.Engine.Tests;

public class CrowdedTownPairTests
{
    /// <summary>Two towns at the catalog's limit of open listings (500 each), all in one pair of goods: 62,500 legs each
    /// way, so every swap of a leg there with a leg back would be 3.9 billion candidates.</summary>
    private static Book TwoCrowdedTowns()
    {
        var listings = new List<Listing>();
        for (var i = 0; i < 250; i++)
        {
            listings.Add(new Listing($"a-wood-{i}", "A", ListingKind.Offer, "wood", 10 + i));
            listings.Add(new Listing($"a-veg-{i}", "A", ListingKind.Need, "veg", 20 + i));
            listings.Add(new Listing($"b-veg-{i}", "B", ListingKind.Offer, "veg", 15 + i));
            listings.Add(new Listing($"b-wood-{i}", "B", ListingKind.Need, "wood", 12 + i));
        }
        return new Book([new Category("wood", "kg", 1), new Category("veg", "kg", 2.5)],
            [new Town("A", "A", 46.04, 4.07), new Town("B", "B", 46.06, 4.10)], listings);
    }

    [Fact]
    public void Two_towns_crowded_with_one_pair_of_goods_get_their_swaps_from_the_legs_worth_the_most_without_pairing_them_all()
    {
        var book = TwoCrowdedTowns();

        var baseline = GreedyBilateral.Solve(book);

        Assert.Empty(ResultValidator.Validate(book, baseline.Trades, baseline.Objective));
        // The largest listings are among the legs kept, so the swaps start there.
        Assert.Contains(baseline.Trades, t => t.Legs.Any(l => l.Offer == "a-wood-249"));
    }

    [Fact]
    public void The_engine_clears_two_crowded_towns_under_a_round_time_limit_with_a_valid_plan_no_worse_than_the_baseline()
    {
        var book = TwoCrowdedTowns();

        // Under a limit, as the service runs it (without one this book takes the engine about 50 s here).
        var result = ClearingEngine.Solve(book, new SolveOptions { TimeLimit = TimeSpan.FromSeconds(5) });

        TestBooks.AssertValid(book, result);
        Assert.True(result.Objective >= GreedyBilateral.Solve(book).Objective - 1e-6);
        Assert.NotEmpty(result.Trades);
    }
}
