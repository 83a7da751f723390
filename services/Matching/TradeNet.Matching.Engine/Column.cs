namespace TradeNet.Matching.Engine;

/// <summary>
/// A candidate trade: a simple cycle of legs with one value V per leg (the LP variable).
/// Profit is per unit of V; V must be 0 or within [Min, Upper], and with whole pieces a multiple of <see cref="Step"/>.
/// </summary>
internal sealed class Column
{
    public required int[] Legs { get; init; }
    public required double Profit { get; init; }
    /// <summary>The least V the cycle may carry when on: its largest min lot, and with whole pieces at least one step,
    /// rounded up to a multiple of it (∞ when the step is unusable).</summary>
    public required double Min { get; init; }
    public required double Upper { get; init; }
    /// <summary>The largest min lot of its listings alone (what the min-lot buckets sort by); <see cref="Min"/> without whole pieces.</summary>
    public double LotMin { get; init; }
    /// <summary>With whole pieces: the lcm of its piece legs' values per piece (0: no piece leg; ∞: too large to carry).</summary>
    public double Step { get; init; }

    public static Column Create(Market m, int[] legs)
    {
        double profit = 0, min = 0, upper = double.PositiveInfinity;
        long step = 1;
        var pieces = false;
        foreach (var e in legs)
        {
            int o = m.LegOffer[e], n = m.LegNeed[e];
            profit += m.LegProfit[e];
            min = Math.Max(min, Math.Max(m.MinValue[o], m.MinValue[n]));
            upper = Math.Min(upper, Math.Min(m.Cap[o], m.Cap[n]));
            if (m.PieceGrid is { } grid && grid[o] > 0) { step = step == 0 ? 0 : PieceSteps.Lcm(step, grid[o]); pieces = true; }
        }
        if (!pieces) return new Column { Legs = legs, Profit = profit, Min = min, Upper = upper, LotMin = min };
        // Every whole plan carries this column at a multiple of its step, so at 0 or at least this Min: the relaxation
        // V ∈ {0} ∪ [Min, Upper] (and the LP over it) still holds every whole plan, and its bounds stay bounds.
        var stepValue = step == 0 ? double.PositiveInfinity : step / PieceSteps.Grid;
        return new Column { Legs = legs, Profit = profit, Min = PieceSteps.Ceiling(min, stepValue), Upper = upper, LotMin = min, Step = stepValue };
    }

    /// <summary>The largest amount at most <paramref name="value"/> that the cycle carries in whole pieces.</summary>
    public double Whole(double value) => PieceSteps.Floor(value, Step);

    /// <summary>The listings the cycle draws on: each leg's offer and need.</summary>
    public IEnumerable<int> Listings(Market m) => Legs.SelectMany(e => new[] { m.LegOffer[e], m.LegNeed[e] });

    /// <summary>Profit per unit of V minus the duals of the listings it uses.</summary>
    public double ReducedProfit(Market m, double[] dual)
    {
        var r = Profit;
        foreach (var e in Legs) r -= dual[m.LegOffer[e]] + dual[m.LegNeed[e]];
        return r;
    }

    /// <summary>Min lots are not in the way: the column can carry any V in (0, Upper].</summary>
    public bool Continuous => Min <= 0;

    /// <summary>Its min lot exceeds a capacity on the cycle: it can carry nothing in a plan.</summary>
    public bool CannotCarry => Min > Upper * (1 + 1e-9);

    public string Key => string.Join(',', Legs);
}
