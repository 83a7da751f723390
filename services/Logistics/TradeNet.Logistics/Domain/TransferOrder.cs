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
    /// <summary>Why no route planner can take the leg, or null. The planner refuses a whole request over one such transfer
    /// (<c>RoutePlanner</c>'s input check), so one stored would fail every planning run while it waited. Matching never sends
    /// one (catalog checks towns' points, weights come from quantities); this keeps a bad message from reaching the runs.</summary>
    public static string? Unplannable(TradeLeg leg)
    {
        if (string.IsNullOrWhiteSpace(leg.FromTown)) return "fromTown: is required";
        if (string.IsNullOrWhiteSpace(leg.ToTown)) return "toTown: is required";
        if (string.IsNullOrWhiteSpace(leg.Category)) return "category: is required";
        if (!double.IsFinite(leg.Quantity) || leg.Quantity < 0) return $"quantity: must be a finite number ≥ 0, not {leg.Quantity}";
        if (!double.IsFinite(leg.WeightKg) || leg.WeightKg < 0) return $"weightKg: must be a finite number ≥ 0, not {leg.WeightKg}";
        return PointProblem(leg.From, "from") ?? PointProblem(leg.To, "to");

        static string? PointProblem(TradePoint? point, string field) => point switch
        {
            null => $"{field}: is required",
            { Lat: not (>= -90 and <= 90) } => $"{field}.lat: must be within [-90, 90], not {point.Lat}",
            { Lon: not (>= -180 and <= 180) } => $"{field}.lon: must be within [-180, 180], not {point.Lon}",
            _ => null,
        };
    }

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
