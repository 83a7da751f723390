using TradeNet.Matching.Clearing;

namespace TradeNet.Matching.Tests.Component;

/// <summary>Clears like <see cref="BilateralClearing"/>, but holds the round inside the strategy until the test releases it,
/// so the test can change the book while a round is solving.</summary>
public sealed class GatedStrategy : IClearingStrategy
{
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a round reaches the strategy; a round that never does (it failed before solving) fails
    /// the test after 30 s instead of leaving it waiting for ever.</summary>
    public Task Started => _started.Task.WaitAsync(TimeSpan.FromSeconds(30));

    public void Release() => _release.TrySetResult();

    public async Task<ClearingOutcome> ClearAsync(OrderBook book, ClearingSettings settings, CancellationToken ct)
    {
        _started.TrySetResult();
        await _release.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
        return BilateralClearing.Clear(book, settings, ct);
    }
}
