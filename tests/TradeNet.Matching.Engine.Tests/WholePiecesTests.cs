using TradeNet.Matching.Benchmarks;
using TradeNet.Matching.Engine;

namespace TradeNet.Matching.Engine.Tests;

public class WholePiecesTests
{
    private static readonly SolveOptions Whole = new() { WholePieces = true };

    /// <summary>A offers 7 solar panels (180 each); B swaps bicycles (150) for them, C cheese, of which A needs 20 kg.
    /// The cheese is carried at a small cost, so the continuous optimum puts all 7 panels into the swap with B: 8.4
    /// bicycles, lowered to 5 panels for 6 bicycles (step 900).</summary>
    private static Book PanelsAndBicycles() => new TestBooks()
        .Category("panels", 180, "piece").Category("bicycles", 150, "piece").Category("cheese", 18)
        .Town("A").Town("B", 46.05, 4.08).Town("C", 46.06, 4.06)
        .Offer("a-panels", "A", "panels", 7).Need("a-bicycles", "A", "bicycles", 10).Need("a-cheese", "A", "cheese", 20)
        .Offer("b-bicycles", "B", "bicycles", 10).Need("b-panels", "B", "panels", 7)
        .Offer("c-cheese", "C", "cheese", 100).Need("c-panels", "C", "panels", 7)
        .Build();

    private static double CheeseCost(string from, string to, string category) => category == "cheese" ? 0.01 : 0;

    [Fact]
    public void Where_the_continuous_optimum_is_not_whole_the_engine_returns_a_whole_plan_worth_more_than_lowering_it()
    {
        var book = PanelsAndBicycles();
        var continuous = ClearingEngine.Solve(book, new SolveOptions { TransportCost = CheeseCost });
        var lowered = ServiceLowering.Lower(book, continuous.Trades, CheeseCost);
        var whole = ClearingEngine.Solve(book, Whole with { TransportCost = CheeseCost });

        Assert.Equal(2520, continuous.Objective, 6);
        Assert.Equal(1800, lowered.Objective, 6);
        TestBooks.AssertValid(ClearingEngine.Effective(book, Whole), whole, CheeseCost);
        // 5 panels for 6 bicycles, and the 2 panels left for 36 kg… of which A needs 20: 360 credits a leg.
        Assert.Equal(1800 + 2 * 360 - 20 * 0.01, whole.Objective, 6);
        Assert.Equal(SolveStatus.Optimal, whole.Status);
        Assert.Contains(whole.Trades, t => t.Legs.Any(l => l.Offer == "a-panels" && l.Quantity == 5));
        Assert.Contains(whole.Trades, t => t.Legs.Any(l => l.Offer == "a-panels" && l.Quantity == 2));
    }

    [Fact]
    public void A_cycles_step_is_the_least_common_multiple_of_its_values_per_piece_on_a_grid_of_a_millionth()
    {
        Assert.Equal(900, PieceSteps.Step([180, 150]));
        Assert.Equal(28, PieceSteps.Step([0.35, 4]));
        Assert.Equal(180, PieceSteps.Step([180, 180]));
        Assert.Equal(0, PieceSteps.Step([]));
        Assert.Null(PieceSteps.Step([1e12]));
        Assert.Null(PieceSteps.Step([999_999.999_999, 999_999.999_998])); // an lcm beyond 10⁹ credits: unusable
        Assert.True(PieceSteps.IsPiece("Piece"));
    }

    [Fact]
    public void A_cycle_whose_step_exceeds_what_it_can_carry_is_never_proposed()
    {
        // 4 panels are 720 credits, and panels for bicycles trade in steps of 900.
        var book = new TestBooks()
            .Category("panels", 180, "piece").Category("bicycles", 150, "piece")
            .Town("A").Town("B", 46.05, 4.08)
            .Offer("a-panels", "A", "panels", 4).Need("a-bicycles", "A", "bicycles", 10)
            .Offer("b-bicycles", "B", "bicycles", 10).Need("b-panels", "B", "panels", 10)
            .Build();

        var result = ClearingEngine.Solve(book, Whole);

        Assert.Empty(result.Trades);
        Assert.Equal(0, result.Objective);
        Assert.NotEmpty(ClearingEngine.Solve(book).Trades);
    }

