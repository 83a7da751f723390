using System.Text.Json;
using TradeNet.Matching.Benchmarks;
using TradeNet.Matching.Cli;
using TradeNet.Matching.Engine;

namespace TradeNet.Matching.Engine.Tests;

public class ChainTests
{
    /// <summary>Donor D gives veg to A, A passes wood on to B; nobody can give D anything.</summary>
    private static TestBooks GiftDownTheValley(int chainCap) => new TestBooks()
        .Category("veg", 2.5).Category("wood", 1)
        .Donor("D").Town("A", 46.05, 4.08).Town("B", 46.06, 4.06)
        .Offer("d-veg", "D", "veg", 100).Need("a-veg", "A", "veg", 80)
        .Offer("a-wood", "A", "wood", 500).Need("b-wood", "B", "wood", 300)
        .MaxChain(chainCap);

    [Fact]
    public void A_donors_gift_is_passed_down_a_chain_whose_last_town_gives_nothing_back()
    {
        var book = GiftDownTheValley(2).Build();
        var result = ClearingEngine.Solve(book);
        TestBooks.AssertValid(book, result);
        var trade = Assert.Single(result.Trades);
        Assert.True(trade.Chain);
        // A's need (80 kg × 2.5 = 200 credits) sets the value of both legs.
        Assert.Equal(["D->A", "A->B"], trade.Legs.Select(l => $"{l.From}->{l.To}"));
        Assert.All(trade.Legs, l => Assert.Equal(200, l.Value, 6));
        Assert.Equal(400, result.Objective, 6);
        Assert.Equal(SolveStatus.Optimal, result.Status);
    }

    [Theory]
    [InlineData(1, 200)]
    [InlineData(0, 0)]
    public void The_chain_cap_limits_how_far_a_gift_travels(int chainCap, double objective)
    {
        var book = GiftDownTheValley(chainCap).Build();
        var result = ClearingEngine.Solve(book);
        TestBooks.AssertValid(book, result);
        Assert.Equal(objective, result.Objective, 6);
        Assert.Equal(SolveStatus.Optimal, result.Status);
    }

    [Fact]
    public void Chains_and_cycles_share_a_listing_within_its_quantity()
    {
        // A and B also swap wood for cheese; A's wood (500) is enough for the swap (300) and the chain's 200.
        var book = GiftDownTheValley(2).Category("cheese", 10)
            .Offer("b-cheese", "B", "cheese", 30).Need("a-cheese", "A", "cheese", 30).Build();
        book = book with { Listings = book.Listings.Select(l => l.Id == "b-wood" ? l with { Quantity = 600 } : l).ToList() };
        var result = ClearingEngine.Solve(book);
        TestBooks.AssertValid(book, result);
        Assert.Equal(400 + 600, result.Objective, 6);
        Assert.Contains(result.Trades, t => t.Chain);
        Assert.Contains(result.Trades, t => !t.Chain);
    }

    [Fact]
    public void Transport_cost_is_charged_on_a_chains_real_legs_only()
    {
        var book = GiftDownTheValley(2).Build();
        // Any other category (such as the chain's closing leg, if it were priced) would fail the solve.
        TransportCostPerUnit cost = (_, _, category) => category switch
        {
            "veg" => 0.25,
            "wood" => 0.1,
            _ => throw new InvalidOperationException($"no transport for {category}"),
        };
        var result = ClearingEngine.Solve(book, new SolveOptions { TransportCost = cost });
        TestBooks.AssertValid(book, result, cost);
        // 200 credits per leg: 80 kg of veg (20 credits of transport) and 200 kg of wood (20 credits).
        Assert.Equal(400 - 20 - 20, result.Objective, 6);
        Assert.True(Assert.Single(result.Trades).Chain);
    }

