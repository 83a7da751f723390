using TradeNet.Matching.Engine;

namespace TradeNet.Matching.Engine.Tests;

public class MinLotBucketTests
{
    [Fact]
    public void A_refined_bucket_stops_pricing_a_cycle_whose_lot_exceeds_a_capacity_but_still_prices_the_usable_one()
    {
        // A gives x (lot 12) to B; B can pay back with y from a listing of 11 (too small for the lot) or of 20.
        var book = new TestBooks().Category("x").Category("y").Town("A").Town("B", 46.05, 4.08)
            .Offer("a-x", "A", "x", 100, minLot: 12).Need("b-x", "B", "x", 100)
            .Offer("b-y-small", "B", "y", 11).Offer("b-y", "B", "y", 20).Need("a-y", "A", "y", 100)
            .MaxCycle(4).Build();
        var market = Market.Build(book, k: 4, transport: null, CancellationToken.None);
        var component = new Component(market, market.CycleComponents().Single(), new int[market.TownCount]);
        component.SetBuckets(1.25);
        // A dual on the big listing makes the small one the better pay-back leg.
        var dual = new double[book.Listings.Count];
        dual[3] = 0.5;

        var before = Priced(market, component, dual);
        Assert.Contains(before, c => c.Min > c.Upper);

        Assert.Equal(1, component.RefineBuckets([12.0], 1.01));
        var after = Priced(market, component, dual);

        var usable = Assert.Single(after);
        Assert.Equal((12.0, 20.0), (usable.Min, usable.Upper));
        Assert.DoesNotContain(before.Where(c => c.Min > c.Upper), component.Priceable);
    }

    [Fact]
    public void A_book_whose_only_cycle_cannot_carry_its_lot_is_proven_empty_not_reported_as_a_timeout()
    {
        // B can pay back 35 credits of y at most, but A's lot of x is worth 220: no trade is possible.
        var book = new TestBooks().Category("x", 22).Category("y", 0.35).Town("A").Town("B", 46.05, 4.08)
            .Offer("a-x", "A", "x", 500, minLot: 10).Need("b-x", "B", "x", 400, minLot: 10)
            .Offer("b-y", "B", "y", 200, minLot: 10).Need("a-y", "A", "y", 100, minLot: 10).Build();

        var result = ClearingEngine.Solve(book, new SolveOptions { TimeLimit = TimeSpan.FromSeconds(30) });

        Assert.Empty(result.Trades);
        Assert.Equal((SolveStatus.Optimal, 0.0), (result.Status, result.Bound));
        Assert.DoesNotContain("timeout", result.Stats.Method);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Refined_buckets_still_hold_every_min_lot_exactly_once(int seed)
    {
        var book = RandomBooks.Realistic(seed, towns: 12, listings: 120);
        var market = Market.Build(book, k: 4, transport: null, CancellationToken.None);
        var local = new int[market.TownCount];
        foreach (var arcs in market.CycleComponents())
        {
            var component = new Component(market, arcs, local);
            component.SetBuckets(1.25);
            var mins = component.Listings.Select(l => market.MinValue[l]).Where(v => v > 0).Distinct().ToArray();
            if (mins.Length == 0) continue;
            var chosen = mins.Where((_, i) => i % 3 == 0).ToArray();

            component.RefineBuckets(chosen, 1.01);

            foreach (var v in mins) Assert.Single(component.Buckets, b => v > b.Lo && v <= b.Hi);
            foreach (var v in chosen)
            {
                var (lo, hi) = component.Buckets.Single(b => v > b.Lo && v <= b.Hi);
                Assert.True(hi <= lo * 1.01 * (1 + 1e-9), $"bucket ({lo}, {hi}] holding {v} is wider than 1 %");
            }
            Assert.Equal(component.Buckets.OrderBy(b => b.Lo).ToList(), component.Buckets);

            // A second refinement leaves one bucket per min value there; a third has nothing left to split.
            component.RefineBuckets(chosen, 1.01);
            foreach (var v in chosen) Assert.Contains((Math.BitDecrement(v), v), component.Buckets);
            Assert.Equal(0, component.RefineBuckets(chosen, 1.01));
            foreach (var v in mins) Assert.Single(component.Buckets, b => v > b.Lo && v <= b.Hi);
        }
    }

    private static List<Column> Priced(Market market, Component component, double[] dual) =>
        component.Price(dual, 1e-7, 100, CancellationToken.None).Columns.Select(f => Column.Create(market, f.Legs)).ToList();
}
