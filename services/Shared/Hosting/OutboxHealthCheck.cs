using Microsoft.Extensions.Diagnostics.HealthChecks;
using TradeNet.Shared.Storage;

namespace TradeNet.Shared.Hosting;

/// <summary>
/// Degraded while an outbox holds an event older than <see cref="StaleAfter"/>: nothing downstream has heard of it.
/// MassTransit's own check sees a broker that refuses connections, not one that hangs (paused, or packets dropped):
/// its connections stay open, and with the broker's VM paused every service said Healthy for three minutes while no
/// event left. Never worse than Degraded: the service's API works without the broker.
/// </summary>
internal sealed class OutboxHealthCheck<TStore>(TStore store, string outbox) : IHealthCheck where TStore : IOutboxStore
{
    /// <summary>Well past a publish's own wait for the broker (30 s), far short of what towns would notice as lost.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(60);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var backlog = await store.BacklogAsync(cancellationToken);
        var age = backlog.OldestPendingAt is { } at ? DateTimeOffset.UtcNow - at : TimeSpan.Zero;
        if (age < StaleAfter) return HealthCheckResult.Healthy($"The {outbox} outbox holds {backlog.Pending} events.");
        var events = backlog.Pending == 1 ? "1 event" : $"{backlog.Pending} events";
        return new HealthCheckResult(context.Registration.FailureStatus,
            $"The {outbox} outbox holds {events}, the oldest written {age.TotalSeconds:0} s ago: the broker has not confirmed them.");
    }
}
