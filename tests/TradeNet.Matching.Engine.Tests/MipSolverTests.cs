using TradeNet.Matching.Engine;

namespace TradeNet.Matching.Engine.Tests;

public class MipSolverTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void The_plan_search_settings_reach_the_same_optimum_as_the_default_ones_when_time_allows(int seed)
    {
        // Every 2..4-cycle of a small book: the MIP over them is the whole problem, and both settings must prove it.
        var book = RandomBooks.Realistic(seed, towns: 8, listings: 40);
        var market = Market.Build(book, k: 4, transport: null, CancellationToken.None);
        var localOfTown = new int[market.TownCount];
        var columns = market.CycleComponents()
            .SelectMany(arcs => new Component(market, arcs, localOfTown).EnumerateAll(100_000, CancellationToken.None)!)
            .Select(legs => Column.Create(market, legs))
            .ToList();
        Assert.InRange(columns.Count, 50, 2_000);
        Assert.Contains(columns, c => !c.Continuous && c.Min <= c.Upper);

        var proof = MipSolver.Solve(market, columns, hint: null, TimeSpan.FromSeconds(20), CancellationToken.None);
        var search = MipSolver.Solve(market, columns, hint: null, TimeSpan.FromSeconds(20), CancellationToken.None, forPlans: true);

        Assert.NotNull(proof);
        Assert.NotNull(search);
        Assert.True(proof.Optimal && search.Optimal);
        Assert.Equal(proof.Objective, search.Objective, 1e-6 * Math.Max(1, proof.Objective));
    }
}
