namespace TradeNet.Testing;

/// <summary>The system clock moved by <see cref="Shift"/>, given to a service under test as its <see cref="TimeProvider"/>:
/// a test plans "yesterday" to get shipments that are late today, or moves past a deadline or a listing's window instead
/// of waiting for it (so the steps before it need not beat a short deadline on a loaded machine). Tokens are checked
/// against this clock too: they last 5 minutes, so a shift of a minute or two keeps them valid, and a day only while
/// nothing is authenticated.</summary>
public sealed class ShiftedClock : TimeProvider
{
    private long _shift;

    /// <summary>Read by the service's threads while the test's sets it.</summary>
    public TimeSpan Shift
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _shift));
        set => Interlocked.Exchange(ref _shift, value.Ticks);
    }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Shift;
}
