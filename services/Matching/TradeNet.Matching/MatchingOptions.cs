namespace TradeNet.Matching;

/// <summary>Section "Matching".</summary>
public sealed class MatchingOptions
{
    public const string Section = "Matching";

    /// <summary>How often a scheduled clearing round runs; null (the default) means only on an operator's request.</summary>
    public TimeSpan? RoundInterval { get; set; }

    /// <summary>How long the towns have to answer a proposal.</summary>
    public TimeSpan ProposalTtl { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often proposals are checked for expiry and pending reservations are retried.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long past its deadline a fully accepted proposal may wait for catalog to confirm the reservation.</summary>
    public TimeSpan ReservationGrace { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Road distance = great circle × this factor.</summary>
    public double DetourFactor { get; set; } = TradeNet.Shared.Hosting.Geo.DefaultDetourFactor;

    /// <summary>"engine" (the optimal multi-town engine, default) or "bilateral" (greedy two-town swaps).</summary>
    public string Strategy { get; set; } = "engine";

    /// <summary>Largest number of towns in one trade (2..4).</summary>
    public int MaxCycleLength { get; set; } = 3;

    /// <summary>Wall-clock budget of the engine in one round; it answers with its best plan and bound when it runs out.</summary>
    public TimeSpan RoundTimeLimit { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the clearing lease lasts unrenewed (default 20 s; a round renews it every third of that): how
    /// long an instance killed mid-round holds up the others' rounds, and about how long a round waits for another
    /// instance's before it gives up (409).</summary>
    public TimeSpan RoundLease { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>About this many fitting (offer, need) pairs at most per ordered pair of towns in a round (≥ 1, default 4,096);
    /// past it each listing keeps its share of them, and at least one. A few towns at the catalog's 500 open
    /// listings in one good made tens of millions of pairs, about 0.25 KB each through the solve (docs/matching.md,
    /// "Crowded town pairs").</summary>
    public int MaxLegsPerTownPair { get; set; } = new TradeNet.Matching.Engine.SolveOptions().MaxLegsPerTownPair;

    /// <summary>When true, a round asks logistics for transport estimates and subtracts their cost from the objective.</summary>
    public bool TransportCost { get; set; }

    /// <summary>The load a transport estimate is for: a leg pays its weight's share of such a trip.</summary>
    public double ReferenceLoadKg { get; set; } = 1000;

    /// <summary>How long round records are kept (<c>GET /rounds</c>); unset or 0 (the default) keeps every one. A round
    /// every few minutes writes about 0.2–1 MB a day of records that only operators read; trades are never removed by it.</summary>
    public TimeSpan? RoundRetention { get; set; }

    /// <summary>The shortest <see cref="RoundRetention"/>: the day an operator looks back over when a town asks about
    /// yesterday's proposals.</summary>
    public static readonly TimeSpan MinRoundRetention = TimeSpan.FromDays(1);

    /// <summary>How long a proposal cancelled before it was ever agreed (declined, expired, or cancelled because a listing
    /// was withdrawn or changed) is kept after its cancellation; unset or 0 (the default) keeps every trade. Nothing outside
    /// matching names such a trade (catalog reserves only at agreement, logistics plans only agreed trades), and they are
    /// most of the trades of a busy network. Agreed, completed and proposed trades, and trades cancelled after agreement,
    /// are never removed by it.</summary>
    public TimeSpan? UnagreedTradeRetention { get; set; }

    /// <summary>The shortest <see cref="UnagreedTradeRetention"/>: a town asking about yesterday's declined or expired
    /// proposal still finds it, as operators find yesterday's rounds.</summary>
    public static readonly TimeSpan MinUnagreedTradeRetention = TimeSpan.FromDays(1);
}
