namespace TradeNet.Matching.Engine;

/// <summary>Keeping the master LP's columns to those that matter: refined min-lot buckets (simplex) and pruning (PDLP).</summary>
internal sealed partial class ComponentSolver
{
    /// <summary>
    /// Refines the buckets where pricing found cycles whose Min exceeds their Upper, and pins to 0 every such LP column
    /// no bucket can price any more (it can carry nothing in a plan, and pricing cannot offer it again). True if any
    /// bucket was split: the LP must be solved again before pricing can end.
    /// </summary>
    private bool RefineWhereUnusable(MasterLp lp, List<Column> found)
    {
        // By their lots alone: buckets sort by lots, and a cycle whose whole-piece step alone exceeds its Upper is in its
        // lot's bucket like any usable one (it stays in the LP, which then over-approximates: still a bound).
        var slipped = found.Where(c => c.LotMin > c.Upper * (1 + 1e-9)).Select(c => c.LotMin).ToList();
        if (slipped.Count == 0 || comp.RefineBuckets(slipped, FineBuckets) == 0) return false;
        for (var i = 0; i < lp.Columns.Count; i++)
            if (lp.Columns[i].CannotCarry && !comp.Priceable(lp.Columns[i])) lp.SetBounds(i, 0, 0);
        Trace($"  buckets refined where {slipped.Count} unusable cycles were priced: {comp.Buckets.Count} buckets");
        return true;
    }

    /// <summary>Drops the PDLP master's unused columns that price well below 0 (see <see cref="MasterLp.Prune"/>).</summary>
    /// <remarks>Once less than a tenth of the columns would go, pruning stops for good: later, small prunings only make
    /// pricing bring the same columns back, and the bound then settles late or not at all (40,000 listings pruned every
    /// round: 0.83 %, against 0.36–0.52 % unpruned or with this rule).</remarks>
    private (double[] Values, bool Again) Prune(MasterLp lp, double[] lpValues)
    {
        var columns = lp.Columns;
        var keep = columns.Select((c, i) => lpValues[i] >= 1e-3 * Math.Max(1, c.Min) || c.ReducedProfit(m, dual) > -PruneReduced * c.Profit)
            .ToArray();
        var drop = keep.Count(k => !k);
        if (drop < columns.Count / 10) return (lpValues, false);
        Trace($"  pruned {drop} of {columns.Count} columns");
        return (lp.Prune(i => keep[i]).Select(i => lpValues[i]).ToArray(), true);
    }
}
