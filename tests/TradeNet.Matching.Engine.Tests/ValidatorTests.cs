using System.Text.Json;
using TradeNet.Matching.Engine;

namespace TradeNet.Matching.Engine.Tests;

public class BookValidatorTests
{
    private static Book WithListing(Func<Listing, Listing> change, string id = "b-veg")
    {
        var book = TestBooks.Triangle().Build();
        return book with { Listings = book.Listings.Select(l => l.Id == id ? change(l) : l).ToList() };
    }

    [Theory]
    [InlineData("unknown town")]
    [InlineData("unknown category")]
    [InlineData("quantity must be > 0")]
    [InlineData("minLot 90 exceeds quantity 80")]
    public void A_malformed_listing_is_reported_by_its_id(string expected)
    {
        var book = expected switch
        {
            "unknown town" => WithListing(l => l with { Town = "nowhere" }),
            "unknown category" => WithListing(l => l with { Category = "gold" }),
            "quantity must be > 0" => WithListing(l => l with { Quantity = 0 }),
            _ => WithListing(l => l with { MinLot = 90 }),
        };
        var error = Assert.Single(BookValidator.Validate(book));
        Assert.Equal("b-veg", error.ListingId);
        Assert.Contains(expected, error.Message);
        Assert.StartsWith("listing 'b-veg'", error.ToString());
    }

    [Fact]
    public void A_duplicate_listing_id_is_an_error()
    {
        var book = TestBooks.Triangle().Build();
        book = book with { Listings = [.. book.Listings, book.Listings[0]] };
        var error = Assert.Single(BookValidator.Validate(book));
        Assert.Equal("a-veg", error.ListingId);
        Assert.Contains("duplicate", error.Message);
    }

    [Fact]
    public void Solving_a_malformed_book_throws_with_every_error()
    {
        var book = WithListing(l => l with { Quantity = -1, Town = "x" });
        var e = Assert.Throws<BookValidationException>(() => ClearingEngine.Solve(book));
        Assert.Equal(2, e.Errors.Count);
    }

    [Fact]
    public void A_cycle_cap_outside_two_to_four_is_rejected()
    {
        Assert.Throws<BookValidationException>(() => ClearingEngine.Solve(TestBooks.Triangle().Build(), new SolveOptions { MaxCycleLength = 5 }));
        Assert.NotEmpty(BookValidator.Validate(TestBooks.Triangle().MaxCycle(1).Build()));
    }

    [Fact]
    public void A_null_required_attribute_is_reported_by_its_listing()
    {
        var error = Assert.Single(BookValidator.Validate(WithListing(l => l with { Requires = [null!] })));
        Assert.Equal("b-veg", error.ListingId);
        Assert.Contains("requires", error.Message);
    }

    [Fact]
    public void A_null_offered_attribute_is_reported_by_its_listing()
    {
        var error = Assert.Single(BookValidator.Validate(WithListing(l => l with { Attributes = ["organic", null!] }, "a-veg")));
        Assert.Equal("a-veg", error.ListingId);
        Assert.Contains("attributes", error.Message);
    }

    [Theory]
    [InlineData(1e20)]
    [InlineData(double.PositiveInfinity)]
    public void A_time_limit_too_long_to_represent_is_rejected(double seconds)
    {
        var book = TestBooks.Triangle().Build();
        book = book with { Settings = book.Settings! with { TimeLimitSeconds = seconds } };
        Assert.Contains("timeLimitSeconds", Assert.Single(BookValidator.Validate(book)).Message);
    }

    [Fact]
    public void A_min_lot_worth_a_subnormal_amount_is_rejected()
    {
        // 5e-324 kg × 2.5 credits/kg is a subnormal double: the min-lot buckets could never grow past it.
        var error = Assert.Single(BookValidator.Validate(WithListing(l => l with { MinLot = 5e-324 })));
        Assert.Equal("b-veg", error.ListingId);
        Assert.Contains("minLot", error.Message);
    }

    [Fact]
    public void A_well_formed_book_has_no_errors() => Assert.Empty(BookValidator.Validate(TestBooks.Triangle().Build()));
}

public class ResultValidatorTests
{
    private static readonly Book Book = TestBooks.Triangle().Build();
    private static readonly ClearingResult Good = ClearingEngine.Solve(Book);

    private static ClearingResult WithLegs(Func<IReadOnlyList<Leg>, IReadOnlyList<Leg>> change, double? objective = null) =>
        Good with { Trades = [new Trade(change(Good.Trades[0].Legs))], Objective = objective ?? Good.Objective };

    private static string OnlyError(ClearingResult r) => string.Join("; ", ResultValidator.Validate(Book, r));

    [Fact]
    public void The_engine_result_is_valid() => Assert.Empty(ResultValidator.Validate(Book, Good));

    [Fact]
    public void Unequal_leg_values_are_caught() =>
        Assert.Contains("differs from the trade's", OnlyError(WithLegs(legs => [legs[0], legs[1] with { Value = 150, Quantity = 150 }, legs[2]])));

    [Fact]
    public void Giving_more_than_a_listing_has_is_caught()
    {
        var r = WithLegs(legs => legs.Select(l => l with { Value = l.Value * 2, Quantity = l.Quantity * 2 }).ToList(), Good.Objective * 2);
        Assert.Contains("used of", OnlyError(r with { Bound = r.Objective, Gap = 0 }));
    }

