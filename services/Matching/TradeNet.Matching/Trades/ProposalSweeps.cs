using Microsoft.Extensions.Options;

namespace TradeNet.Matching.Trades;

/// <summary>Cancels proposals whose deadline passed (TradeCancelled "expired").</summary>
public sealed class ProposalExpiry(IServiceScopeFactory scopes, IOptions<MatchingOptions> options, ILogger<ProposalExpiry> logger)
    : PeriodicSweep(scopes, options, logger)
{
    protected override Task SweepAsync(TradeLifecycle trades, CancellationToken ct) => trades.ExpireAsync(ct);
}

/// <summary>Retries reservations that catalog could not answer, so an accepted trade needs no further call.</summary>
public sealed class ReservationRetry(IServiceScopeFactory scopes, IOptions<MatchingOptions> options, ILogger<ReservationRetry> logger)
    : PeriodicSweep(scopes, options, logger)
{
    protected override Task SweepAsync(TradeLifecycle trades, CancellationToken ct) => trades.RetryReservationsAsync(ct);
}

public abstract class PeriodicSweep(IServiceScopeFactory scopes, IOptions<MatchingOptions> options, ILogger logger) : BackgroundService
{
    protected abstract Task SweepAsync(TradeLifecycle trades, CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await SweepAsync(scope.ServiceProvider.GetRequiredService<TradeLifecycle>(), stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "{Sweep} failed; trying again next tick", GetType().Name);
            }
        }
    }
}
