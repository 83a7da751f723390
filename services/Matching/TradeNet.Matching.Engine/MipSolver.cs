using Google.OrTools.LinearSolver;

namespace TradeNet.Matching.Engine;

/// <summary>
/// The integer part: choose V_c ∈ {0} ∪ [Min_c, Upper_c] for a fixed set of columns (a semi-continuous
/// variable is a binary y_c with Min_c·y_c ≤ V_c ≤ Upper_c·y_c), maximising Σ profit_c·V_c under the
/// listing capacities. Columns without min lots stay continuous. With whole pieces a column with a step S carries
/// V = S × n, n a whole number (n ≥ Min / S when on), so every plan the MIPs find is whole and their proofs hold for it.
/// </summary>
internal static class MipSolver
{
    /// <summary>
    /// SCIP settings for neighbourhood searches: no cutting planes and no strong branching. On 4-cycle books the
    /// default settings spend the budget on the root's cuts and strong branching and rarely dive deep enough
    /// to find a better plan; without them the tree's dives do (2,000 listings, K = 4, 10 s: +460 instead of +0).
    /// </summary>
    private const string PlanSearchParameters = "separating/maxroundsroot = 0\nseparating/maxrounds = 0\nbranching/relpscost/maxreliable = 0";

    /// <summary>A plan and SCIP's bound; <see cref="Optimal"/>: SCIP stopped within its default gap, not a proof by itself.</summary>
    public sealed record Outcome(double[] Values, double Objective, double BestBound, bool Optimal);

