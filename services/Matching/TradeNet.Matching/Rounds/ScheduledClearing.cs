using Microsoft.Extensions.Options;

namespace TradeNet.Matching.Rounds;

/// <summary>Runs a clearing round every <c>Matching:RoundInterval</c>; does nothing when it is not set.</summary>
public sealed class ScheduledClearing(IServiceScopeFactory scopes, IOptions<MatchingOptions> options, ILogger<ScheduledClearing> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.RoundInterval is not { } interval || interval <= TimeSpan.Zero) return;
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<ClearingRounds>().RunAsync("schedule", stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A failed round must not stop the schedule; the next tick tries again.
                logger.LogError(ex, "Scheduled clearing round failed");
            }
        }
    }
}
