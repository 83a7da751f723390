using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TradeNet.Matching.Storage;

/// <summary>/health is ready only when matching's store answers (the SQLite file opens, MongoDB responds).</summary>
public sealed class MatchingStoreHealthCheck(IMatchingStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await store.RoundsAsync(1, timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("matching store unreachable", ex);
        }
    }
}
