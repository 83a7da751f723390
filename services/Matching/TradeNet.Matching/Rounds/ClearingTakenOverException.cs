namespace TradeNet.Matching.Rounds;

/// <summary>The round's lease ran out while it solved (it stalled past the lease; another instance may have taken
/// over, even cleared and let go): it stored and proposed nothing.</summary>
public sealed class ClearingTakenOverException()
    : Exception("This round's clearing lease ran out while it was solving, so another matching instance may have taken over clearing; this round proposed nothing. Start a new round.");

/// <summary>Another instance held the clearing lease for as long as a lease lasts: its round is running. Nothing was done.</summary>
public sealed class ClearingBusyException()
    : Exception("Another matching instance is running a clearing round; this one did not start. Try again when it has finished.");
