using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TradeNet.Shared.Messaging;

/// <summary>
/// MassTransit's bus check hands back the broker's connection exception, and the health check service logs a result's
/// exception with its stack trace on every probe: during a broker outage each service wrote some 70 lines per
/// <c>/health</c> call (Kubernetes probes every 10 s), half of everything it logged. The exception's message
/// ("Broker unreachable: guest@host:5672/") is what an operator needs; MassTransit's own reconnect warnings keep the
/// stack trace, at their own backed-off pace.
/// </summary>
internal sealed class BusHealthCheckMessage(IHealthCheck inner) : IHealthCheck
{
    public const string Name = "masstransit-bus";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var result = await inner.CheckHealthAsync(context, cancellationToken);
        if (result.Exception is not { } exception) return result;
        var description = string.IsNullOrEmpty(result.Description) ? exception.Message : $"{result.Description} ({exception.Message})";
        return new HealthCheckResult(result.Status, description, exception: null, result.Data);
    }

    /// <summary>Wraps the bus's registration, whoever added it, once every registration is known.</summary>
    public static void Wrap(HealthCheckServiceOptions options)
    {
        foreach (var registration in options.Registrations.Where(r => r.Name == Name))
        {
            var inner = registration.Factory;
            registration.Factory = services => new BusHealthCheckMessage(inner(services));
        }
    }
}
