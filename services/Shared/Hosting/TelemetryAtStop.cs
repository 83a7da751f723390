using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace TradeNet.Shared.Hosting;

/// <summary>
/// Sends the last traces, metrics and logs once the host has stopped, giving the three exports <see cref="Budget"/>
/// together. Left to the container's disposal, each provider's final export retried against a collector that had gone
/// (the Aspire dashboard stops with the services; Aspire sets OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY=in_memory) for up to
/// the exporter's 10 s timeout, one provider after the other: an idle service took 8–10 s to exit after SIGTERM.
/// A collector that answers takes milliseconds; one that does not loses what was not sent, as it would anyway.
/// </summary>
internal sealed class TelemetryAtStop(IServiceProvider services) : IHostedLifecycleService
{
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);

    private readonly List<Action> _exports = [];

    // Taken at start: a test host's container may be disposed before its stop reaches StoppedAsync.
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var milliseconds = (int)Budget.TotalMilliseconds;
        if (services.GetService<TracerProvider>() is { } tracer) _exports.Add(() => tracer.Shutdown(milliseconds));
        if (services.GetService<MeterProvider>() is { } meter) _exports.Add(() => meter.Shutdown(milliseconds));
        if (services.GetService<LoggerProvider>() is { } logger) _exports.Add(() => logger.Shutdown(milliseconds));
        return Task.CompletedTask;
    }

    // After every hosted service's StopAsync (the bus, the relays), so the spans and logs of the stop go out too. Side by
    // side: each waits at most the budget, and an exporter still retrying past it runs on a background thread.
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.WhenAll(_exports.Select(export => Task.Run(() =>
    {
        try { export(); }
        catch (ObjectDisposedException) { /* already shut down with its container */ }
    })));

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
