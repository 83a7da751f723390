using Microsoft.Extensions.Options;
using TradeNet.Logistics.Storage;

namespace TradeNet.Logistics.Planning;

/// <summary>Plans all pending transfers every <c>Logistics:PlanningInterval</c> (off when zero). A failed run is
/// logged and the next one tries again: the transfers stay pending.</summary>
public sealed class ScheduledPlanning(ShipmentPlanning planning, ILogisticsStore store, IOptions<LogisticsOptions> options,
    ILogger<ScheduledPlanning> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.PlanningInterval;
        if (interval <= TimeSpan.Zero) return;
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var run = await planning.PlanPendingAsync(store, options.Value.MaxTransfersPerRun, stoppingToken);
                if (run.Pending > 0)
                    logger.LogInformation("Scheduled planning: {Planned} of {Pending} pending transfers planned on {Routes} routes, cost {Cost:F2}, in {Ms:F0} ms",
                        run.Shipments.Count, run.Pending, run.Routes.Count, run.Cost, run.Duration.TotalMilliseconds);
            }
            catch (ConcurrencyConflictException)
            {
                // With several replicas their schedules meet now and then; the run that committed first planned them.
                logger.LogInformation("Scheduled planning: another run changed the same transfers first; this run's plan was not kept");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Scheduled planning failed; the transfers stay pending for the next run");
            }
        }
    }
}
