using TradeNet.Matching.Engine;

namespace TradeNet.Matching.Engine.Tests;

public class MergeCancellationTests
{
    [Theory]
    [InlineData("  merge 0:", false)] // the first core after its merge round, the RINS MIP possibly still on the second
    [InlineData("    region ", false)] // the region search beside, on the second core, while the first merges the RINS plan in
    [InlineData("  regions beside:", true)] // merging's last merge done, both cores joined
    public void Cancelling_at_any_point_of_merging_stops_the_engine_with_an_operation_cancelled_exception(string cancelOn, bool mergingEnds)
    {
        var book = RandomBooks.Realistic(seed: 3, towns: 24, listings: 160) with { Settings = new Settings { MaxCycleLength = 4 } };
        using var cts = new CancellationTokenSource();
        var progress = new List<string>();
        void Record(string line)
        {
            lock (progress) progress.Add(line);
            if (line.StartsWith(cancelOn, StringComparison.Ordinal)) cts.Cancel();
        }

        var thrown = Xunit.Record.Exception(() =>
            ClearingEngine.Solve(book, new SolveOptions { PlanSearchPasses = 1, Progress = Record }, cts.Token));

        Assert.IsAssignableFrom<OperationCanceledException>(thrown);
        Assert.Contains(progress, line => line.StartsWith(cancelOn, StringComparison.Ordinal));
        // Merging's last line comes only when merging was over when cancelled (a region line first is the regions beside's).
        Assert.Equal(mergingEnds, progress.Any(line => line.StartsWith("  rins beside:", StringComparison.Ordinal)));
        // Nothing after merging ran: the region search's own pass would trace its end.
        Assert.DoesNotContain(progress, line => line.Contains("regions pass 0", StringComparison.Ordinal));
    }
}
