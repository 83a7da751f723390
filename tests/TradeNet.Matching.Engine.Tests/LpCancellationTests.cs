using System.Diagnostics;
using TradeNet.Matching.Engine;

namespace TradeNet.Matching.Engine.Tests;

[Collection(SolverCancellationCollection.Name)]
public class LpCancellationTests
{
    [Fact]
    public void A_pdlp_master_asked_with_a_token_already_cancelled_throws_without_solving_first()
    {
        // What the master LP of a big component (PDLP) meets when the round is cancelled just as a solve starts: PDLP
        // clears an interrupt asked then and solved to the end (865,000 columns: 16–17 s, and 60 s where it met its limit). The same LP
        // is solved whole first, on this machine's load, as the yardstick.
        var book = RandomBooks.Realistic(seed: 3, towns: 14, listings: 100);
        var market = Market.Build(book, k: 4, transport: null, CancellationToken.None);
        var localOfTown = new int[market.TownCount];
        var columns = market.CycleComponents()
            .SelectMany(arcs => new Component(market, arcs, localOfTown).EnumerateAll(2_000_000, CancellationToken.None) ?? [])
            .Select(legs => Column.Create(market, legs))
            .ToList();
        Assert.True(columns.Count > 100_000, $"{columns.Count} columns");
        MasterLp Master()
        {
            var lp = new MasterLp(market, Enumerable.Range(0, market.Cap.Length), LpAlgorithm.FirstOrder);
            foreach (var c in columns) lp.Add(c);
            lp.SetTolerance(1e-12); // a long solve: several seconds here
            return lp;
        }
        TimeSpan solving;
        using (var whole = Master())
        {
            var started = Stopwatch.StartNew();
            whole.Solve(TimeSpan.FromSeconds(60));
            solving = started.Elapsed;
        }
        using var cancelled = Master();
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var clock = Stopwatch.StartNew();

        Assert.ThrowsAny<OperationCanceledException>(() => cancelled.Solve(TimeSpan.FromSeconds(60), ct: cts.Token));
        Assert.True(clock.Elapsed < solving / 2, $"took {clock.Elapsed.TotalSeconds:F1} s, the whole solve {solving.TotalSeconds:F1} s");
    }
}
