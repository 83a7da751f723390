namespace TradeNet.Logistics.Api;

/// <summary>The rules a carrier's failure reason obeys, per shipment or per stop.</summary>
internal static class FailureReasons
{
    /// <summary>What is wrong with the (trimmed) reason, or null when it is fine. Reasons reach logs, events and
    /// matching's trades, where a control character could forge a line.</summary>
    public static string? Error(string? reason) => reason switch
    {
        null or "" => "is required",
        { Length: > ShipmentEndpoints.MaxReasonLength } => $"must be at most {ShipmentEndpoints.MaxReasonLength} characters",
        _ when reason.Any(char.IsControl) => "must not contain control characters",
        _ => null,
    };
}
