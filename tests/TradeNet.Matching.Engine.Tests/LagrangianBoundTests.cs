using CsCheck;
using TradeNet.Matching.Engine;

namespace TradeNet.Matching.Engine.Tests;

/// <summary>Pricing's Lagrangian term (capacities of the start town's needs, of the closing legs, or of its offers,
/// whichever is least) must bound every plan for any duals ≥ 0, not only for the LP's.</summary>
public class LagrangianBoundTests
{
    [Fact]
    public void For_any_duals_the_Lagrangian_bound_is_at_least_the_brute_force_optimum_of_a_whole_lot_book()
    {
        RandomBooks.WholeLots.Select(Gen.Double[0, 1.5].Array[12]).Sample((book, duals) =>
            Assert.True(LagrangianBound(book, duals) >= BruteForce.WholeLotOptimum(book) - 1e-6), iter: 200);
    }

    [Fact]
    public void For_any_duals_the_Lagrangian_bound_is_at_least_the_value_of_a_valid_plan()
    {
        RandomBooks.Small.Select(Gen.Double[0, 1.5].Array[16]).Sample((book, duals) =>
        {
            var plan = ClearingEngine.Solve(book);
            Assert.True(LagrangianBound(book, duals) >= plan.Objective - 1e-6 * Math.Max(1, plan.Objective));
        }, iter: 150);
    }

    [Fact]
    public void A_start_town_is_charged_on_the_need_its_cycles_close_through_not_on_all_its_offers()
    {
        // A gives 1,000 x to B and can take back only 10 y: every cycle from A closes through that need.
        var book = new TestBooks().Category("x").Category("y").Category("z").Town("A").Town("B", 46.05, 4.08)
            .Offer("a-x", "A", "x", 1000).Need("a-y", "A", "y", 10).Need("a-z", "A", "z", 500)
            .Need("b-x", "B", "x", 1000).Offer("b-y", "B", "y", 1000)
            .MaxCycle(2).Build();
        var market = Market.Build(book, k: 2, transport: null, CancellationToken.None);
        var component = new Component(market, market.CycleComponents().Single(), new int[market.TownCount]);
        component.SetBuckets(1.01);

        var (columns, term) = component.Price(new double[book.Listings.Count], 1e-7, 10, CancellationToken.None);

        Assert.Equal(2.0, Assert.Single(columns).Reduced, 9);
        // Reduced profit 2 per unit on at most the 10 units a-y takes (A's whole offer capacity would say 2,000).
        Assert.Equal(20.0, term, 9);
    }

    private static double LagrangianBound(Book book, double[] duals)
    {
        var market = Market.Build(book, k: book.Settings?.MaxCycleLength ?? 3, transport: null, CancellationToken.None);
        var dual = book.Listings.Select((_, i) => duals[i % duals.Length]).ToArray();
        var local = new int[market.TownCount];
        var bound = 0.0;
        foreach (var arcs in market.CycleComponents())
        {
            var component = new Component(market, arcs, local);
            component.SetBuckets(1.25);
            var (_, term) = component.Price(dual, 1e-7, 1000, CancellationToken.None);
            bound += component.Listings.Sum(l => dual[l] * market.Cap[l]) + term;
        }
        return bound;
    }
}
