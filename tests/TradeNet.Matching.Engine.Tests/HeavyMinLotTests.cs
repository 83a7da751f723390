using TradeNet.Matching.Engine;

namespace TradeNet.Matching.Engine.Tests;

public class HeavyMinLotTests
{
    [Fact]
    public void When_min_lots_hold_most_of_the_LP_value_two_town_swaps_also_get_fix_and_re_solve()
    {
        // Every lot (60) is above what the LP gives each swap (50), so all the LP's value sits below the lots.
        var (result, progress) = SolveWithProgress(Swaps(quantity: 100, minLot: 60));

        Assert.Contains(progress, line => line.TrimStart().StartsWith("resolve 0:", StringComparison.Ordinal));
        Assert.Equal(200, result.Objective, 6);
    }

    [Fact]
    public void Whole_lots_are_left_to_the_MIPs_even_when_the_LP_splits_them()
    {
        // The same swaps as single whole units (the kidney case): plain on/off choices.
        var (result, progress) = SolveWithProgress(Swaps(quantity: 1, minLot: 1));

        Assert.DoesNotContain(progress, line => line.TrimStart().StartsWith("resolve", StringComparison.Ordinal));
        Assert.Equal(2, result.Objective, 6);
        Assert.Equal(SolveStatus.Optimal, result.Status);
    }

    /// <summary>Solves with a time limit (the integer phase's timed path), checks the result, and keeps the progress lines.</summary>
    private static (ClearingResult Result, List<string> Progress) SolveWithProgress(Book book)
    {
        var progress = new List<string>();
        var result = ClearingEngine.Solve(book, new SolveOptions { TimeLimit = TimeSpan.FromSeconds(5), Progress = progress.Add });
        TestBooks.AssertValid(book, result);
        return (result, progress);
    }

    /// <summary>A, B and C each offer and need one good; only two-town swaps (K = 2), each town's listings shared
    /// by its two swaps. The LP gives every swap 50 (300 in all); a plan has room for one swap of 100 (200).</summary>
    private static Book Swaps(double quantity, double minLot) => new TestBooks()
        .Category("g")
        .Town("A").Town("B", 46.05, 4.08).Town("C", 46.06, 4.06)
        .Offer("a-offer", "A", "g", quantity, minLot).Need("a-need", "A", "g", quantity, minLot)
        .Offer("b-offer", "B", "g", quantity, minLot).Need("b-need", "B", "g", quantity, minLot)
        .Offer("c-offer", "C", "g", quantity, minLot).Need("c-need", "C", "g", quantity, minLot)
        .MaxCycle(2).Build();
}
