using TradeNet.Matching.Engine;

namespace TradeNet.Matching.Engine.Tests;

public class InvalidPlanFallbackTests
{
    // An engine defect on demand: every leg of the plan carries twice what the listings give.
    private static IReadOnlyList<Trade> Doubled(IReadOnlyList<Trade> trades) =>
        trades.Select(t => t with { Legs = t.Legs.Select(l => l with { Quantity = 2 * l.Quantity, Value = 2 * l.Value }).ToList() }).ToList();

    [Fact]
    public void A_plan_that_fails_the_self_check_throws_unless_a_fallback_is_asked_for()
    {
        var book = RandomBooks.Realistic(seed: 4, towns: 8, listings: 40);

        var thrown = Assert.Throws<InvalidOperationException>(() => ClearingEngine.Solve(book, new SolveOptions { DefectForTests = Doubled }));

        Assert.StartsWith("engine produced an invalid plan: ", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void With_the_fallback_a_plan_that_fails_the_self_check_gives_way_to_the_bilateral_baseline_and_says_why()
    {
        var book = RandomBooks.Realistic(seed: 4, towns: 8, listings: 40);
        var sound = ClearingEngine.Solve(book);

        var result = ClearingEngine.Solve(book, new SolveOptions { DefectForTests = Doubled, FallBackOnInvalidPlan = true });

        TestBooks.AssertValid(book, result);
        var baseline = GreedyBilateral.Solve(book);
        Assert.NotEmpty(baseline.Trades);
        Assert.Equal(baseline.Objective, result.Objective, 6);
        Assert.Equal(baseline.Trades.Count, result.Trades.Count);
        Assert.Equal("greedy-fallback", result.Stats.Method);
        Assert.Contains("used of", result.Stats.InvalidPlan);
        Assert.True(result.Bound >= sound.Objective - 1e-6, "the bound of the solve still stands");
        Assert.Null(sound.Stats.InvalidPlan);
    }
}
