namespace TradeNet.Shared.Storage.Sqlite;

/// <summary>
/// One file's writer turn, handed out first come, first served, except that a write nobody waits for (made while
/// consuming a message, <see cref="BackgroundWrites"/>) lets writes someone waits for (a request's) go first, for at
/// most <see cref="MaxDeferral"/>. Under load the listing events' consumers kept matching's turn about 70% busy, and
/// an accept queued behind them for 100–500 ms per write (docs/benchmarks.md, "Running system"); they are deferred
/// instead, still in their order, and never for long, so the book lags a little rather than a town's answer.
/// </summary>
public sealed class WriteTurn
{
    /// <summary>How long a waiting background write lets others go first; after that it goes next.</summary>
    public static readonly TimeSpan MaxDeferral = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private readonly LinkedList<Waiter> _foreground = new();
    private readonly LinkedList<Waiter> _background = new();
    private readonly TimeProvider _clock;
    private bool _held;

    public WriteTurn(TimeProvider? clock = null) => _clock = clock ?? TimeProvider.System;

    /// <summary>True once the turn is the caller's (give it back with <see cref="Release"/>); false after
    /// <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitAsync(bool background, TimeSpan timeout, CancellationToken ct)
    {
        Waiter waiter;
        LinkedListNode<Waiter> node;
        lock (_lock)
        {
            if (!_held)
            {
                _held = true;
                return true;
            }
            waiter = new Waiter(_clock.GetTimestamp());
            node = (background ? _background : _foreground).AddLast(waiter);
        }
        using var expiry = CancellationTokenSource.CreateLinkedTokenSource(ct);
        expiry.CancelAfter(timeout);
        await using (expiry.Token.Register(() => GiveUp(node)))
        {
            if (await waiter.Turn.Task) return true;
        }
        ct.ThrowIfCancellationRequested();
        return false;
    }

    /// <summary>Hands the turn to the next writer: the oldest background write once it has waited
    /// <see cref="MaxDeferral"/>, else the oldest foreground one, else the oldest background one.</summary>
    public void Release()
    {
        lock (_lock)
        {
            var next = _background.First is { } oldest && (_foreground.First is null || Waited(oldest.Value) >= MaxDeferral)
                ? oldest
                : _foreground.First;
            if (next is null)
            {
                _held = false;
                return;
            }
            next.List!.Remove(next);
            // The turn stays held: it passes straight to the waiter, whose continuation runs on its own.
            next.Value.Turn.SetResult(true);
        }
    }

    private TimeSpan Waited(Waiter waiter) => _clock.GetElapsedTime(waiter.Since);

    private void GiveUp(LinkedListNode<Waiter> node)
    {
        lock (_lock)
        {
            // Handed the turn already (Release removed it): the waiter takes it after all.
            if (node.List is null) return;
            node.List.Remove(node);
            node.Value.Turn.SetResult(false);
        }
    }

    private sealed class Waiter(long since)
    {
        public long Since { get; } = since;
        public TaskCompletionSource<bool> Turn { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
