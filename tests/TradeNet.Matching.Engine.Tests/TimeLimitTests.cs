using TradeNet.Matching.Engine;

namespace TradeNet.Matching.Engine.Tests;

/// <summary>A limit too short for the LP to finish a single pricing pass still gives a valid plan and a finite bound.</summary>
public class TimeLimitTests
{
    [Theory]
    [InlineData(0.05)]
    [InlineData(0.3)]
    public void A_limit_that_cuts_the_first_pricing_pass_still_gives_a_valid_plan_under_a_finite_bound(double seconds)
    {
        var book = RandomBooks.Realistic(seed: 5, towns: 150, listings: 2000);
        var options = new SolveOptions { TimeLimit = TimeSpan.FromSeconds(seconds), FirstOrderAboveListings = 0 };

        var result = ClearingEngine.Solve(book, options);

        Assert.True(double.IsFinite(result.Bound), $"bound {result.Bound}");
        Assert.True(result.Bound >= result.Objective - 1e-6 * Math.Max(1, result.Objective));
        TestBooks.AssertValid(book, result);
    }
}

/// <summary>The longest limit the book's validator lets through must also be one the engine's timers and waits take:
/// .NET refuses a CancelAfter or Wait beyond int.MaxValue milliseconds (24.8 days), and a larger limit that passed the
/// validator crashed the solve instead of running it.</summary>
public class LongestTimeLimitTests
{
    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(0)]
    public void The_longest_time_limit_a_book_may_give_solves_the_book(int firstOrderAboveListings)
    {
        var book = TestBooks.Triangle().Build();
        // FirstOrderAboveListings 0 also takes the path that waits for the circulation bound until the deadline.
        var options = new SolveOptions
        {
            TimeLimit = TimeSpan.FromSeconds(BookValidator.MaxTimeLimitSeconds),
            FirstOrderAboveListings = firstOrderAboveListings,
        };

        var result = ClearingEngine.Solve(book, options);

        TestBooks.AssertValid(book, result);
        Assert.True(result.Objective > 0, $"objective {result.Objective}");
    }
}
