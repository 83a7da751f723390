using System.Text.Json.Serialization;

namespace TradeNet.Matching.Engine;

/// <summary>
/// One delivery of a trade: town <see cref="From"/> gives <see cref="Quantity"/> units of
/// <see cref="Category"/> through offer <see cref="Offer"/> to need <see cref="Need"/> of town <see cref="To"/>.
/// <see cref="Value"/> = quantity × category value; all legs of a trade carry the same value.
/// </summary>
public sealed record Leg(string From, string To, string Offer, string Need, string Category, double Quantity, double Value);

/// <summary>
/// A simple cycle of towns: leg i's <c>To</c> is leg i+1's <c>From</c> and the last leg returns to the first town.
/// A <see cref="Chain"/> is a simple path instead: it starts at a donor town and its last town gives nothing back.
/// </summary>
public sealed record Trade(
    IReadOnlyList<Leg> Legs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Chain = false);

public enum SolveStatus
{
    /// <summary>Objective equals the bound (within 1e-6 relative): proven optimal.</summary>
    Optimal,
    /// <summary>A valid plan whose distance to the optimum is at most <see cref="ClearingResult.Gap"/>.</summary>
    Feasible,
}

/// <summary>Figures of a round, for logs, traces and the round record. <see cref="CycleLengths"/> counts cycles by
/// their number of towns; chains are counted apart (<see cref="Chains"/>, written only when there are some).
/// <see cref="InvalidPlan"/>: the rule the engine's own plan broke, when <see cref="SolveOptions.FallBackOnInvalidPlan"/>
/// put the bilateral baseline's plan in its place (null otherwise).</summary>
public sealed record SolveStats(
    int Listings,
    int Towns,
    int Edges,
    int Trades,
    IReadOnlyDictionary<int, int> CycleLengths,
    double Seconds,
    int Components,
    int Columns,
    string Method,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int Chains = 0,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? InvalidPlan = null);

/// <summary>
/// The engine's answer. <see cref="Objective"/> = Σ legs' value − Σ transport cost;
/// <see cref="Bound"/> ≥ the best achievable objective; <see cref="Gap"/> = (Bound − Objective) / Bound (0 when Bound is 0).
/// </summary>
public sealed record ClearingResult(
    IReadOnlyList<Trade> Trades,
    double Objective,
    double Bound,
    double Gap,
    SolveStatus Status,
    SolveStats Stats);
