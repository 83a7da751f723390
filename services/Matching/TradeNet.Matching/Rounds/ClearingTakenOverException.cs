namespace TradeNet.Matching.Rounds;

/// <summary>The round's lease ran out while it solved (it stalled past the lease) and another instance took it (it may
/// have cleared, even let go since): it stored and proposed nothing.</summary>
public sealed class ClearingTakenOverException()
    : Exception("This round's clearing lease ran out while it was solving and another matching instance took over clearing; this round proposed nothing. Start a new round.");

/// <summary>Another round, of another instance or of this one, held the clearing lease or the gate for as long as a lease
/// lasts: it is running. Nothing was done.</summary>
public sealed class ClearingBusyException(bool thisInstance = false)
    : Exception((thisInstance ? "This matching instance" : "Another matching instance")
        + " is running a clearing round; this one did not start. Try again when it has finished.");