    [Fact]
    public void A_leg_that_does_not_fit_is_caught()
    {
        var book = Book with { Listings = Book.Listings.Select(l => l.Id == "b-veg" ? l with { Requires = ["organic"] } : l).ToList() };
        Assert.Contains("does not fit", string.Join("; ", ResultValidator.Validate(book, Good)));
    }

    [Fact]
    public void A_broken_cycle_is_caught() =>
        Assert.Contains("does not lead to the next leg's town", OnlyError(WithLegs(legs => [legs[0], legs[2], legs[1]])));

    [Fact]
    public void A_cycle_longer_than_the_cap_is_caught() =>
        Assert.Contains("allowed 2..2", string.Join("; ", ResultValidator.Validate(Book with { Settings = new Settings(2) }, Good)));

    [Fact]
    public void A_quantity_below_the_min_lot_is_caught()
    {
        var book = Book with { Listings = Book.Listings.Select(l => l.Id == "b-wood" ? l with { MinLot = 250 } : l).ToList() };
        Assert.Contains("below min lot", string.Join("; ", ResultValidator.Validate(book, Good)));
    }

    [Fact]
    public void An_objective_that_does_not_match_the_trades_is_caught() =>
        Assert.Contains("differs from the trades' total", OnlyError(Good with { Objective = 601, Bound = 601, Gap = 0 }));

    [Theory]
    [InlineData("from")]
    [InlineData("to")]
    [InlineData("offer")]
    [InlineData("need")]
    [InlineData("category")]
    public void A_leg_without_an_id_is_caught_not_thrown(string field)
    {
        // A result read from JSON may carry "offer": null; the validator's lookups threw ArgumentNullException on it.
        var r = WithLegs(legs => [legs[0] with
        {
            From = field == "from" ? null! : legs[0].From, To = field == "to" ? null! : legs[0].To,
            Offer = field == "offer" ? null! : legs[0].Offer, Need = field == "need" ? null! : legs[0].Need,
            Category = field == "category" ? null! : legs[0].Category,
        }, legs[1], legs[2]]);
        Assert.Contains($"has no {field}", OnlyError(r));
    }

    [Fact]
    public void A_null_trade_or_leg_is_caught_not_thrown()
    {
        Assert.Contains("trade 1 is null", OnlyError(Good with { Trades = [Good.Trades[0], null!] }));
        Assert.Contains("leg 1 is null", OnlyError(WithLegs(legs => [legs[0], null!, legs[2]])));
    }

    [Fact]
    public void A_result_whose_trades_are_null_is_caught_not_thrown()
    {
        // As a result file may say it: the reader lets a null list through, as it lets a null leg through.
        var read = BookJson.ReadResult("""{ "trades": null, "objective": 0, "bound": 0, "gap": 0, "status": "optimal", "stats": null }""");
        Assert.Null(read.Trades);

        Assert.Contains("trades is null", OnlyError(read));
    }

    [Fact]
    public void An_objective_that_is_not_a_number_is_caught() =>
        Assert.Contains("objective NaN is not a finite number", OnlyError(Good with { Objective = double.NaN }));

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_bound_that_is_not_a_finite_number_is_caught(double bound) =>
        Assert.Contains("not a finite number", OnlyError(Good with { Bound = bound, Gap = double.NaN, Status = SolveStatus.Feasible }));

    [Fact]
    public void A_bound_below_the_objective_is_caught() =>
        Assert.Contains("below the objective", OnlyError(Good with { Bound = 500, Gap = 0 }));
}

public class BookJsonKindTests
{
    private const string Book = """
        { "categories": [ {"id":"c","unit":"kg","value":1} ], "towns": [ {"id":"t","name":"T","lat":46,"lon":4} ],
          "listings": [ {"id":"L","town":"t","kind":KIND,"category":"c","quantity":5} ] }
        """;

    [Theory]
    [InlineData("\"offer\"", ListingKind.Offer)]
    [InlineData("\"need\"", ListingKind.Need)]
    [InlineData("\"Need\"", ListingKind.Need)] // names are read without regard to case, as the fields' names are
    public void A_kind_is_offer_or_need(string kind, ListingKind expected) =>
        Assert.Equal(expected, Assert.Single(BookJson.ReadBook(Book.Replace("KIND", kind)).Listings).Kind);

    [Theory]
    [InlineData("\"offer, need\"")]
    [InlineData("\"need,offer\"")]
    [InlineData("\"offer \"")]
    [InlineData("\"\"")]
    [InlineData("\"0\"")]
    [InlineData("1")]
    [InlineData("null")]
    public void Any_other_kind_is_refused(string kind) =>
        Assert.Throws<JsonException>(() => BookJson.ReadBook(Book.Replace("KIND", kind)));

    [Fact]
    public void A_result_status_that_is_a_list_of_names_is_refused()
    {
        var json = BookJson.WriteResult(new ClearingResult([], 0, 0, 0, SolveStatus.Optimal,
            new SolveStats(0, 0, 0, 0, new Dictionary<int, int>(), 0, 0, 0, "")));
        Assert.Equal(SolveStatus.Optimal, BookJson.ReadResult(json).Status);
        Assert.Throws<JsonException>(() => BookJson.ReadResult(json.Replace("\"optimal\"", "\"optimal, feasible\"")));
    }
}
