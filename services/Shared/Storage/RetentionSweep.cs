using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TradeNet.Shared.Storage;

/// <summary>
/// Deletes what is older than a retention, hourly, a batch per write until a batch comes back short: the loop the stores'
/// retentions share (the inbox's consumed ids, matching's round records). A failed sweep is logged and tried again at the
/// next hour: what it would have deleted only waits. Safe in every replica: a delete of what another replica deleted
/// already deletes nothing.
/// </summary>
public abstract class RetentionSweep(TimeProvider clock, ILogger logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>What the log calls the sweep ("Inbox SqliteOutboxStore", "Round retention").</summary>
    protected abstract string Name { get; }

    /// <summary>How long to keep; zero or less (or null): keep everything, and the sweep does nothing.</summary>
    protected abstract TimeSpan? Retention { get; }

    protected abstract int Batch { get; }

    /// <summary>How long after start the first sweep waits; then hourly.</summary>
    protected virtual TimeSpan FirstSweepAfter => TimeSpan.Zero;

    /// <summary>Deletes at most <paramref name="max"/> entries from before <paramref name="before"/>; returns how many.</summary>
    protected abstract Task<int> DeleteAsync(DateTimeOffset before, int max, CancellationToken ct);

    /// <summary>One sweep: deletes every entry past the retention, a batch at a time; returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        if (Retention is not { } keep || keep <= TimeSpan.Zero) return 0;
        var before = clock.GetUtcNow() - keep;
        var total = await Batches.DeleteUntilShortAsync((max, token) => DeleteAsync(before, max, token), Batch, ct);
        if (total > 0) Swept(logger, total, before);
        return total;
    }

    /// <summary>The information line of a sweep that deleted something (a sweep keeps the line operators already alert on).</summary>
    protected virtual void Swept(ILogger log, int count, DateTimeOffset before) =>
        log.LogInformation("{Sweep}: deleted {Count} entries from before {Before:O}", Name, count, before);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Retention is not { } keep || keep <= TimeSpan.Zero) return;
        if (FirstSweepAfter > TimeSpan.Zero)
        {
            try { await Task.Delay(FirstSweepAfter, clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "{Sweep}: sweep failed; the next one tries again", Name);
            }
            try { await Task.Delay(Interval, clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}
