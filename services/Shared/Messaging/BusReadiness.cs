using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TradeNet.Shared.Messaging;

/// <summary>
/// Whether the bus has started once: connected, with this process's queues bound. Until then the outbox relay holds
/// its events (published before the bindings exist, they could be dropped) and <c>/health</c> says Unhealthy, so a
/// process started during a broker outage waits out of rotation instead of failing its start. Once started, an outage
/// only degrades it (<see cref="BusExtensions"/>).
/// </summary>
public sealed class BusReadiness(IBusControl bus)
{
    private volatile bool _started;

    public bool Started => _started || (_started = bus.CheckHealth().Status == BusHealthStatus.Healthy);

    public async Task WaitAsync(CancellationToken ct)
    {
        while (!Started) await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
    }
}

internal sealed class BusStartedCheck(BusReadiness readiness) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(readiness.Started
            ? HealthCheckResult.Healthy("The message bus has started.")
            : HealthCheckResult.Unhealthy("The message bus has not started yet: the broker has not been reachable since this process started."));
}