    [Fact]
    public void The_same_book_with_donors_gives_the_same_result()
    {
        // Divisible goods, as in the cycle-only determinism test: no MIP budget can cut the search.
        var book = BookGenerator.WithDonors(RandomBooks.Realistic(seed: 7, towns: 15, listings: 120, minLots: false), donors: 3);
        var a = ClearingEngine.Solve(book);
        Assert.Contains(a.Trades, t => t.Chain);
        var b = ClearingEngine.Solve(book);
        Assert.Equal(BookJson.WriteResult(a with { Stats = a.Stats with { Seconds = 0 } }),
                     BookJson.WriteResult(b with { Stats = b.Stats with { Seconds = 0 } }));
    }

    [Fact]
    public void A_donor_town_listing_a_need_is_reported_by_the_listing()
    {
        var book = GiftDownTheValley(2).Need("d-wood", "D", "wood", 10).Build();
        var error = Assert.Single(BookValidator.Validate(book));
        Assert.Equal("d-wood", error.ListingId);
        Assert.Contains("donor", error.Message);
    }

    [Fact]
    public void A_chain_cap_above_three_is_rejected() =>
        Assert.Contains(BookValidator.Validate(GiftDownTheValley(4).Build()), e => e.Message.Contains("maxChainLength"));

    [Fact]
    public void The_validator_catches_a_chain_that_starts_elsewhere_or_runs_too_long()
    {
        var book = GiftDownTheValley(2).Build();
        var good = ClearingEngine.Solve(book);
        var legs = good.Trades[0].Legs;
        var fromA = good with { Trades = [new Trade([legs[1]], Chain: true)], Objective = 200 };
        Assert.Contains(ResultValidator.Validate(book, fromA), e => e.Contains("must start at a donor"));
        var capped = book with { Settings = book.Settings! with { MaxChainLength = 1 } };
        Assert.Contains(ResultValidator.Validate(capped, good), e => e.Contains("chain of 2 legs"));
        var asCycle = good with { Trades = [new Trade(legs)] };
        Assert.Contains(ResultValidator.Validate(book, asCycle), e => e.Contains("does not lead to the next leg's town"));
    }

    [Fact]
    public void The_engine_reproduces_the_PrefLib_optimum_with_altruist_chains()
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "kidney", "00036-00000100.wmd"));
        var book = KidneyInstance.Parse(text, altruists: true);
        Assert.Equal(70, book.Towns.Count);
        var options = new SolveOptions { MaxCycleLength = 3, MaxChainLength = 3 };
        var result = ClearingEngine.Solve(book, options);
        Assert.Equal(46, KidneyInstance.Transplants(result));
        Assert.Equal(SolveStatus.Optimal, result.Status);
        Assert.Contains(result.Trades, t => t.Chain);
        Assert.Empty(ResultValidator.Validate(ClearingEngine.Effective(book, options), result));
    }

    [Fact]
    public void The_offline_command_takes_a_chain_cap_and_marks_chains_in_the_result()
    {
        var dir = Directory.CreateTempSubdirectory("tradenet-chain-").FullName;
        try
        {
            var path = Path.Combine(dir, "book.json");
            File.WriteAllText(path, BookJson.WriteBook(GiftDownTheValley(0).Build()));
            Assert.Contains("\"donor\":true", File.ReadAllText(path));
            var stdout = new StringWriter();
            Assert.Equal(CliApp.Ok, CliApp.Run(["solve", "--book", path, "--max-chain", "2"], stdout, new StringWriter()));
            using var doc = JsonDocument.Parse(stdout.ToString());
            Assert.True(doc.RootElement.GetProperty("trades")[0].GetProperty("chain").GetBoolean());
            Assert.Equal(400, doc.RootElement.GetProperty("objective").GetDouble(), 6);
            // Chains are counted apart from the cycle-length histogram.
            var stats = doc.RootElement.GetProperty("stats");
            Assert.Equal(1, stats.GetProperty("chains").GetInt32());
            Assert.Empty(stats.GetProperty("cycleLengths").EnumerateObject());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
