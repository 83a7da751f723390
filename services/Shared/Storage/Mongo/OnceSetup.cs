namespace TradeNet.Shared.Storage.Mongo;

/// <summary>Setup a store needs before first use (indexes, collections) that runs until it succeeds once. Callers
/// share one attempt at a time; a failed attempt is tried again by the next caller rather than remembered — a
/// <c>Lazy&lt;Task&gt;</c> would fail every call after one moment without the database, leaving the service
/// not ready for good while its liveness stays green.</summary>
public sealed class OnceSetup(Func<CancellationToken, Task> setup)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _done;

    public async Task EnsureAsync(CancellationToken ct = default)
    {
        if (_done) return;
        await _gate.WaitAsync(ct);
        try
        {
            if (_done) return;
            await setup(ct);
            _done = true;
        }
        finally
        {
            _gate.Release();
        }
    }
}
