using Microsoft.Extensions.Options;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Storage;

namespace TradeNet.Matching.Rounds;

/// <summary>Runs a clearing round every <c>Matching:RoundInterval</c>; does nothing when it is not set. Every replica
/// keeps the schedule, and a tick that finds a round started within the last nine tenths of the interval (another
/// replica's, or an operator's) leaves this one out, so N replicas still clear about once per interval.</summary>
public sealed class ScheduledClearing(IServiceScopeFactory scopes, IMatchingStore store, IOptions<MatchingOptions> options,
    TimeProvider clock, ILogger<ScheduledClearing> logger) : BackgroundService
{
    /// <summary>Whether a scheduled round is due, given the latest round of any replica. A latest round that started
    /// more than an interval after now was stamped by a clock since set back (a machine that ran days ahead): measured
    /// from it, no round would be due until the real time passed it, so the schedule goes on now instead. Within an
    /// interval it is left to the usual rule, so replicas whose clocks differ by seconds do not clear twice.</summary>
    public static bool IsDue(ClearingRound? latest, DateTimeOffset now, TimeSpan interval) =>
        latest is null || now - latest.StartedAt >= interval * 0.9 || latest.StartedAt - now > interval;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.RoundInterval is not { } interval || interval <= TimeSpan.Zero) return;
        using var timer = new PeriodicTimer(interval, clock); // the service's clock: a test's fake one ticks when the test says
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var latest = (await store.RoundsAsync(1, stoppingToken)).FirstOrDefault();
                if (!IsDue(latest, clock.GetUtcNow(), interval))
                {
                    logger.LogDebug("Scheduled clearing round left out: round {Round} started at {Started}", latest!.Id, latest.StartedAt);
                    continue;
                }
                await using var scope = scopes.CreateAsyncScope();
                // Asked again under the lease: another replica's round may have run while this tick waited for it.
                var round = await scope.ServiceProvider.GetRequiredService<ClearingRounds>().RunAsync("schedule",
                    newest => IsDue(newest, clock.GetUtcNow(), interval), stoppingToken);
                if (round is null) logger.LogDebug("Scheduled clearing round left out: another instance cleared while this tick waited for its lease");
            }
            catch (ClearingTakenOverException)
            {
                // Normal with several instances: this one stalled past its lease, another took it and may have cleared, so
                // this round stored and proposed nothing, as it must. Not a failure to page anyone about.
                logger.LogInformation("Scheduled clearing round proposed nothing: another matching instance took its clearing lease while it solved, and may have cleared since");
            }
            catch (ClearingBusyException)
            {
                logger.LogInformation("Scheduled clearing round skipped: another round is running, on this matching instance or another");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A failed round must not stop the schedule; the next tick tries again.
                logger.LogError(ex, "Scheduled clearing round failed");
            }
        }
    }
}
