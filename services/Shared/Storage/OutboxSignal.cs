namespace TradeNet.Shared.Storage;

/// <summary>Wakes the outbox relays as soon as a write commits events, so they need not poll fast.</summary>
public static class OutboxSignal
{
    private static TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static void Raise() =>
        Interlocked.Exchange(ref _next, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    public static Task WaitAsync(TimeSpan timeout, CancellationToken ct) =>
        Task.WhenAny(Volatile.Read(ref _next).Task, Task.Delay(timeout, ct));
}
