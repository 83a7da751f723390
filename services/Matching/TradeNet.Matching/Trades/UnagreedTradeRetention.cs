using Microsoft.Extensions.Options;
using TradeNet.Matching.Storage;
using TradeNet.Shared.Storage;

namespace TradeNet.Matching.Trades;

/// <summary>Deletes the proposals cancelled before they were ever agreed, <c>Matching:UnagreedTradeRetention</c> after their
/// cancellation, hourly, when it is set (opt-in: by default every trade is kept). They are most of a busy network's trades
/// (a withdrawn listing cancels every proposal on it) and nothing outside matching names them. Safe in every replica: a
/// delete of what another replica deleted already deletes nothing.</summary>
public sealed class UnagreedTradeRetention(IMatchingStore store, IOptions<MatchingOptions> options, TimeProvider clock,
    ILogger<UnagreedTradeRetention> logger) : RetentionSweep(clock, logger)
{
    protected override string Name => "Unagreed trade retention";

    protected override TimeSpan? Retention => options.Value.UnagreedTradeRetention;

    /// <summary>Trades per write: a two-town trade has two rows in each index table, so a batch is a short write beside the
    /// service's own (measured in docs/operations.md, "Growth and retention").</summary>
    public const int BatchSize = 1_000;

    protected override int Batch => BatchSize;

    protected override Task<int> DeleteAsync(DateTimeOffset before, int max, CancellationToken ct) => store.ForgetUnagreedTradesAsync(before, max, ct);

    protected override void Swept(ILogger log, int count, DateTimeOffset before) =>
        log.LogInformation("Unagreed trade retention: deleted {Count} proposals cancelled before {Before:O} without being agreed", count, before);
}
