namespace TradeNet.Integration.Tests.Scenarios;

/// <summary>How busy <see cref="RandomFleet"/> keeps logistics. The defaults are the CI run (15 s here with the host's start; more on a loaded
/// 2-core machine); the heavy variant raises towns, actors and steps.</summary>
public sealed record RandomFleetOptions
{
    public int Towns { get; init; } = 6;
    public int Actors { get; init; } = 4;
    public int Steps { get; init; } = 120;

    /// <summary>Rounds of "plan, then pick up and deliver (or fail) everything on the road" after the actors.</summary>
    public int DrainRounds { get; init; } = 6;
}
