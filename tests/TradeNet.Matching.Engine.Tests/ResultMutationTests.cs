using CsCheck;
using TradeNet.Matching.Engine;

namespace TradeNet.Matching.Engine.Tests;

/// <summary>
/// The validator is the engine's own check of its plans, so it must refuse every way a plan can break the rules: each
/// test takes valid results of random small books, breaks one rule in one trade, and expects the validator to name it.
/// </summary>
public class ResultMutationTests
{
    // Each mutation sees a valid book and result with at least one trade, and breaks trade 0.
    private static void EveryBrokenResultIsRefused(Func<Book, ClearingResult, (Book Book, ClearingResult Result)> mutate, string expected)
    {
        var seen = 0;
        // About one random small book in six trades (25–41 of 200 in 13 runs), so a fixed 200 fell short of 20 in about one
        // run of this class in 60: at least 200 books, and more, 100 at a time, until 20 traded.
        for (var books = 0; (books < 200 || seen < 20) && books < 1000; books += 100)
            RandomBooks.Small.Sample(book =>
            {
                var result = ClearingEngine.Solve(book);
                if (result.Trades.Count == 0) return;
                Interlocked.Increment(ref seen);
                TestBooks.AssertValid(book, result);
                var (brokenBook, broken) = mutate(book, result);
                var errors = ResultValidator.Validate(brokenBook, broken);
                Assert.True(errors.Any(e => e.Contains(expected, StringComparison.Ordinal)),
                    $"expected '{expected}', got [{string.Join("; ", errors)}]");
            }, iter: 100);
        Assert.True(seen >= 20, $"only {seen} books traded");
    }

    private static ClearingResult WithTrade(ClearingResult r, Trade trade, double? objective = null)
    {
        var trades = r.Trades.ToList();
        trades[0] = trade;
        var total = objective ?? trades.Sum(t => t.Legs.Sum(l => l.Value));
        // Objective, bound and gap agree with the trades, so the one rule broken is the one each test names.
        return r with { Trades = trades, Objective = total, Bound = Math.Max(total, r.Bound), Gap = 0, Status = SolveStatus.Feasible };
    }

    private static Trade Scaled(Trade t, double f) => t with { Legs = t.Legs.Select(l => l with { Quantity = l.Quantity * f, Value = l.Value * f }).ToList() };

    private static Book WithListing(Book book, string id, Func<Listing, Listing> change) =>
        book with { Listings = book.Listings.Select(l => l.Id == id ? change(l) : l).ToList() };

    [Fact]
    public void A_cycle_that_visits_a_town_twice_is_refused() => EveryBrokenResultIsRefused((book, r) =>
    {
        // Going round the same cycle twice in one trade: every leg still leads to the next, at half the value each.
        var half = Scaled(r.Trades[0], 0.5);
        return (book, WithTrade(r, half with { Legs = [.. half.Legs, .. half.Legs] }));
    }, "a town appears twice");

    [Fact]
    public void A_leg_whose_value_differs_from_the_others_is_refused() => EveryBrokenResultIsRefused((book, r) =>
    {
        var legs = r.Trades[0].Legs.ToList();
        // Quantity and value stay consistent with each other; only the balance of the trade is broken.
        legs[^1] = legs[^1] with { Quantity = legs[^1].Quantity * 0.75, Value = legs[^1].Value * 0.75 };
        return (book, WithTrade(r, new Trade(legs)));
    }, "differs from the trade's");

    [Fact]
    public void A_leg_below_a_min_lot_is_refused() => EveryBrokenResultIsRefused((book, r) =>
    {
        // Half the trade, and the offer's lot all of its quantity: the leg (at most the quantity) falls below it.
        var leg = r.Trades[0].Legs[0];
        return (WithListing(book, leg.Offer, l => l with { MinLot = l.Quantity }), WithTrade(r, Scaled(r.Trades[0], 0.5)));
    }, "below min lot");

    [Fact]
    public void A_leg_below_the_needs_min_lot_is_refused() => EveryBrokenResultIsRefused((book, r) =>
    {
        var leg = r.Trades[0].Legs[0];
        return (WithListing(book, leg.Need, l => l with { MinLot = l.Quantity }), WithTrade(r, Scaled(r.Trades[0], 0.5)));
    }, "below min lot");

    [Fact]
    public void A_listing_giving_more_than_its_quantity_is_refused() => EveryBrokenResultIsRefused((book, r) =>
    {
        var leg = r.Trades[0].Legs[0];
        var offer = book.Listings.Single(l => l.Id == leg.Offer);
        return (book, WithTrade(r, Scaled(r.Trades[0], 1.5 * offer.Quantity / leg.Quantity)));
    }, "used of");

    [Fact]
    public void A_leg_whose_offer_lacks_a_required_attribute_is_refused() => EveryBrokenResultIsRefused((book, r) =>
        (WithListing(book, r.Trades[0].Legs[0].Need, l => l with { Requires = [.. l.Requires ?? [], "never-offered"] }), r),
        "offer does not fit the need");

    [Fact]
    public void A_leg_longer_than_the_needs_max_distance_is_refused() => EveryBrokenResultIsRefused((book, r) =>
    {
        var leg = r.Trades[0].Legs[0];
        var towns = book.Towns.ToDictionary(t => t.Id);
        var road = Fit.RoadKm(towns[leg.From], towns[leg.To], book.Settings!.DetourFactor);
        // Towns may share coordinates (then any limit holds): the receiver is moved a degree north, out of reach of 0 km.
        if (road == 0) book = book with { Towns = book.Towns.Select(t => t.Id == leg.To ? t with { Lat = t.Lat + 1 } : t).ToList() };
        return (WithListing(book, leg.Need, l => l with { MaxDistanceKm = road / 2 }), r);
    }, "offer does not fit the need");

    [Fact]
    public void A_leg_whose_windows_do_not_overlap_is_refused() => EveryBrokenResultIsRefused((book, r) =>
    {
        var leg = r.Trades[0].Legs[0];
        var noon = new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
        var b = WithListing(book, leg.Offer, l => l with { AvailableUntil = noon });
        return (WithListing(b, leg.Need, l => l with { AvailableFrom = noon.AddTicks(1) }), r);
    }, "offer does not fit the need");

    [Fact]
    public void A_leg_given_to_a_need_of_another_category_is_refused() => EveryBrokenResultIsRefused((book, r) =>
    {
        var leg = r.Trades[0].Legs[0];
        return (WithListing(book, leg.Need, l => l with { Category = l.Category + "-other" }) is var b
            ? b with { Categories = [.. b.Categories, new Category(leg.Category + "-other", "kg", 1)] } : b, r);
    }, "offer does not fit the need");

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_leg_with_a_quantity_that_is_not_a_finite_number_is_refused(double quantity) => EveryBrokenResultIsRefused((book, r) =>
    {
        var legs = r.Trades[0].Legs.ToList();
        legs[^1] = legs[^1] with { Quantity = quantity };
        return (book, WithTrade(r, new Trade(legs), r.Objective));
    }, "not a finite number");

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_trade_whose_values_are_not_finite_numbers_is_refused(double value) => EveryBrokenResultIsRefused((book, r) =>
    {
        // Every leg and the objective agree on the value, so only the number itself is wrong.
        var trade = r.Trades[0] with { Legs = r.Trades[0].Legs.Select(l => l with { Value = value }).ToList() };
        var trades = r.Trades.ToList();
        trades[0] = trade;
        return (book, r with { Trades = trades, Objective = value, Bound = value, Gap = 0, Status = SolveStatus.Feasible });
    }, "not a finite number");
}
