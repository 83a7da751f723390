using CsCheck;
using TradeNet.Matching.Engine;

namespace TradeNet.Matching.Engine.Tests;

/// <summary>Two towns with many listings of one pair of goods: every offer of one fits every need of the other, so the
/// legs of a town pair grow with the product of their listings (a few towns at the catalog's 500 open listings made
/// tens of millions).</summary>
public class CrowdedArcTests
{
    private static Book TwoTownsWith(int perSide)
    {
        var listings = new List<Listing>();
        for (var i = 0; i < perSide; i++)
        {
            listings.Add(new Listing($"a-wood-{i}", "A", ListingKind.Offer, "wood", 10));
            listings.Add(new Listing($"b-wood-{i}", "B", ListingKind.Need, "wood", 10));
            listings.Add(new Listing($"b-veg-{i}", "B", ListingKind.Offer, "veg", 4));
            listings.Add(new Listing($"a-veg-{i}", "A", ListingKind.Need, "veg", 4));
        }
        return new Book([new Category("wood", "kg", 1), new Category("veg", "kg", 2.5)],
            [new Town("A", "A", 46.04, 4.07), new Town("B", "B", 46.06, 4.10)], listings);
    }

    [Fact]
    public void A_town_pair_keeps_at_most_the_default_cap_of_legs_each_way_with_a_valid_plan_no_worse_than_the_baseline()
    {
        // 100 × 100 = 10,000 legs each way without a cap.
        var book = TwoTownsWith(100);

        var result = ClearingEngine.Solve(book, new SolveOptions { TimeLimit = TimeSpan.FromSeconds(10) });

        TestBooks.AssertValid(book, result);
        Assert.True(result.Stats.Edges <= 2 * 4_096, $"{result.Stats.Edges} legs");
        Assert.True(result.Objective >= GreedyBilateral.Solve(book).Objective - 1e-6);
        Assert.True(result.Objective > 0);
    }

    [Fact]
    public void A_cap_below_the_listings_of_a_pair_still_gives_each_listing_a_leg()
    {
        var book = TwoTownsWith(30);

        var result = ClearingEngine.Solve(book, new SolveOptions { MaxLegsPerTownPair = 1, TimeLimit = TimeSpan.FromSeconds(10) });

        TestBooks.AssertValid(book, result);
        // Each of the 60 listings of a direction keeps a leg, and they pair off: 30 legs each way, through which every
        // listing (10 credits each) still changes hands.
        Assert.Equal(2 * 30, result.Stats.Edges);
        Assert.Equal(600, result.Objective, 6);
    }

    [Fact]
    public void A_cap_below_one_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            ClearingEngine.Solve(TwoTownsWith(2), new SolveOptions { MaxLegsPerTownPair = 0 }));
    }

    [Fact]
    public void A_thinned_town_pair_never_claims_a_bound_below_the_books_own_optimum()
    {
        // A gives two offers of wood to B's two needs; with one leg per pair kept, O2 → N1 and O1 → N2 are dropped, and the
        // thinned book's best (O1 → N1 100, O2 → N2 1) is half the book's (both offers to N1, 200, and back).
        var book = new Book([new Category("wood", "kg", 1), new Category("veg", "kg", 1)],
            [new Town("A", "A", 46.04, 4.07), new Town("B", "B", 46.06, 4.10)],
            [
                new Listing("O1", "A", ListingKind.Offer, "wood", 100), new Listing("O2", "A", ListingKind.Offer, "wood", 100),
                new Listing("N1", "B", ListingKind.Need, "wood", 200), new Listing("N2", "B", ListingKind.Need, "wood", 1),
                new Listing("P", "B", ListingKind.Offer, "veg", 400), new Listing("M", "A", ListingKind.Need, "veg", 400),
            ]);
        var optimum = ClearingEngine.Solve(book, new SolveOptions()).Objective;

        var thinned = ClearingEngine.Solve(book, new SolveOptions { MaxLegsPerTownPair = 1 });

        TestBooks.AssertValid(book, thinned);
        Assert.Equal(400, optimum, 6);
        Assert.True(thinned.Bound >= optimum, $"bound {thinned.Bound} under the book's optimum {optimum}");
        Assert.Equal(SolveStatus.Feasible, thinned.Status);
    }

    [Fact]
    public void With_one_leg_per_town_pair_a_random_books_plan_is_valid_and_its_bound_never_below_the_books_optimum()
    {
        var compared = 0;
        // Donors too: a chain's virtual leg back to its donor is alone on its arc, so it is never thinned.
        Gen.OneOf(RandomBooks.Small, RandomBooks.WithDonors(RandomBooks.Small)).Sample(book =>
        {
            var whole = ClearingEngine.Solve(book);

            var thinned = ClearingEngine.Solve(book, new SolveOptions { MaxLegsPerTownPair = 1 });

            TestBooks.AssertValid(book, thinned);
            // Where the unthinned solve proves its plan optimal, its value is the book's optimum.
            if (whole.Status != SolveStatus.Optimal) return;
            Interlocked.Increment(ref compared);
            Assert.True(thinned.Bound >= whole.Objective - 1e-6, $"bound {thinned.Bound} under the book's optimum {whole.Objective}");
        }, iter: 300);
        Assert.True(compared >= 200, $"only {compared} books proven optimal unthinned");
    }
}
