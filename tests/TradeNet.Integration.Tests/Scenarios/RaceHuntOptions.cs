namespace TradeNet.Integration.Tests.Scenarios;

/// <summary>How hard <see cref="RaceHunt"/> hunts: waves of fresh towns, each wave one round's proposals raced at once.</summary>
public sealed record RaceHuntOptions
{
    /// <summary>Waves run one after another; every wave races each of its proposals in one of the answer races, then each
    /// of the trades that got agreed in one of the shipment races, then a listing shared by two proposals.</summary>
    public int Waves { get; init; } = 2;

    /// <summary>Towns a wave registers (an offer and a need each): about half as many proposals.</summary>
    public int TownsPerWave { get; init; } = 10;

    /// <summary>How long towns have to answer: short, so a burst can be aimed at a proposal's deadline. The host must run
    /// with the same <c>Matching:ProposalTtl</c> (<see cref="HostSettings"/>).</summary>
    public TimeSpan ProposalTtl { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>The settings the host under test needs for this hunt.</summary>
    public IReadOnlyDictionary<string, string> HostSettings => new Dictionary<string, string>
    {
        ["Matching__ProposalTtl"] = ProposalTtl.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
        // Expiries and reservation retries land within a second of being due.
        ["Matching__SweepInterval"] = "00:00:01",
        // Bursts and audits share one operator's allowance at the gateway.
        ["Gateway__RateLimit__PermitsPerMinute"] = "100000",
    };
}
