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
