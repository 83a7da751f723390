namespace TradeNet.Matching.Api;

/// <summary>Counterparts are worked out for one listing at a time in a process. Each answer reads the whole live book and
/// weighs the town's listings against it (measured: 8–12 s of a core for a town with 500 listings over a 20,000-listing
/// book), and any town may ask, so a town asking in a loop would otherwise take every core from the rounds and the
/// other routes. A request that does not get its turn within <see cref="Wait"/> is answered 503 with Retry-After.</summary>
internal sealed class CounterpartGate
{
    private readonly SemaphoreSlim _turn = new(1, 1);

    public TimeSpan Wait { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The turn, to dispose when done; null when another request kept it for all of <see cref="Wait"/>.</summary>
    public async Task<IDisposable?> EnterAsync(CancellationToken ct) => await _turn.WaitAsync(Wait, ct) ? new Turn(_turn) : null;

    private sealed class Turn(SemaphoreSlim turn) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) turn.Release();
        }
    }
}
