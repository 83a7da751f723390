using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TradeNet.Shared.Storage;

/// <summary>
/// Forgets consumed message ids older than <see cref="StorageOptions.InboxRetention"/>, hourly. The inbox only has to
/// outlive redeliveries — an unacknowledged message comes back within minutes, an outbox re-publish after a crash as
/// soon as the relay runs again — and kept forever it would grow with every message the service ever consumed.
/// </summary>
public sealed class InboxRetention<TStore>(TStore store, IOptions<StorageOptions> options, TimeProvider clock, ILogger<InboxRetention<TStore>> logger)
    : BackgroundService where TStore : IOutboxStore
{
    private const int Batch = 10_000;
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>One sweep: deletes every entry past the retention, a batch at a time; returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var retention = options.Value.InboxRetention;
        if (retention <= TimeSpan.Zero) return 0;
        var before = clock.GetUtcNow() - retention;
        var total = 0;
        int deleted;
        do total += deleted = await store.ForgetConsumedAsync(before, Batch, ct);
        while (deleted == Batch && !ct.IsCancellationRequested);
        if (total > 0)
            logger.LogInformation("Inbox {Store}: forgot {Count} message ids consumed before {Before:O}", typeof(TStore).Name, total, before);
        return total;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
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
                // The next sweep tries again; nothing is lost by waiting.
                logger.LogWarning(ex, "Inbox {Store}: sweep failed", typeof(TStore).Name);
            }
            try { await Task.Delay(Interval, clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}

public static class OutboxRegistration
{
    /// <summary>The relay that publishes <typeparamref name="TStore"/>'s outbox and the sweep that bounds its inbox.</summary>
    public static IServiceCollection AddOutboxRelay<TStore>(this IServiceCollection services) where TStore : IOutboxStore =>
        services.AddHostedService<OutboxRelay<TStore>>().AddHostedService<InboxRetention<TStore>>();
}
