namespace TradeNet.Logistics.Tests.Component;

/// <summary>The system clock moved by <see cref="Shift"/>: a test plans "yesterday" to get shipments that are late today.
/// Only while nothing is authenticated: tokens are checked against this clock too.</summary>
internal sealed class ShiftedClock : TimeProvider
{
    public TimeSpan Shift { get; set; }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Shift;
}
