namespace TradeNet.Matching.Engine.Tests;

/// <summary>The tests that time how soon a cancelled solve returns run one after the other: the master LP's builds 120,000
/// columns and runs PDLP on both cores, and beside it the MIP's (20 s limit, 10 s allowed) once took 13.8 s in CI.</summary>
[CollectionDefinition(Name)]
public sealed class SolverCancellationCollection
{
    public const string Name = "solver cancellation timing";
}