    [Fact]
    public void A_piece_leg_carries_at_least_one_piece_and_its_lot_rounded_up()
    {
        // Half a bicycle's worth of apples per leg would balance; a lot of 1.5 bicycles means 2.
        var book = new TestBooks()
            .Category("bicycles", 150, "piece").Category("apples", 2)
            .Town("A").Town("B", 46.05, 4.08)
            .Offer("a-bicycles", "A", "bicycles", 5, minLot: 1.5).Need("a-apples", "A", "apples", 1000)
            .Offer("b-apples", "B", "apples", 1000).Need("b-bicycles", "B", "bicycles", 5)
            .Build();

        var result = ClearingEngine.Solve(book, Whole);

        TestBooks.AssertValid(ClearingEngine.Effective(book, Whole), result);
        var bicycles = Assert.Single(result.Trades).Legs.Single(l => l.Category == "bicycles");
        Assert.Equal(5, bicycles.Quantity);
    }

    [Fact]
    public void The_book_setting_turns_whole_pieces_on_and_the_option_overrides_it()
    {
        var book = PanelsAndBicycles() with { Settings = new Settings(WholePieces: true) };

        Assert.True(ClearingEngine.Effective(book, SolveOptions.Default).Settings!.WholePieces);
        Assert.False(ClearingEngine.Effective(book, new SolveOptions { WholePieces = false }).Settings!.WholePieces);
        Assert.Contains("\"wholePieces\":true", BookJson.WriteBook(book));
        Assert.DoesNotContain("wholePieces", BookJson.WriteBook(PanelsAndBicycles()));
        Assert.True(BookJson.ReadBook(BookJson.WriteBook(book)).Settings!.WholePieces);
    }

    [Fact]
    public void The_validator_refuses_a_fraction_of_a_piece_only_when_whole_pieces_are_on()
    {
        var book = PanelsAndBicycles();
        var continuous = ClearingEngine.Solve(book, new SolveOptions { TransportCost = CheeseCost });

        Assert.Empty(ResultValidator.Validate(book, continuous, CheeseCost));
        Assert.Contains(ResultValidator.Validate(ClearingEngine.Effective(book, Whole), continuous, CheeseCost),
            e => e.Contains("not a whole number of pieces", StringComparison.Ordinal));
    }

    [Fact]
    public void Whole_plans_come_out_of_the_first_order_path_too()
    {
        var book = RandomBooks.Pieces(seed: 5, towns: 24, listings: 200) with { Settings = new Settings(WholePieces: true) };

        var result = ClearingEngine.Solve(book, new SolveOptions { FirstOrderAboveListings = 0 });

        Assert.Contains("(pdlp)", result.Stats.Method);
        TestBooks.AssertValid(book, result);
        Assert.True(result.Objective >= GreedyBilateral.Solve(book).Objective - 1e-6);
    }

    [Fact]
    public void Whole_plans_come_out_of_the_four_cycle_region_search_too()
    {
        // The regions run under a time limit (one pass); without one the MIPs after them, which model whole steps, spend
        // their 10 s caps on this book.
        var book = RandomBooks.Pieces(seed: 6, towns: 12, listings: 80, maxCycle: 4) with { Settings = new Settings(4, WholePieces: true) };
        var progress = new List<string>();

        var result = ClearingEngine.Solve(book, new SolveOptions
        {
            PlanSearchPasses = 1, TimeLimit = TimeSpan.FromSeconds(8), Progress = line => { lock (progress) progress.Add(line); },
        });

        TestBooks.AssertValid(book, result);
        Assert.Contains(progress, line => line.Contains("regions pass 0", StringComparison.Ordinal));
        Assert.True(result.Objective >= GreedyBilateral.Solve(book).Objective - 1e-6);
    }

    [Fact]
    public void A_proof_that_stops_short_leaves_a_plan_the_final_fill_adds_to_without_breaking_a_lot()
    {
        // The proof's MIP over every cycle that could still improve stops short (its own limit, so on a machine of any
        // speed), and the fill after it runs: it once read the proof's amounts against the LP's columns.
        var book = RandomBooks.Pieces(seed: 6, towns: 12, listings: 80, maxCycle: 4) with { Settings = new Settings(4, WholePieces: true) };

        var result = ClearingEngine.Solve(book, new SolveOptions { PlanSearchPasses = 1, ProofMipLimit = TimeSpan.FromSeconds(2) });

        Assert.EndsWith("+enum", result.Stats.Method, StringComparison.Ordinal);
        TestBooks.AssertValid(book, result);
        Assert.True(result.Objective >= GreedyBilateral.Solve(book).Objective - 1e-6);
    }

    [Fact]
    public void The_bilateral_baseline_swaps_whole_pieces_when_the_book_asks_for_them()
    {
        var book = ClearingEngine.Effective(PanelsAndBicycles(), Whole);

        var baseline = GreedyBilateral.Solve(book);

        Assert.Empty(ResultValidator.Validate(book, baseline.Trades, baseline.Objective));
        Assert.Equal(2 * 900 + 2 * 360, baseline.Objective, 6);
    }
}
