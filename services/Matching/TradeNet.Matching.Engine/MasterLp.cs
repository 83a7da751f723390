using Google.OrTools.LinearSolver;

namespace TradeNet.Matching.Engine;

/// <summary>How the restricted master LP is solved.</summary>
internal enum LpAlgorithm
{
    /// <summary>GLOP's simplex, warm-started between rounds: exact vertex solutions, fast up to a few thousand rows.</summary>
    Simplex,

    /// <summary>PDLP (first-order primal-dual): no warm start and approximate (1e-4 relative), but its solve time grows
    /// gently with size, where simplex re-solves over ten thousand listings take tens of seconds.</summary>
    FirstOrder,
}

/// <summary>
/// The restricted master LP of column generation: max Σ profit_c·V_c subject to, for each listing,
/// Σ V_c over columns using it ≤ its capacity. With <see cref="LpAlgorithm.Simplex"/> GLOP keeps its basis
/// between solves, so adding columns warm-starts (this needs presolve off and no new rows, hence all rows
/// are created up front).
/// </summary>
internal sealed class MasterLp : IDisposable
{
    private const string GlopParameters = "use_preprocessing: false";
    // Column generation needs good duals, not a certified optimum: 1e-4 is ample, and both cores help.
    private static string PdlpParameters(double eps) =>
        $"termination_criteria {{ simple_optimality_criteria {{ eps_optimal_absolute: {eps:R} eps_optimal_relative: {eps:R} }} }} num_threads: 2";
    private readonly Market _m;
    private readonly int[] _listings;
    private Solver _solver;
    private Objective _objective;
    private readonly Dictionary<int, Constraint> _rows = [];
    private readonly List<Variable> _vars = [];
    private readonly Dictionary<string, int> _index = [];
    private bool _dualSimplex;
    private double _eps = 1e-4;
    public LpAlgorithm Algorithm { get; }
    public List<Column> Columns { get; private set; } = [];
    /// <summary>How many columns <see cref="Prune"/> has dropped: generated columns are these plus <see cref="Columns"/>.</summary>
    public int Pruned { get; private set; }

    public MasterLp(Market m, IEnumerable<int> listings, LpAlgorithm algorithm = LpAlgorithm.Simplex)
    {
        _m = m;
        _listings = listings.ToArray();
        Algorithm = algorithm;
        (_solver, _objective) = CreateModel();
    }

    private (Solver, Objective) CreateModel()
    {
        var name = Algorithm == LpAlgorithm.Simplex ? "GLOP" : "PDLP";
        var solver = Solver.CreateSolver(name) ?? throw new InvalidOperationException($"OR-Tools {name} is not available");
        if (!solver.SetSolverSpecificParametersAsString(Algorithm == LpAlgorithm.Simplex ? GlopParameters : PdlpParameters(_eps)))
            throw new InvalidOperationException($"OR-Tools {name} refused its parameters");
        var objective = solver.Objective();
        objective.SetMaximization();
        _rows.Clear();
        foreach (var l in _listings) _rows[l] = solver.MakeConstraint(double.NegativeInfinity, _m.Cap[l], "");
        return (solver, objective);
    }

    /// <summary>
    /// PDLP only (it has no warm start to lose): rebuilds the model with the columns <paramref name="keep"/> accepts,
    /// at their bounds [0, ∞). Every PDLP iteration multiplies by the whole matrix, so columns that have gone unused
    /// only slow it down; pricing brings any of them back when they pay again. Returns the old index of each kept column.
    /// </summary>
    public int[] Prune(Func<int, bool> keep)
    {
        if (Algorithm != LpAlgorithm.FirstOrder) throw new InvalidOperationException("Only the PDLP master is pruned");
        var kept = Enumerable.Range(0, Columns.Count).Where(keep).ToArray();
        var columns = kept.Select(i => Columns[i]).ToList();
        _solver.Dispose();
        (_solver, _objective) = CreateModel();
        _vars.Clear();
        _index.Clear();
        Pruned += Columns.Count - columns.Count;
        Columns = [];
        foreach (var c in columns) Add(c);
        return kept;
    }

    /// <summary>Adds a column unless the same leg sequence is already there.</summary>
    public bool Add(Column c)
    {
        if (_index.ContainsKey(c.Key)) return false;
        _index[c.Key] = Columns.Count;
        var v = _solver.MakeNumVar(0, double.PositiveInfinity, "");
        foreach (var e in c.Legs)
        {
            _rows[_m.LegOffer[e]].SetCoefficient(v, 1);
            _rows[_m.LegNeed[e]].SetCoefficient(v, 1);
        }
        _objective.SetCoefficient(v, c.Profit);
        _vars.Add(v);
        Columns.Add(c);
        return true;
    }

    /// <summary>The column's index, adding it first when it is new.</summary>
    public int IndexOf(Column c)
    {
        Add(c);
        return _index[c.Key];
    }

    /// <summary>
    /// Solves; true when the solver reports an optimum (within PDLP's tolerance). For simplex, the primal
    /// algorithm suits added columns (the basis stays primal feasible); <paramref name="dualSimplex"/> suits
    /// changed bounds (it stays dual feasible). Cancelling <paramref name="ct"/> interrupts the solve and throws.
    /// </summary>
    public bool Solve(TimeSpan limit, bool dualSimplex = false, CancellationToken ct = default)
    {
        if (Algorithm == LpAlgorithm.Simplex && dualSimplex != _dualSimplex)
        {
            _dualSimplex = dualSimplex;
            _solver.SetSolverSpecificParametersAsString(GlopParameters + (dualSimplex ? " use_dual_simplex: true" : ""));
        }
        _solver.SetTimeLimit((long)Math.Max(1, limit.TotalMilliseconds));
        // A cancelled round stops the solve itself, not only the next pricing round.
        var status = Interruptible.Solve(_solver, ct);
        ct.ThrowIfCancellationRequested();
        return status == Solver.ResultStatus.OPTIMAL;
    }

    /// <summary>PDLP's relative and absolute tolerance (1e-4 unless set): early rounds only need rough duals.</summary>
    public void SetTolerance(double eps)
    {
        if (Algorithm != LpAlgorithm.FirstOrder) return;
        _eps = eps;
        _solver.SetSolverSpecificParametersAsString(PdlpParameters(eps));
    }

    public double Objective => _objective.Value();

    /// <summary>Writes the row duals (≥ 0 for this max problem) into <paramref name="dual"/>, indexed by listing.</summary>
    public void Duals(double[] dual)
    {
        foreach (var (l, row) in _rows) dual[l] = Math.Max(0, row.DualValue());
    }

    public double[] Values() => _vars.Select(v => Math.Max(0, v.SolutionValue())).ToArray();

    /// <summary>Σ dual × capacity over the component's listings (the dual part of the Lagrangian bound).</summary>
    public double DualObjective(double[] dual) => _rows.Keys.Sum(l => dual[l] * _m.Cap[l]);

    /// <summary>Sets V_c's objective coefficient (a perturbed profit picks another vertex of a degenerate optimal face).</summary>
    public void SetProfit(int column, double profit) => _objective.SetCoefficient(_vars[column], profit);

    /// <summary>Sets V_c's bounds (used to re-optimise amounts once the on/off choices of min-lot columns are fixed).</summary>
    public void SetBounds(int column, double lb, double ub) => _vars[column].SetBounds(lb, ub);

    public void Dispose() => _solver.Dispose();
}
