namespace TradeNet.Logistics.Planner.Core;

public enum SearchStrategy
{
    /// <summary>The own ruin-and-recreate search, then OR-Tools guided local search from its best (the last <see cref="SolverOptions.OrToolsShare"/> of the budget); budgets under 2 s go to the own search alone (RoutePlanner passes what its limit leaves after building the model, so a 2 s limit is one of them).</summary>
    Hybrid,
    /// <summary>OR-Tools alone (first solution + guided local search): the baseline.</summary>
    OrTools,
    /// <summary>The own ruin-and-recreate search alone, from a cheapest-insertion start.</summary>
    RuinRecreate,
}

/// <param name="TimeLimit">Wall-clock budget; always set, since guided local search never stops by itself.</param>
/// <param name="OrToolsShare">Fraction of the budget given to the final OR-Tools phase in the hybrid strategy.</param>
/// <param name="Iterations">Optional ruin-and-recreate iteration budget: with it (and a time limit that is not reached) results repeat exactly.</param>
public sealed record SolverOptions(
    TimeSpan TimeLimit,
    SearchStrategy Strategy = SearchStrategy.Hybrid,
    int Seed = 1,
    double OrToolsShare = 0.25,
    long? Iterations = null,
    FirstSolution FirstSolution = FirstSolution.Automatic);
