using TradeNet.Matching.Engine;

namespace TradeNet.Matching.Engine.Tests;

/// <summary>A book where a few towns list firewood at the catalog's largest quantity (1e9 kg) beside towns trading a
/// few hundred credits of cheese and wool, all in one component: the big towns' value is eight orders of magnitude
/// above the small towns'.</summary>
public class LopsidedBookTests
{
    private static Book FloodedBook()
    {
        var listings = new List<Listing>();
        var towns = new List<Town>();
        // Three big towns in a ring (firewood → coal → peat → firewood): only 3-cycles clear them, which the bilateral
        // baseline never takes, so the engine's own plan is the one returned.
        string[] goods = ["firewood", "coal", "peat"];
        for (var i = 0; i < 3; i++)
        {
            towns.Add(new Town($"A{i}", $"A{i}", 46.0 + 0.001 * i, 4.0));
            for (var j = 0; j < 3; j++)
            {
                listings.Add(new Listing($"A{i}-offer-{j}", $"A{i}", ListingKind.Offer, goods[i], 1e9, 0.001));
                listings.Add(new Listing($"A{i}-need-{j}", $"A{i}", ListingKind.Need, goods[(i + 2) % 3], 1e9, 0.001));
            }
        }
        // Small towns: a swap of cheese for wool, and a third town whose firewood links them to the big towns' component.
        towns.Add(new Town("H1", "H1", 46.05, 4.05));
        towns.Add(new Town("H2", "H2", 46.08, 4.02));
        listings.Add(new Listing("H1-cheese", "H1", ListingKind.Offer, "cheese", 20, 5));
        listings.Add(new Listing("H2-cheese", "H2", ListingKind.Need, "cheese", 20, 5));
        listings.Add(new Listing("H2-wool", "H2", ListingKind.Offer, "wool", 60, 5));
        listings.Add(new Listing("H1-wool", "H1", ListingKind.Need, "wool", 60, 5));
        listings.Add(new Listing("H1-firewood", "H1", ListingKind.Offer, "firewood", 50, 5));
        listings.Add(new Listing("H1-firewood-need", "H1", ListingKind.Need, "firewood", 50, 5));
        return new Book([new Category("firewood", "kg", 0.2), new Category("coal", "kg", 0.3), new Category("peat", "kg", 0.1), new Category("cheese", "kg", 18), new Category("wool", "kg", 6)],
            towns, listings);
    }

    [Fact]
    public void Small_towns_keep_their_swap_when_big_towns_flood_their_component_with_the_largest_quantities_on_the_first_order_path()
    {
        var book = FloodedBook();

        // PDLP, as on a component over 4,000 listings (a handful of towns at the catalog's 500 open listings each).
        var result = ClearingEngine.Solve(book, new SolveOptions { FirstOrderAboveListings = 0, TimeLimit = TimeSpan.FromSeconds(5) });

        TestBooks.AssertValid(book, result);
        Assert.Contains(result.Trades, t => t.Legs.Any(l => l.Offer == "H1-cheese"));
        Assert.Contains(result.Trades, t => t.Legs.Any(l => l.Offer == "H2-wool"));
    }
}
