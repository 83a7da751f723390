using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using TradeNet.Shared.Storage;

namespace TradeNet.Shared.Hosting;

/// <summary>Gauges of each outbox's backlog: events waiting to be published and the age of the oldest.
/// Tag tradenet.outbox names the store (one process may host several services).</summary>
public static class OutboxBacklogMetrics
{
    private static readonly ConcurrentDictionary<string, OutboxBacklog> Latest = new();

    static OutboxBacklogMetrics()
    {
        TradeNetTelemetry.Meter.CreateObservableGauge("tradenet.outbox.pending", () =>
            Latest.Select(p => new Measurement<long>(p.Value.Pending, Outbox(p.Key))), "{event}",
            "Events written to the outbox and not yet confirmed by the broker");
        TradeNetTelemetry.Meter.CreateObservableGauge("tradenet.outbox.oldest_pending_age", () =>
            Latest.Select(p => new Measurement<double>(
                p.Value.OldestPendingAt is { } at ? Math.Max(0, (DateTimeOffset.UtcNow - at).TotalSeconds) : 0, Outbox(p.Key))), "s",
            "Age of the oldest event still waiting in the outbox (0 when empty)");
    }

    internal static void Record(string outbox, OutboxBacklog backlog) => Latest[outbox] = backlog;

    private static KeyValuePair<string, object?> Outbox(string name) => new("tradenet.outbox", name);

    /// <summary>Polls <typeparamref name="TStore"/>'s backlog for the gauges (the store is async; gauges read the last poll),
    /// and adds the health check <c>outbox-{outbox}</c>, Degraded while an event waits too long.</summary>
    public static IServiceCollection AddOutboxBacklogMetrics<TStore>(this IServiceCollection services, string outbox)
        where TStore : IOutboxStore
    {
        services.AddHealthChecks().Add(new HealthCheckRegistration($"outbox-{outbox}",
            sp => new OutboxHealthCheck<TStore>(sp.GetRequiredService<TStore>(), outbox), HealthStatus.Degraded, tags: null));
        return services.AddHostedService(sp => new OutboxBacklogPoller<TStore>(sp.GetRequiredService<TStore>(), outbox,
            sp.GetRequiredService<ILogger<OutboxBacklogPoller<TStore>>>()));
    }
}

public sealed class OutboxBacklogPoller<TStore>(TStore store, string outbox, ILogger<OutboxBacklogPoller<TStore>> logger)
    : GaugePoller(logger) where TStore : IOutboxStore
{
    protected override string What => $"the {outbox} outbox backlog";

    public override async Task PollAsync(CancellationToken ct) => OutboxBacklogMetrics.Record(outbox, await store.BacklogAsync(ct));
}
