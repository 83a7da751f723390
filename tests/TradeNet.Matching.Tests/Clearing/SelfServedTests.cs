using TradeNet.Matching.Clearing;
using static TradeNet.Matching.Tests.Clearing.Books;

namespace TradeNet.Matching.Tests.Clearing;

public class SelfServedTests
{
    private static ClearedLeg Leg(BookEntry offer, BookEntry need, double value) =>
        new(offer.TownId, need.TownId, offer.Id, need.Id, offer.Category, value / offer.ValuePerUnit, value,
            value / offer.ValuePerUnit * offer.WeightPerUnit);

    private static Dictionary<string, BookEntry> ById(params BookEntry[] entries) => entries.ToDictionary(e => e.Id);

    [Fact]
    public void Two_towns_swapping_walnuts_for_walnuts_are_not_proposed_the_trade()
    {
        var (aNuts, bWants) = (Offer("a", "mably", "walnuts", 200, 7), Need("nb", "charlieu", "walnuts", 100, 7));
        var (bNuts, aWants) = (Offer("b", "charlieu", "walnuts", 200, 7), Need("na", "mably", "walnuts", 100, 7));
        var swap = new ClearedTrade([Leg(aNuts, bWants, 700), Leg(bNuts, aWants, 700)]);

        var (kept, dropped) = SelfServed.Apply([swap], ById(aNuts, bWants, bNuts, aWants));

        Assert.Empty(kept);
        Assert.Equal(1, dropped);
    }

    [Fact]
    public void A_town_passing_on_the_honey_it_receives_is_not_proposed_the_cycle()
    {
        // Saint-Étienne's honey goes to Perreux, Perreux's own honey to Renaison: Perreux could have kept its own.
        var (seHoney, pWants) = (Offer("se", "st-etienne", "honey", 100, 12), Need("np", "perreux", "honey", 50, 12));
        var (pHoney, rWants) = (Offer("p", "perreux", "honey", 50, 12), Need("nr", "renaison", "honey", 50, 12));
        var (rWool, seWants) = (Offer("r", "renaison", "wool", 100, 10), Need("nse", "st-etienne", "wool", 100, 10));
        var cycle = new ClearedTrade([Leg(seHoney, pWants, 600), Leg(pHoney, rWants, 600), Leg(rWool, seWants, 600)]);

        Assert.Equal("perreux", SelfServed.ServedTown(cycle, ById(seHoney, pWants, pHoney, rWants, rWool, seWants)));
    }

    [Fact]
    public void A_town_giving_conventional_walnuts_for_the_organic_ones_it_requires_keeps_the_trade()
    {
        var (aNuts, bWants) = (Offer("a", "mably", "walnuts", 200, 7), Need("nb", "charlieu", "walnuts", 100, 7));
        var (bNuts, aWants) = (Offer("b", "charlieu", "walnuts", 200, 7, attributes: ["organic"]),
            Need("na", "mably", "walnuts", 100, 7, requires: ["organic"]));
        var swap = new ClearedTrade([Leg(aNuts, bWants, 700), Leg(bNuts, aWants, 700)]);

        // Charlieu's organic walnuts would serve its own need, which requires nothing.
        Assert.Equal("charlieu", SelfServed.ServedTown(swap, ById(aNuts, bWants, bNuts, aWants)));
        Assert.Null(SelfServed.ServedTown(swap, ById(aNuts, bWants with { Requires = ["raw"] }, bNuts, aWants)));
    }

    [Fact]
    public void Towns_swapping_walnuts_across_the_season_keep_the_trade()
    {
        // Mably has walnuts in January and needs them in December; Charlieu the other way round.
        var (december, january) = (new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var (aNuts, bWants) = (Offer("a", "mably", "walnuts", 200, 7, from: january, until: january.AddDays(30)),
            Need("nb", "charlieu", "walnuts", 100, 7, from: january, until: january.AddDays(30)));
        var (bNuts, aWants) = (Offer("b", "charlieu", "walnuts", 200, 7, from: december, until: december.AddDays(30)),
            Need("na", "mably", "walnuts", 100, 7, from: december, until: december.AddDays(30)));
        var swap = new ClearedTrade([Leg(aNuts, bWants, 700), Leg(bNuts, aWants, 700)]);

        Assert.Null(SelfServed.ServedTown(swap, ById(aNuts, bWants, bNuts, aWants)));
    }

    [Fact]
    public void Bilateral_clearing_proposes_no_walnut_swap_and_leaves_the_walnuts_to_a_swap_that_gains()
    {
        var outcome = Clear(
            Offer("a", "mably", "walnuts", 100, 7), Need("na", "mably", "walnuts", 100, 7),
            Offer("b", "charlieu", "walnuts", 100, 7), Need("nb", "charlieu", "walnuts", 100, 7),
            Offer("c", "charlieu", "cheese", 100, 14), Need("nc", "mably", "cheese", 100, 14));

        var trade = Assert.Single(outcome.Trades);
        Assert.Equal(["cheese", "walnuts"], trade.Legs.Select(l => l.Category).Order());
        Assert.Equal(700, trade.Value, 9); // all of Mably's walnuts, for Charlieu's cheese
    }
}
