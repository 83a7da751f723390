namespace TradeNet.Testing;

/// <summary>The system clock until a test pins it to an instant, forwards or back (FakeTimeProvider refuses to go back);
/// unpinned again with null. Read by the service's threads while the test's sets it.</summary>
public sealed class PinnedClock : TimeProvider
{
    private long _pinned;

    public DateTimeOffset? Pinned
    {
        get => Interlocked.Read(ref _pinned) is var t and not 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null;
        set => Interlocked.Exchange(ref _pinned, value?.UtcTicks ?? 0);
    }

    public override DateTimeOffset GetUtcNow() => Pinned ?? System.GetUtcNow();
}
