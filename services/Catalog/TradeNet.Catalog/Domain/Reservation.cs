namespace TradeNet.Catalog.Domain;

public static class ReservationStates
{
    /// <summary>Quantities are set aside for the trade.</summary>
    public const string Held = "held";
    /// <summary>The reservation was refused; nothing was set aside.</summary>
    public const string Refused = "refused";
    public const string Released = "released";
    public const string Fulfilled = "fulfilled";
}

/// <summary>The catalog's record of a trade's reservation: the outcome a repeated request answers with,
/// and what a cancellation or completion has to undo or book.</summary>
public sealed record Reservation(
    Guid TradeId,
    bool Reserved,
    string Reason,
    ReservationLine[] Lines,
    string State,
    DateTimeOffset CreatedAt);

public sealed record ReservationLine(string ListingId, double Quantity);
