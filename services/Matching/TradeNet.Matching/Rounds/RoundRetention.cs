using Microsoft.Extensions.Options;
using TradeNet.Matching.Storage;

namespace TradeNet.Matching.Rounds;

/// <summary>Deletes round records older than <c>Matching:RoundRetention</c>, hourly, when it is set (opt-in: by default
/// every round is kept). A round every few minutes leaves about 0.2–1 MB a day that only operators read; trades, which
/// towns and catalog's reservations refer to, are never touched. Safe in every replica: a delete of what another
/// replica deleted already deletes nothing.</summary>
public sealed class RoundRetention(IMatchingStore store, IOptions<MatchingOptions> options, TimeProvider clock, ILogger<RoundRetention> logger)
    : BackgroundService
{
    private const int Batch = 5_000;
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>One sweep, a batch per write until nothing is left; returns how many rounds it deleted.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        if (options.Value.RoundRetention is not { } keep || keep <= TimeSpan.Zero) return 0;
        var before = clock.GetUtcNow() - keep;
        var total = 0;
        int deleted;
        do total += deleted = await store.ForgetRoundsAsync(before, Batch, ct);
        while (deleted == Batch && !ct.IsCancellationRequested);
        if (total > 0) logger.LogInformation("Round retention: deleted {Count} rounds started before {Before:O}", total, before);
        return total;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.RoundRetention is not { } keep || keep <= TimeSpan.Zero) return;
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
                // The next sweep tries again; a round kept an hour longer harms nothing.
                logger.LogWarning(ex, "Round retention: sweep failed");
            }
            try { await Task.Delay(Interval, clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}
