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

public sealed record TradeCancelled(Guid TradeId, string Reason, bool WasAgreed, TradeLeg[] Legs);

public sealed record TradeCompleted(Guid TradeId, TradeLeg[] Legs);
