namespace TradeNet.Testing;

/// <summary>The system clock moved by <see cref="Shift"/>, given to a service under test as its <see cref="TimeProvider"/>:
/// a test plans "yesterday" to get shipments that are late today, or moves past a deadline or a listing's window instead
/// of waiting for it (so the steps before it need not beat a short deadline on a loaded machine). Internal tokens are
/// not: the services validate their lifetime on the system clock (JWT bearer's own), so a test's tokens are issued on
/// real time whatever the shift (found by the time hunt's second part, which pins clocks years ahead).</summary>
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
