using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TradeNet.AppHost;

/// <summary>
/// When the app host stops, stops TradeNet's processes itself, in waves and waiting for each, before the app host goes
/// on with its own stop. Left to the app host, the RabbitMQ node went first (its stop script, while the services still
/// consumed and published), and DCP then stopped the services and the dashboard together after the app host had exited,
/// so the services' last telemetry had no collector: SIGTERM to the app host to the last service gone took 14 s.
/// Now the gateway stops first (it drains the requests it forwards while the services still answer), then the services
/// (with the broker still up, so a consumer's message is acknowledged after its commit and a relay's event confirmed),
/// then the node. Registered after <see cref="LocalRabbitMq"/>'s stopper: hosted services stop in reverse order.
/// </summary>
internal sealed class ServicesStopFirst(IServiceProvider services, IReadOnlyList<string[]> waves) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var model = services.GetRequiredService<DistributedApplicationModel>();
        var commands = services.GetRequiredService<ResourceCommandService>();
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        var log = services.GetRequiredService<ILogger<ServicesStopFirst>>();
        foreach (var wave in waves)
            await Task.WhenAll(wave.Select(async name =>
            {
                if (model.Resources.FirstOrDefault(r => r.Name == name) is not { } resource) return;
                try
                {
                    var stopped = await commands.ExecuteCommandAsync(resource, KnownResourceCommands.StopCommand, cancellationToken);
                    if (!stopped.Success) log.LogWarning("Could not stop {Resource}: {Error}", name, stopped.Message);
                    else await notifications.WaitForResourceAsync(name, KnownResourceStates.TerminalStates, cancellationToken);
                }
                catch (OperationCanceledException) { log.LogWarning("{Resource} had not stopped when the app host's stop timed out", name); }
            }));
    }
}
