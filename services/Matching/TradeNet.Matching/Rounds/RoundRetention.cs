using Microsoft.Extensions.Options;
using TradeNet.Matching.Storage;
using TradeNet.Shared.Storage;

namespace TradeNet.Matching.Rounds;

/// <summary>Deletes round records older than <c>Matching:RoundRetention</c>, hourly, when it is set (opt-in: by default
/// every round is kept). A round every few minutes leaves about 0.2–1 MB a day that only operators read; trades, which
/// towns and catalog's reservations refer to, are never touched. Safe in every replica: a delete of what another
/// replica deleted already deletes nothing.</summary>
public sealed class RoundRetention(IMatchingStore store, IOptions<MatchingOptions> options, TimeProvider clock, ILogger<RoundRetention> logger)
    : RetentionSweep(clock, logger)
{
    protected override string Name => "Round retention";

    protected override TimeSpan? Retention => options.Value.RoundRetention;

    protected override int Batch => 5_000;

    protected override Task<int> DeleteAsync(DateTimeOffset before, int max, CancellationToken ct) => store.ForgetRoundsAsync(before, max, ct);

    protected override void Swept(ILogger log, int count, DateTimeOffset before) =>
        log.LogInformation("Round retention: deleted {Count} rounds started before {Before:O}", count, before);
}