    /// <param name="ct">Cancelling interrupts the solve and throws.</param>
    /// <param name="forceOn">Per column: keep it on (V ≥ Min); used for neighbourhood searches around the LP.</param>
    /// <param name="forPlans">The MIP is a search for better plans, not a proof: see <see cref="PlanSearchParameters"/>.</param>
    public static Outcome? Solve(Market m, IReadOnlyList<Column> columns, double[]? hint, TimeSpan limit, CancellationToken ct, bool[]? forceOn = null,
        bool forPlans = false)
    {
        var scip = Solver.CreateSolver("SCIP");
        using var solver = scip ?? Solver.CreateSolver("CBC");
        if (solver is null) return null;
        solver.SetTimeLimit((long)Math.Max(1, limit.TotalMilliseconds));
        solver.SetNumThreads(1); // deterministic, and the machine is shared
        if (forPlans && scip is not null && !solver.SetSolverSpecificParametersAsString(PlanSearchParameters))
            throw new InvalidOperationException("OR-Tools SCIP refused its parameters");
        var objective = solver.Objective();
        objective.SetMaximization();
        var rows = new Dictionary<int, Constraint>();
        var value = new Variable[columns.Count];
        var onOff = new Variable?[columns.Count];
        var hintVars = new List<Variable>();
        var hintVals = new List<double>();
        // Whole pieces: V = step × n with n a whole number of steps (0 when the column has no step).
        var stepOf = new double[columns.Count];
        for (var c = 0; c < columns.Count; c++)
        {
            var col = columns[c];
            Variable amount;
            double coef;
            var steps = col.Step > 0 && double.IsFinite(col.Step) ? Math.Floor(col.Upper / col.Step + 1e-9) : 0;
            var lotSteps = col.Step > 0 && double.IsFinite(col.Step) ? Math.Round(col.Min / col.Step) : 0;
            if (col.CannotCarry || col.Step > 0 && lotSteps > steps)
            {
                amount = solver.MakeNumVar(0, 0, "");
                coef = 1;
            }
            else if (col.Step > 0)
            {
                stepOf[c] = col.Step;
                var on = forceOn is not null && forceOn[c];
                var hintSteps = hint is null ? 0 : Math.Min(steps, Math.Floor(hint[c] / col.Step + 1e-9));
                if (!on && lotSteps >= steps)
                {
                    // One amount only (the kidney case in pieces): V = step × steps × y.
                    amount = solver.MakeBoolVar("");
                    coef = col.Step * steps;
                    onOff[c] = amount;
                    if (hint is not null) { hintVars.Add(amount); hintVals.Add(hintSteps >= lotSteps ? 1 : 0); }
                }
                else
                {
                    amount = solver.MakeIntVar(on ? lotSteps : 0, steps, "");
                    coef = col.Step;
                    if (hint is not null) { hintVars.Add(amount); hintVals.Add(Math.Max(on ? lotSteps : 0, hintSteps)); }
                    if (!on)
                    {
                        var y = solver.MakeBoolVar("");
                        onOff[c] = y;
                        var lo = solver.MakeConstraint(0, double.PositiveInfinity, "");
                        lo.SetCoefficient(amount, 1); lo.SetCoefficient(y, -lotSteps);
                        var hi = solver.MakeConstraint(double.NegativeInfinity, 0, "");
                        hi.SetCoefficient(amount, 1); hi.SetCoefficient(y, -steps);
                        if (hint is not null) { hintVars.Add(y); hintVals.Add(hintSteps >= lotSteps ? 1 : 0); }
                    }
                }
            }
            else if (forceOn is not null && forceOn[c] && !col.Continuous)
            {
                amount = solver.MakeNumVar(col.Min, col.Upper, "");
                coef = 1;
                if (hint is not null) { hintVars.Add(amount); hintVals.Add(hint[c]); }
            }
            else if (col.Continuous)
            {
                amount = solver.MakeNumVar(0, col.Upper, "");
                coef = 1;
                if (hint is not null) { hintVars.Add(amount); hintVals.Add(hint[c]); }
            }
            else if (col.Min >= col.Upper * (1 - 1e-9))
            {
                // Whole lot (kidney-like): V = Upper·y.
                amount = solver.MakeBoolVar("");
                coef = col.Upper;
                onOff[c] = amount;
                if (hint is not null) { hintVars.Add(amount); hintVals.Add(hint[c] > 0 ? 1 : 0); }
            }
            else
            {
                amount = solver.MakeNumVar(0, col.Upper, "");
                var y = solver.MakeBoolVar("");
                onOff[c] = y;
                coef = 1;
                var lo = solver.MakeConstraint(0, double.PositiveInfinity, "");
                lo.SetCoefficient(amount, 1); lo.SetCoefficient(y, -col.Min);
                var hi = solver.MakeConstraint(double.NegativeInfinity, 0, "");
                hi.SetCoefficient(amount, 1); hi.SetCoefficient(y, -col.Upper);
                if (hint is not null) { hintVars.Add(amount); hintVals.Add(hint[c]); hintVars.Add(y); hintVals.Add(hint[c] > 0 ? 1 : 0); }
            }
            value[c] = amount;
            objective.SetCoefficient(amount, col.Profit * coef);
            foreach (var e in col.Legs)
                foreach (var l in new[] { m.LegOffer[e], m.LegNeed[e] })
                {
                    if (!rows.TryGetValue(l, out var row)) rows[l] = row = solver.MakeConstraint(double.NegativeInfinity, m.Cap[l], "");
                    row.SetCoefficient(amount, coef);
                }
        }
        if (hintVars.Count > 0) solver.SetHint(hintVars.ToArray(), hintVals.ToArray());
        var status = Interruptible.Solve(solver, ct);
        ct.ThrowIfCancellationRequested();
        if (status is not (Solver.ResultStatus.OPTIMAL or Solver.ResultStatus.FEASIBLE)) return null;
        var values = new double[columns.Count];
        for (var c = 0; c < columns.Count; c++)
        {
            var col = columns[c];
            if (stepOf[c] > 0)
            {
                var n = onOff[c] is { } only && ReferenceEquals(only, value[c])
                    ? (only.SolutionValue() > 0.5 ? Math.Floor(col.Upper / col.Step + 1e-9) : 0)
                    : Math.Round(value[c].SolutionValue());
                values[c] = onOff[c] is { } used && !ReferenceEquals(used, value[c]) && used.SolutionValue() < 0.5 ? 0 : n * col.Step;
                continue;
            }
            values[c] = col.CannotCarry ? 0
                : forceOn is not null && forceOn[c] && !col.Continuous ? value[c].SolutionValue()
                : !col.Continuous && col.Min >= col.Upper * (1 - 1e-9)
                ? (value[c].SolutionValue() > 0.5 ? col.Upper : 0)
                : Math.Max(0, value[c].SolutionValue());
            if (onOff[c] is { } y && col.Min < col.Upper * (1 - 1e-9) && y.SolutionValue() < 0.5) values[c] = 0;
        }
        // SCIP says OPTIMAL once within its relative gap (1e-4 by default), so its bound, not the plan's value, is what
        // is proven (a proof claimed 1,747.18 where another plan of the book reached 1,747.26).
        var optimal = status == Solver.ResultStatus.OPTIMAL;
        return new Outcome(values, objective.Value(), Math.Max(objective.Value(), objective.BestBound()), optimal);
    }
}
