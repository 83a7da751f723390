namespace TradeNet.Matching.Rounds;

/// <summary>The round lost its lease while it solved (it stalled past the lease, and another instance took over):
/// it stored and proposed nothing.</summary>
public sealed class ClearingTakenOverException()
    : Exception("Another matching instance took over clearing while this round was solving; this round proposed nothing. Start a new round.");
