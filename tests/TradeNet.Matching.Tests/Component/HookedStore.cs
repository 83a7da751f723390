using TradeNet.Contracts;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Storage;

namespace TradeNet.Matching.Tests.Component;

/// <summary>The real store, with a hook the test arms to run once right after the next read of the open listings
/// or of a list of trades, so it can change state between the reads a round makes (and one for the next read of a
/// single listing).</summary>
public sealed class HookedStore : IMatchingStore
{
    private IMatchingStore _inner = null!;
    private Func<Task>? _afterNextRead;

    public IMatchingStore Wrap(IMatchingStore inner)
    {
        _inner = inner;
        return this;
    }

    public void AfterNextRead(Func<Task> hook) => _afterNextRead = hook;

    public async Task<IMatchingSession> BeginAsync(CancellationToken ct = default)
    {
        // Before the write begins: with SQLite a write inside the hook would wait for the one begun here.
        await (Interlocked.Exchange(ref _beforeNextWrite, null)?.Invoke() ?? Task.CompletedTask);
        var session = await _inner.BeginAsync(ct);
        return WrapSession?.Invoke(session) ?? session;
    }

    /// <summary>Wraps each write the store begins (set before the host starts).</summary>
    public Func<IMatchingSession, IMatchingSession>? WrapSession { get; init; }

    /// <summary>Runs once right before the next write begins (as the write of a round that has solved).</summary>
    public void BeforeNextWrite(Func<Task> hook) => _beforeNextWrite = hook;
    private Func<Task>? _beforeNextWrite;

    public async Task<IReadOnlyList<ListingSnapshot>> LiveListingsAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        var listings = await _inner.LiveListingsAsync(now, ct);
        await RunHookAsync();
        return listings;
    }

    public async Task<IReadOnlyList<ListingSnapshot>> ListingsPageAsync(string? after, int limit, CancellationToken ct = default)
    {
        var listings = await _inner.ListingsPageAsync(after, limit, ct);
        await RunHookAsync();
        return listings;
    }

    public async Task<BookListing?> GetListingAsync(string id, CancellationToken ct = default)
    {
        var listing = await _inner.GetListingAsync(id, ct);
        await (Interlocked.Exchange(ref _afterNextListingRead, null)?.Invoke() ?? Task.CompletedTask);
        return listing;
    }

    /// <summary>Runs once right after the next read of one listing (<see cref="GetListingAsync"/>).</summary>
    public void AfterNextListingRead(Func<Task> hook) => _afterNextListingRead = hook;
    private Func<Task>? _afterNextListingRead;

    public Task<Trade?> GetTradeAsync(Guid id, CancellationToken ct = default) => _inner.GetTradeAsync(id, ct);

    public async Task<IReadOnlyList<Trade>> TradesAsync(TradeQuery query, CancellationToken ct = default)
    {
        var trades = await _inner.TradesAsync(query, ct);
        await RunHookAsync();
        return trades;
    }

    public async Task<IReadOnlyDictionary<string, IReadOnlyList<Trade>>> TradesUsingListingsAsync(IReadOnlyCollection<string> listingIds,
        TradeStatus status, CancellationToken ct = default)
    {
        var trades = await _inner.TradesUsingListingsAsync(listingIds, status, ct);
        await RunHookAsync();
        return trades;
    }

    public Task<ClearingRound?> GetRoundAsync(Guid id, CancellationToken ct = default) => _inner.GetRoundAsync(id, ct);

    public Task<IReadOnlyList<ClearingRound>> RoundsAsync(int limit, CancellationToken ct = default) => _inner.RoundsAsync(limit, ct);

    public Task<IReadOnlyDictionary<TradeStatus, long>> CountTradesByStatusAsync(CancellationToken ct = default) =>
        _inner.CountTradesByStatusAsync(ct);

    public Task<int> ForgetRoundsAsync(DateTimeOffset before, int max, CancellationToken ct = default) =>
        _inner.ForgetRoundsAsync(before, max, ct);

    public Task<int> ForgetUnagreedTradesAsync(DateTimeOffset before, int max, CancellationToken ct = default) =>
        _inner.ForgetUnagreedTradesAsync(before, max, ct);

    /// <summary>How many lease writes (takes and renewals) have been asked for.</summary>
    public int LeaseWrites => Volatile.Read(ref _leaseWrites);
    private int _leaseWrites;

    public Task<bool> TryTakeLeaseAsync(string name, string holder, DateTimeOffset now, DateTimeOffset until, CancellationToken ct = default)
    {
        Interlocked.Increment(ref _leaseWrites);
        return _inner.TryTakeLeaseAsync(name, holder, now, until, ct);
    }

    public Task<bool> TryExtendLeaseAsync(string name, string holder, DateTimeOffset until, CancellationToken ct = default)
    {
        Interlocked.Increment(ref _leaseWrites);
        return _inner.TryExtendLeaseAsync(name, holder, until, ct);
    }

    public Task ReleaseLeaseAsync(string name, string holder, CancellationToken ct = default) => _inner.ReleaseLeaseAsync(name, holder, ct);

    private Task RunHookAsync() => Interlocked.Exchange(ref _afterNextRead, null)?.Invoke() ?? Task.CompletedTask;
}
