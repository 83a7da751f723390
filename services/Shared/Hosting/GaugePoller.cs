using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TradeNet.Shared.Hosting;

/// <summary>
/// Reads a store every 5 s for an observable gauge: stores are async and gauge callbacks must not do I/O, so the
/// gauge reports the last poll. A failed poll is logged and the next one tries again.
/// </summary>
public abstract class GaugePoller(ILogger logger) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(5);

    /// <summary>One poll: the timer calls it, and tests may call it to read the store now rather than wait for a tick.</summary>
    public abstract Task PollAsync(CancellationToken ct);

    /// <summary>What the poll reads, for the log line when it fails.</summary>
    protected abstract string What { get; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every);
        do
        {
            try
            {
                await PollAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogDebug(ex, "Could not read {What}", What);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken).AsTask().ContinueWith(t => !t.IsCanceled && t.Result));
    }
}
