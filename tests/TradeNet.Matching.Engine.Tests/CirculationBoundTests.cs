using TradeNet.Matching.Engine;

namespace TradeNet.Matching.Engine.Tests;

/// <summary>The circulation bound on integers: huge values must shrink its scales, not wrap its sums.</summary>
public class CirculationBoundTests
{
    [Theory]
    [InlineData(1e7)]
    [InlineData(1e10)]
    [InlineData(1e14)]
    public void A_book_of_huge_quantities_gets_the_bound_of_the_same_book_scaled_not_a_wrapped_sum(double scale)
    {
        var book = RandomBooks.Realistic(seed: 3, towns: 30, listings: 300);
        var scaled = book with
        {
            Listings = book.Listings.Select(l => l with { Quantity = l.Quantity * scale, MinLot = l.MinLot * scale }).ToList(),
        };

        var bound = Bound(book);
        var scaledBound = Bound(scaled);

        Assert.True(bound > 0);
        // Both round capacities up to their integers (hundredths of a credit unscaled, relatively finer or coarser
        // scaled), so they differ by that rounding only.
        Assert.InRange(scaledBound / scale, bound * (1 - 1e-5), bound * (1 + 1e-5));
    }

    [Fact]
    public void A_scaled_book_is_not_called_optimal_where_the_same_book_unscaled_is_not()
    {
        var book = RandomBooks.Realistic(seed: 3, towns: 30, listings: 300);
        var scaled = book with { Listings = book.Listings.Select(l => l with { Quantity = l.Quantity * 1e10, MinLot = l.MinLot * 1e10 }).ToList() };
        var options = new SolveOptions { TimeLimit = TimeSpan.FromSeconds(5) };

        var plain = ClearingEngine.Solve(book, options);
        var big = ClearingEngine.Solve(scaled, options);

        Assert.True(big.Bound >= plain.Objective * 1e10 * (1 - 1e-9), $"bound {big.Bound} under a plan worth {plain.Objective * 1e10}");
        TestBooks.AssertValid(scaled, big);
    }

    private static double Bound(Book book)
    {
        var market = Market.Build(book, k: 3, transport: null, CancellationToken.None);
        return market.CycleComponents().Sum(arcs => CirculationBound.Compute(market, arcs));
    }
}
