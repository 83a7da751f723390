namespace TradeNet.Matching.Api;

/// <summary>Counterparts are worked out for one listing at a time in a process, and a request that does not get its turn
/// within <see cref="Wait"/> is answered 503 with Retry-After. Set when each answer read and parsed the whole live book
/// and weighed the town's listings against it (measured 8–12 s of a core, then 0.1–0.35 s, for a town with 500 listings
/// over a 20,000-listing book). Since the book is kept per book version (<see cref="CounterpartBooks"/>), an answer
/// costs 2–11 ms while the book is unchanged and 12–21 ms after a change (docs/benchmarks.md); kept as a
/// bound on what a town asking in a loop can take from the rounds and the other routes, and because one turn also
/// keeps the kept book from being built twice at once.</summary>
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
