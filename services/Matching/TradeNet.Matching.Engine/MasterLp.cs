using Google.OrTools.LinearSolver;

namespace TradeNet.Matching.Engine;

/// <summary>
/// The restricted master LP of column generation (GLOP): max Σ profit_c·V_c subject to, for each listing,
/// Σ V_c over columns using it ≤ its capacity. Rows are created when a column first touches a listing.
/// GLOP keeps its basis between solves, so adding columns warm-starts.
/// </summary>
internal sealed class MasterLp : IDisposable
{
    private readonly Market _m;
    private readonly Solver _solver;
    private readonly Objective _objective;
    private readonly Dictionary<int, Constraint> _rows = [];
    private readonly List<Variable> _vars = [];
    public List<Column> Columns { get; } = [];
    private readonly HashSet<string> _keys = [];

    public MasterLp(Market m)
    {
        _m = m;
        _solver = Solver.CreateSolver("GLOP") ?? throw new InvalidOperationException("OR-Tools GLOP is not available");
        _objective = _solver.Objective();
        _objective.SetMaximization();
    }

    /// <summary>Adds a column unless the same leg sequence is already there.</summary>
    public bool Add(Column c)
    {
        if (!_keys.Add(c.Key)) return false;
        var v = _solver.MakeNumVar(0, double.PositiveInfinity, "");
        foreach (var e in c.Legs)
        {
            Row(_m.LegOffer[e]).SetCoefficient(v, 1);
            Row(_m.LegNeed[e]).SetCoefficient(v, 1);
        }
        _objective.SetCoefficient(v, c.Profit);
        _vars.Add(v);
        Columns.Add(c);
        return true;
    }

    private Constraint Row(int listing)
    {
        if (!_rows.TryGetValue(listing, out var row))
        {
            row = _solver.MakeConstraint(double.NegativeInfinity, _m.Cap[listing], "");
            _rows[listing] = row;
        }
        return row;
    }

    /// <summary>Solves; true when GLOP reports an optimal basis.</summary>
    public bool Solve(TimeSpan limit)
    {
        _solver.SetTimeLimit((long)Math.Max(1, limit.TotalMilliseconds));
        return _solver.Solve() == Solver.ResultStatus.OPTIMAL;
    }

    public double Objective => _objective.Value();

    /// <summary>Writes the row duals (≥ 0 for this max problem) into <paramref name="dual"/>, indexed by listing.</summary>
    public void Duals(double[] dual)
    {
        foreach (var (l, row) in _rows) dual[l] = Math.Max(0, row.DualValue());
    }

    public double[] Values() => _vars.Select(v => Math.Max(0, v.SolutionValue())).ToArray();

    /// <summary>Σ dual × capacity: the LP bound when the duals are optimal for the full column set.</summary>
    public double DualObjective(double[] dual) => _rows.Keys.Sum(l => dual[l] * _m.Cap[l]);

    /// <summary>The Lagrangian's dual part; before the first solve the duals are zero.</summary>
    public double DualObjectiveOrZero(double[] dual, bool solved) => solved ? DualObjective(dual) : 0;

    /// <summary>Sets V_c's bounds (used to re-optimise amounts once the on/off choices of min-lot columns are fixed).</summary>
    public void SetBounds(int column, double lb, double ub) => _vars[column].SetBounds(lb, ub);

    public void Dispose() => _solver.Dispose();
}
