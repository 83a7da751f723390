using TradeNet.Matching.Engine;

namespace TradeNet.Matching.Engine.Tests;

public class MergeTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_merged_plan_meets_every_capacity_and_lot_and_is_worth_no_less_than_the_better_plan_merged(int seed)
    {
        // Two different plans of one component: the MIP optimum over the even and over the odd of its 2..4-cycles.
        var book = RandomBooks.Realistic(seed, towns: 8, listings: 40);
        var market = Market.Build(book, k: 4, transport: null, CancellationToken.None);
        var localOfTown = new int[market.TownCount];
        var comp = market.CycleComponents().Select(arcs => new Component(market, arcs, localOfTown)).MaxBy(c => c.Listings.Length)!;
        var columns = comp.EnumerateAll(100_000, CancellationToken.None)!.Select(legs => Column.Create(market, legs)).ToList();
        using var lp = new MasterLp(market, comp.Listings);
        foreach (var c in columns) lp.Add(c);
        var even = PlanOver(market, lp.Columns, i => i % 2 == 0);
        var odd = PlanOver(market, lp.Columns, i => i % 2 == 1);
        var (best, other) = Value(lp.Columns, even) >= Value(lp.Columns, odd) ? (even, odd) : (odd, even);
        Assert.True(Value(lp.Columns, other) > 0, "both plans trade");
        var solver = new ComponentSolver(market, comp, new Deadline(null), new double[market.Cap.Length], CancellationToken.None);

        var merged = solver.Merge(lp, best, other, TimeSpan.FromSeconds(20));

        Assert.NotNull(merged);
        var values = merged.Value.Values;
        Assert.True(Value(lp.Columns, values) >= Value(lp.Columns, best) - 1e-6 * Value(lp.Columns, best));
        var usage = new double[market.Cap.Length];
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] <= 0) continue;
            var c = lp.Columns[i];
            Assert.True(best[i] > 0 || other[i] > 0, $"column {i} is in neither plan");
            Assert.InRange(values[i], c.Min * (1 - 1e-9), c.Upper * (1 + 1e-9));
            foreach (var l in c.Listings(market)) usage[l] += values[i];
        }
        foreach (var l in comp.Listings) Assert.True(usage[l] <= market.Cap[l] * (1 + 1e-9), $"listing {l} over its capacity");
        // What both plans use stays on: the merge chooses among their differences only.
        for (var i = 0; i < values.Length; i++)
            if (best[i] > 0 && other[i] > 0 && !lp.Columns[i].Continuous) Assert.True(values[i] > 0, $"column {i} of both plans went off");
    }

    [Fact]
    public void Four_cycle_plans_after_merging_obey_every_rule_under_a_valid_bound()
    {
        // The path of a 4-cycle component after fix and re-solve, run by its passes rather than by a time limit (the
        // clock may not leave it a turn on a loaded machine).
        var book = RandomBooks.Realistic(seed: 3, towns: 36, listings: 300) with { Settings = new Settings { MaxCycleLength = 4 } };
        var progress = new List<string>();

        var result = ClearingEngine.Solve(book, new SolveOptions { PlanSearchPasses = 1, Progress = progress.Add });

        TestBooks.AssertValid(book, result);
        Assert.Contains(progress, line => line.StartsWith("  merge 0:", StringComparison.Ordinal));
        // The RINS MIP ran on the second core meanwhile and its plan was weighed (merged in when it gained).
        Assert.Contains(progress, line => line.StartsWith("  rins beside:", StringComparison.Ordinal));
        // Its plan gained here, so it was merged in while the region search ran on the second core.
        Assert.Contains(progress, line => line.StartsWith("  regions beside:", StringComparison.Ordinal));
        // By its passes the region search beside it runs its whole pass too, as the region search after merging does, each
        // region within its own MIP budget; no clock of the phase cuts it (SolveOptions.PlanSearchPasses).
        Assert.Contains(progress, line => line.StartsWith("  regions beside:", StringComparison.Ordinal) && line.Contains(", pass done,", StringComparison.Ordinal));
        Assert.True(result.Bound >= result.Objective - 1e-6 * result.Bound);
    }

    private static double[] PlanOver(Market market, List<Column> columns, Func<int, bool> take)
    {
        var chosen = Enumerable.Range(0, columns.Count).Where(take).ToArray();
        var mip = MipSolver.Solve(market, chosen.Select(i => columns[i]).ToList(), hint: null, TimeSpan.FromSeconds(20), CancellationToken.None);
        Assert.NotNull(mip);
        var plan = new double[columns.Count];
        for (var k = 0; k < chosen.Length; k++) plan[chosen[k]] = mip.Values[k];
        return plan;
    }

    private static double Value(List<Column> columns, double[] plan) => columns.Select((c, i) => c.Profit * plan[i]).Sum();
}
