using TradeNet.Contracts;

namespace TradeNet.Logistics.Domain;

/// <summary>Where a leg stands in logistics. <see cref="Held"/>: its shipments failed too often; planning leaves it
/// alone until an operator releases it (appended last so stored numbers, if any, keep their meaning).</summary>
public enum TransferStatus { Pending, Planned, Cancelled, Held, Delivered }

/// <summary>One leg of an agreed trade to be moved: pick up at the giving town, deliver to the receiving town.</summary>
/// <remarks><see cref="Attempts"/> counts the leg's failed shipments since it was agreed or last released.</remarks>
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
    DateTimeOffset CreatedAt,
    int Attempts = 0,
    string? LastFailureReason = null,
    DateTimeOffset? LastFailedAt = null)
{
    public static TransferOrder FromLeg(Guid tradeId, TradeLeg leg, DateTimeOffset now) =>
        new(Guid.NewGuid(), tradeId, leg.Index, leg.FromTown, leg.ToTown, leg.From, leg.To, leg.Category,
            leg.Quantity, leg.WeightKg, leg.AvailableFrom, leg.AvailableUntil, TransferStatus.Pending, now);

    /// <summary>After one of its shipments failed: pending for the next planning run, or held once
    /// <paramref name="maxAttempts"/> shipments have failed, so a leg that cannot be delivered stops using vehicles.</summary>
    public TransferOrder AfterFailedShipment(string reason, DateTimeOffset at, int maxAttempts)
    {
        var attempts = Attempts + 1;
        return this with
        {
            Status = attempts >= maxAttempts ? TransferStatus.Held : TransferStatus.Pending,
            Attempts = attempts,
            LastFailureReason = reason,
            LastFailedAt = at,
        };
    }

    /// <summary>An operator's release: planned again from scratch. The last failure stays, as history.</summary>
    public TransferOrder Released() => this with { Status = TransferStatus.Pending, Attempts = 0 };
}
