using Microsoft.Extensions.Diagnostics.HealthChecks;
using TradeNet.Logistics.Storage;

namespace TradeNet.Logistics;

/// <summary>Ready only when the store answers; reports how many events wait in the outbox.</summary>
internal sealed class LogisticsStoreHealthCheck(ILogisticsStore store, LogisticsOutbox outbox) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await store.ShipmentsAsync(new ShipmentQuery(Limit: 1), ct);
            var backlog = await outbox.BacklogAsync(ct);
            return HealthCheckResult.Healthy("logistics store reachable", new Dictionary<string, object>
            {
                ["outbox.pending"] = backlog.Pending,
                ["outbox.oldest"] = backlog.OldestPendingAt?.ToString("O") ?? "",
            });
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("logistics store unreachable", ex);
        }
    }
}
