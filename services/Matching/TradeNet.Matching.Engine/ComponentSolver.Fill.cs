namespace TradeNet.Matching.Engine;

internal sealed partial class ComponentSolver
{
    private const int FillRounds = 20;
    private double[]? _residual;
    private Component? _residualView;

    /// <summary>
    /// Puts what the plan leaves of each listing to use: prices cycles on the residual quantities (the min-lot
    /// buckets keep to cycles whose lots fit what is left) and adds each at the largest amount its listings
    /// still allow, round after round while something fits. Rounding drops the LP's small amounts, and the
    /// quantities they held are often enough for a new cycle at its min lot or more.
    /// </summary>
    /// <returns>The plan with the added amounts, one per column of <paramref name="lp"/> (which may have grown).</returns>
    private double[] FillResidual(MasterLp lp, double[] plan, Deadline budget)
    {
        var columns = lp.Columns;
        var x = (double[])plan.Clone();
        Array.Resize(ref x, columns.Count);
        // One residual array and one pricing view over it for the whole solve: building a view sorts every arc.
        var residual = _residual ??= new double[m.Cap.Length];
        Residual(residual, columns, x);
        // The pricing reads capacities through its market, so a view over the residual array sees every update.
        if (_residualView is null)
        {
            // Building the view sorts every arc: over a million of them that alone takes seconds.
            if (comp.ArcCount > 1_000_000 && budget.RemainingOr(TimeSpan.MaxValue) < TimeSpan.FromSeconds(3))
            {
                Trace($"  fill skipped: {comp.ArcCount} arcs and {budget.RemainingOr(TimeSpan.Zero).TotalSeconds:F1} s left, t={deadline.Elapsed.TotalSeconds:F2}");
                return x;
            }
            _residualView = new Component(m.WithCaps(residual), comp.ArcIds, new int[m.TownCount]);
            _residualView.SetBuckets(comp.BucketRatio);
        }
        var view = _residualView;
        var noDuals = new double[m.Cap.Length];
        // A pass over a huge component's legs takes seconds: one still running when the budget ends is stopped.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (!budget.Unlimited) stop.CancelAfter(budget.RemainingOr(TimeSpan.Zero));
        for (var round = 0; round < FillRounds && !budget.Expired; round++)
        {
            ct.ThrowIfCancellationRequested();
            if (PriceUnlessStopped(view, noDuals, int.MaxValue, stop) is not (var found, _))
            {
                Trace($"  fill {round}: stopped at its budget, t={deadline.Elapsed.TotalSeconds:F2}");
                break;
            }
            var added = 0.0;
            foreach (var (legs, _) in found)
            {
                var c = Column.Create(m, legs);
                // With whole pieces the largest whole amount (what flooring and dropped cycles freed goes to cycles whose step fits).
                var amount = c.Whole(c.Listings(m).Min(l => residual[l]));
                if (amount < Math.Max(c.Min, 1e-6 * Math.Max(1, c.Upper))) continue;
                var i = lp.IndexOf(c);
                if (i >= x.Length) Array.Resize(ref x, columns.Count);
                if (x[i] == 0 && amount < c.Min) continue;
                x[i] += amount;
                added += amount * c.Profit;
                foreach (var l in c.Listings(m)) residual[l] -= amount;
            }
            Trace($"  fill {round}: +{added:F1}, cols {columns.Count}, t={deadline.Elapsed.TotalSeconds:F2}");
            if (added <= 0) break;
        }
        return x;
    }

    /// <summary>Writes into <paramref name="into"/> what each listing has left once the plan's columns (those
    /// <paramref name="counts"/> accepts, all by default) take their amounts; never below 0.</summary>
    private void Residual(double[] into, List<Column> columns, double[] x, Func<int, bool>? counts = null)
    {
        Array.Copy(m.Cap, into, into.Length);
        for (var i = 0; i < x.Length; i++)
            if (x[i] > 0 && (counts is null || counts(i)))
                foreach (var l in columns[i].Listings(m)) into[l] -= x[i];
        for (var l = 0; l < into.Length; l++) into[l] = Math.Max(0, into[l]);
    }
}
