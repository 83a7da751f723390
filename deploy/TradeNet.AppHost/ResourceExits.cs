using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace TradeNet.AppHost;

/// <summary>
/// Says on the console when one of TradeNet's processes ends while the app host runs, with the reason it gave. It showed
/// only as an exited resource on the dashboard: with <c>Storage__Provider=mongo</c> and no MongoDB, the standalone host
/// ended with exit code 2 after 30 s and "TradeNet cannot start: no MongoDB server answered …", while the app host went on
/// printing nothing under the gateway URL it had announced, which never answered.
/// </summary>
internal sealed class ResourceExits(IServiceProvider services, string[] names, string dashboardUrl) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        var lifetime = services.GetRequiredService<IHostApplicationLifetime>();
        var reported = new HashSet<string>();
        try
        {
            await foreach (var e in notifications.WatchAsync(stoppingToken))
            {
                // A stop asked for (Ctrl+C, SIGTERM) ends every process: nothing to say then.
                if (lifetime.ApplicationStopping.IsCancellationRequested) return;
                if (!names.Contains(e.Resource.Name) || e.Snapshot.State?.Text is not { } state
                    || !KnownResourceStates.TerminalStates.Contains(state) || e.Snapshot.ExitCode is 0) continue;
                if (!reported.Add($"{e.ResourceId}/{e.Snapshot.StartTimeStamp}")) continue;
                var reason = await ReasonAsync(e.ResourceId, stoppingToken);
                if (lifetime.ApplicationStopping.IsCancellationRequested) return;
                Console.Error.WriteLine($"TradeNet: {e.Resource.Name} ended ({state}, exit code {e.Snapshot.ExitCode?.ToString() ?? "none"}) " +
                    $"while the app host runs: {reason ?? "see its console log on the dashboard"}. The app host stays up " +
                    $"(its dashboard, {dashboardUrl}, shows the whole log); stop it with Ctrl+C.");
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    /// <summary>The process's own "TradeNet cannot start: …" line, read back from its log (a few seconds at most).</summary>
    private async Task<string?> ReasonAsync(string resourceId, CancellationToken stoppingToken)
    {
        var logs = services.GetRequiredService<ResourceLoggerService>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        string? reason = null;
        try
        {
            await foreach (var batch in logs.WatchAsync(resourceId).WithCancellation(timeout.Token))
                foreach (var line in batch)
                    if (line.Content.IndexOf("TradeNet cannot start: ", StringComparison.Ordinal) is >= 0 and var at)
                        reason = line.Content[at..].Trim().TrimEnd('.');
        }
        catch (OperationCanceledException) { }
        return reason;
    }
}
