using TradeNet.Contracts;

namespace TradeNet.Logistics.Domain;

public enum TransferStatus { Pending, Planned, Cancelled }

/// <summary>One leg of an agreed trade to be moved: pick up at the giving town, deliver to the receiving town.</summary>
public sealed record TransferOrder(
    Guid Id,
    Guid TradeId,
    int LegIndex,
    string FromTown,
    string ToTown,
    TradePoint From,
    TradePoint To,
    string Category,
    double Quantity,
    double WeightKg,
    DateTimeOffset? WindowFrom,
    DateTimeOffset? WindowUntil,
    TransferStatus Status,
    DateTimeOffset CreatedAt)
{
    public static TransferOrder FromLeg(Guid tradeId, TradeLeg leg, DateTimeOffset now) =>
        new(Guid.NewGuid(), tradeId, leg.Index, leg.FromTown, leg.ToTown, leg.From, leg.To, leg.Category,
            leg.Quantity, leg.WeightKg, leg.AvailableFrom, leg.AvailableUntil, TransferStatus.Pending, now);
}
