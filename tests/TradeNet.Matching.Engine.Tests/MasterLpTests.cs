using TradeNet.Matching.Engine;

namespace TradeNet.Matching.Engine.Tests;

public class MasterLpTests
{
    [Fact]
    public void Pruning_the_first_order_master_of_its_unused_columns_keeps_its_optimum_and_counts_what_went()
    {
        var book = RandomBooks.Realistic(seed: 5, towns: 20, listings: 250);
        var market = Market.Build(book, k: 3, transport: null, CancellationToken.None);
        var component = new Component(market, market.CycleComponents().MaxBy(a => a.Length)!, new int[market.TownCount]);
        component.SetBuckets(1.01);
        using var lp = new MasterLp(market, component.Listings, LpAlgorithm.FirstOrder);
        var dual = new double[book.Listings.Count];
        for (var round = 0; round < 30; round++)
        {
            var found = component.Price(dual, 1e-7, 2_000, CancellationToken.None).Columns;
            if (found.Count(f => lp.Add(Column.Create(market, f.Legs))) == 0) break;
            Assert.True(lp.Solve(TimeSpan.FromMinutes(1)));
            lp.Duals(dual);
        }
        var before = lp.Objective;
        var values = lp.Values();
        var columns = lp.Columns.ToList();
        Assert.True(values.Any(v => v < 0.05), $"{columns.Count} columns, smallest value {values.Min()}");

        var kept = lp.Prune(i => values[i] >= 0.05);

        Assert.InRange(lp.Pruned, columns.Count / 10, columns.Count - 1);
        Assert.Equal(columns.Count, lp.Columns.Count + lp.Pruned);
        Assert.Equal(kept.Select(i => columns[i]), lp.Columns);
        Assert.True(lp.Solve(TimeSpan.FromMinutes(1)));
        Assert.Equal(before, lp.Objective, 1e-3 * before);
    }
}
