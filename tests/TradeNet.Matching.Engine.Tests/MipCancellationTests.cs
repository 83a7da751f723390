using System.Diagnostics;
using TradeNet.Matching.Engine;

namespace TradeNet.Matching.Engine.Tests;

[Collection(SolverCancellationCollection.Name)]
public class MipCancellationTests
{
    [Fact]
    public void A_mip_asked_with_a_token_already_cancelled_throws_at_once_instead_of_running_to_its_limit()
    {
        // What a MIP meets when the round is cancelled before SCIP's solve has started (the RINS MIP beside merging while
        // it builds its model, say): SCIP clears an interrupt asked then. This MIP runs its whole 20 s limit otherwise.
        var book = RandomBooks.Realistic(seed: 3, towns: 12, listings: 90);
        var market = Market.Build(book, k: 4, transport: null, CancellationToken.None);
        var localOfTown = new int[market.TownCount];
        var columns = market.CycleComponents()
            .SelectMany(arcs => new Component(market, arcs, localOfTown).EnumerateAll(100_000, CancellationToken.None) ?? [])
            .Select(legs => Column.Create(market, legs))
            .ToList();
        Assert.True(columns.Count > 1_000, $"{columns.Count} columns");
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var clock = Stopwatch.StartNew();

        Assert.ThrowsAny<OperationCanceledException>(() =>
            MipSolver.Solve(market, columns, hint: null, TimeSpan.FromSeconds(20), cts.Token, forPlans: true));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed.TotalSeconds:F1} s");
    }
}
