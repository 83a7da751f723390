using TradeNet.Matching.Engine;

namespace TradeNet.Matching.Engine.Tests;

public class MergeDeterminismTests
{
    [Fact]
    public void A_four_cycle_book_solved_by_its_passes_gives_the_same_result_byte_for_byte_every_run()
    {
        // Merging with the RINS MIP on the second core, then the region search there while the RINS plan is merged in,
        // run by their passes without a time limit. This book's MIPs all finish well inside their own limits (the whole
        // solve takes about a second), so only a race between the cores could make two runs differ.
        var book = RandomBooks.Realistic(seed: 3, towns: 24, listings: 160) with { Settings = new Settings { MaxCycleLength = 4 } };
        var results = new List<string>();
        for (var run = 0; run < 5; run++)
        {
            var progress = new List<string>();
            void Record(string line) { lock (progress) progress.Add(line); }

            var result = ClearingEngine.Solve(book, new SolveOptions { PlanSearchPasses = 1, Progress = Record });

            TestBooks.AssertValid(book, result);
            // Every part ran: the RINS plan was weighed, and the regions beside found something to merge in.
            Assert.Contains(progress, line => line.StartsWith("  rins beside:", StringComparison.Ordinal));
            Assert.Contains(progress, line => line.StartsWith("  regions beside:", StringComparison.Ordinal) && !line.Contains("improved 0", StringComparison.Ordinal));
            results.Add(BookJson.WriteResult(result with { Stats = result.Stats with { Seconds = 0 } }));
        }

        Assert.All(results, r => Assert.Equal(results[0], r));
    }
}
