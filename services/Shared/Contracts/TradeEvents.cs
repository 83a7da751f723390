namespace TradeNet.Contracts;

/// <summary>One leg of a trade: the giving town's offer serves the receiving town's need.</summary>
public sealed record TradeLeg(
    int Index,
    string FromTown,
    string ToTown,
    string OfferId,
    string NeedId,
    string Category,
    double Quantity,
    double Value,
    double WeightKg,
    TradePoint From,
    TradePoint To,
    DateTimeOffset? AvailableFrom,
    DateTimeOffset? AvailableUntil);

public sealed record TradePoint(double Lat, double Lon);

public sealed record TradeProposed(Guid TradeId, Guid RoundId, TradeLeg[] Legs, DateTimeOffset Deadline);

public sealed record TradeAgreed(Guid TradeId, TradeLeg[] Legs);

/// <param name="DeliveredLegs">An agreed trade an operator cancelled after some legs arrived: their indexes. Catalog books
/// those legs as fulfilled and releases the rest; absent (older senders) or empty, everything is released.</param>
public sealed record TradeCancelled(Guid TradeId, string Reason, bool WasAgreed, TradeLeg[] Legs, int[]? DeliveredLegs = null);

public sealed record TradeCompleted(Guid TradeId, TradeLeg[] Legs);

/// <summary>A leg whose goods arrived, and when (absent only from a sender that did not know).</summary>
public sealed record ArrivedLeg(int LegIndex, DateTimeOffset? At);

/// <summary>Logistics stopped an agreed trade's goods at an operator's request (gRPC <c>StopTrade</c>), in the write that
/// stopped them. Matching cancels the trade on it if its own write has not yet: the operator's call may have ended
/// between the two (a crash, a timeout), and the stop must not leave the trade agreed with nothing of it moving.</summary>
/// <param name="Reason">The cancellation's reason as matching sent it.</param>
/// <param name="ArrivedLegs">The legs delivered before the stop: they stay given.</param>
public sealed record TradeStopped(Guid TradeId, string Reason, ArrivedLeg[] ArrivedLegs, DateTimeOffset At);
