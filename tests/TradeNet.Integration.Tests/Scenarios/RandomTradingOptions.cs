namespace TradeNet.Integration.Tests.Scenarios;

/// <summary>How hard <see cref="RandomTrading"/> trades. The defaults are what CI runs on a shared network (each test
/// well under 30 s); the heavier switches turn on what a shared network cannot have (a fleet makes every other
/// scenario's legs wait for planning runs) and run in a network of their own.</summary>
public sealed record RandomTradingOptions
{
    public int Towns { get; init; } = 8;
    public int Actors { get; init; } = 4;
    public int Steps { get; init; } = 100;

    /// <summary>Some listings in a category counted in pieces, with odd min lots (matching proposes whole pieces).</summary>
    public bool WholePieces { get; init; } = true;

    /// <summary>Some listings available for a few seconds only, so windows end while trades on them are proposed.</summary>
    public bool ShortWindows { get; init; } = true;

    /// <summary>Carriers sometimes report a shipment failed (the leg waits for a new one, held after three).</summary>
    public bool Failures { get; init; } = true;

    /// <summary>Towns rotate their API keys now and then (a request still on the old key may get 401).</summary>
    public bool KeyRotations { get; init; } = true;

    /// <summary>An operator suspends one town halfway through (its listings withdrawn, its key refused).</summary>
    public bool SuspendOneTown { get; init; } = true;

    /// <summary>Vehicles registered for a depot town: legs wait for planning runs (operators ask for them) and go on
    /// consolidated routes; pickups then fall to an operator. Changes every scenario's logistics: own network only.</summary>
    public int Vehicles { get; init; }

    /// <summary>Set while services or the broker are taken down on purpose (<see cref="Chaos"/>): a call that met such an
    /// outage may get a 502/503/504, a refused connection or no answer; that is then expected, and the audit, not the
    /// actor, decides what the call did.</summary>
    public OutageWindows? Outages { get; init; }

    /// <summary>A pause after each step: spreads the steps over the time the outages take. With <see cref="Outages"/>
    /// the actors also go on past <see cref="Steps"/> until the last outage is over, so every outage meets trading.</summary>
    public TimeSpan StepPause { get; init; }

    /// <summary>Of ten answers to a proposal, how many accept it (the rest reject it). More agreed trades give the
    /// outages more reservations, shipments and deliveries to interrupt.</summary>
    public int AcceptTenths { get; init; } = 8;

    /// <summary>Towns move (small steps, larger ones, far beyond every need's limit, back home), are renamed and change
    /// their specialties, by themselves or an operator (<see cref="TownPlaces"/>).</summary>
    public bool TownChanges { get; init; } = true;

    /// <summary>How many backups an operator takes while the actors trade, spread over the run.</summary>
    public int Backups { get; init; } = 2;
}
