using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TradeNet.Shared.Storage;

/// <summary>
/// Forgets consumed message ids older than <see cref="StorageOptions.InboxRetention"/>, hourly. The inbox only has to
/// outlive redeliveries — an unacknowledged message comes back within minutes, an outbox re-publish after a crash as
/// soon as the relay runs again — and kept forever it would grow with every message the service ever consumed.
/// </summary>
public sealed class InboxRetention<TStore>(TStore store, IOptions<StorageOptions> options, TimeProvider clock, ILogger<InboxRetention<TStore>> logger)
    : RetentionSweep(clock, logger) where TStore : IOutboxStore
{
    protected override string Name => $"Inbox {typeof(TStore).Name}";

    protected override TimeSpan? Retention => options.Value.InboxRetention;

    protected override int Batch => 10_000;

    // What an outbox hands over again at start (kept events after a crash, every event of a restored backup, which may be
    // weeks old) must still find the ids its consumers recorded: a sweep at start would forget them first and let the
    // events apply twice. The relay hands its backlog over in its first minutes.
    protected override TimeSpan FirstSweepAfter => TimeSpan.FromMinutes(10);

    protected override Task<int> DeleteAsync(DateTimeOffset before, int max, CancellationToken ct) => store.ForgetConsumedAsync(before, max, ct);

    protected override void Swept(ILogger log, int count, DateTimeOffset before) =>
        log.LogInformation("Inbox {Store}: forgot {Count} message ids consumed before {Before:O}", typeof(TStore).Name, count, before);
}

public static class OutboxRegistration
{
    /// <summary>The relay that publishes <typeparamref name="TStore"/>'s outbox and the sweep that bounds its inbox.</summary>
    public static IServiceCollection AddOutboxRelay<TStore>(this IServiceCollection services) where TStore : IOutboxStore =>
        services.AddHostedService<OutboxRelay<TStore>>().AddHostedService<InboxRetention<TStore>>();
}
