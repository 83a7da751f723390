namespace TradeNet.Matching.Engine;

/// <summary>
/// Transport cost of moving one unit of <paramref name="category"/> from one town to another, in credits.
/// The engine multiplies it by the leg's quantity, so the cost stays linear and the relaxation stays an LP.
/// Must be ≥ 0, finite and deterministic; it is called once per fitting (offer, need) pair.
/// </summary>
public delegate double TransportCostPerUnit(string fromTown, string toTown, string category);

/// <summary>Options of one solve. Null fields fall back to the book's <see cref="Settings"/> (then to its defaults).</summary>
public sealed record SolveOptions
{
    /// <summary>Cycle cap K (2..4). Overrides the book.</summary>
    public int? MaxCycleLength { get; init; }

    /// <summary>Chain cap L (0..3 legs; 0: cycles only). Overrides the book; chains start at donor towns.</summary>
    public int? MaxChainLength { get; init; }

    /// <summary>Goods counted in pieces change hands whole: every leg of such a good carries a whole number of pieces
    /// (see <see cref="PieceSteps"/>). Overrides the book's <see cref="Settings.WholePieces"/>; off unless one says so.</summary>
    public bool? WholePieces { get; init; }

    /// <summary>Wall-clock budget for the whole solve. Overrides the book. Null: no limit.</summary>
    public TimeSpan? TimeLimit { get; init; }

    /// <summary>Optional linear transport cost; when set, objective = value moved − transport cost.</summary>
    public TransportCostPerUnit? TransportCost { get; init; }

    /// <summary>Optional sink for progress lines (column generation rounds, bounds, MIP outcomes, each region that
    /// improved the plan), e.g. a logger. The region search's second core calls it too, never at the same time as the first.</summary>
    public Action<string>? Progress { get; init; }

    /// <summary>Skip the final <see cref="ResultValidator"/> check (benchmarks only; the service keeps it on).</summary>
    public bool SkipSelfCheck { get; init; }

    /// <summary>When the self-check finds the engine's plan breaking a rule (a defect of the engine, never of the book),
    /// return the bilateral baseline's plan, checked too, with <see cref="SolveStats.InvalidPlan"/> saying what was
    /// wrong, instead of throwing: the matching service's rounds keep clearing. Off by default, so that tests, benchmarks
    /// and the offline command show such a defect.</summary>
    public bool FallBackOnInvalidPlan { get; init; }

    /// <summary>About this many legs (fitting offer-need pairs) at most per ordered pair of towns (≥ 1; default
    /// <see cref="Market.DefaultMaxLegsPerTownPair"/>, 4,096). Past it each listing keeps its share of the cap over the pair
    /// and at least one leg: two towns with 250 offers and 250 needs of one good make 62,500 legs each way, and a few
    /// colluding towns at the catalog's listing limit made tens of millions (3.3 GB at 13 M). The result stays valid; only
    /// the thinned pairs' options, and so their bound, are narrower.</summary>
    public int MaxLegsPerTownPair { get; init; } = Market.DefaultMaxLegsPerTownPair;

    /// <summary>Changes the plan before the self-check (tests only: an engine defect on demand).</summary>
    internal Func<IReadOnlyList<Trade>, IReadOnlyList<Trade>>? DefectForTests { get; init; }

    /// <summary>Components with more listings solve their master LP with PDLP instead of simplex (tests lower it).</summary>
    internal int FirstOrderAboveListings { get; init; } = ComponentSolver.FirstOrderListings;

    /// <summary>Runs the 4-cycle plan searches (merging, regions, then town neighbourhoods) at most this many passes each, and
    /// without a time limit too (tests: that path, reached on a machine of any speed rather than when the clock allows;
    /// each region and sub-problem keeps its own MIP budget). Null: they run only under a time limit, passes until it
    /// ends (regions) or three (neighbourhoods) — the service's and the benchmarks' behaviour.</summary>
    internal int? PlanSearchPasses { get; init; }

    /// <summary>The proof MIP's own limit (tests: a proof that stops short, followed by the final fill, whatever the
    /// machine's speed). Null: what the time limit leaves, or 10 s without one.</summary>
    internal TimeSpan? ProofMipLimit { get; init; }

    /// <summary>Merge rounds of the 4-cycle plan search at most (tests: 0 keeps a test of the region search to the plan fix
    /// and re-solve leaves, which merging may leave nothing to improve; nor does the RINS MIP beside the rounds run then).
    /// Null: as many as <see cref="PlanSearchPasses"/>, or as the time limit allows.</summary>
    internal int? MergeRounds { get; init; }

    public static SolveOptions Default { get; } = new();
}
