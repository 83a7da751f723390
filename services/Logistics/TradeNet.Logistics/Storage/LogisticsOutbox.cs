using TradeNet.Shared.Storage;

namespace TradeNet.Logistics.Storage;

/// <summary>Logistics' outbox under a type of its own, so <c>OutboxRelay&lt;LogisticsOutbox&gt;</c> cannot collide
/// with another service's relay when all services share one process.</summary>
public sealed class LogisticsOutbox(IOutboxStore inner) : IOutboxStore
{
    public Task<IReadOnlyList<OutboxMessage>> PendingAsync(int max, CancellationToken ct) => inner.PendingAsync(max, ct);

    public Task MarkSentAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct) => inner.MarkSentAsync(ids, ct);

    public Task KeepSentAsync(IReadOnlyCollection<Guid> ids, DateTimeOffset at, CancellationToken ct) => inner.KeepSentAsync(ids, at, ct);

    public Task<int> RequeueSentAsync(CancellationToken ct) => inner.RequeueSentAsync(ct);

    public Task<IReadOnlyList<Guid>> RequeueAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct) => inner.RequeueAsync(ids, ct);

    public Task<int> ForgetSentAsync(DateTimeOffset before, int max, CancellationToken ct) => inner.ForgetSentAsync(before, max, ct);

    public Task<OutboxBacklog> BacklogAsync(CancellationToken ct) => inner.BacklogAsync(ct);

    public Task<int> ForgetConsumedAsync(DateTimeOffset before, int max, CancellationToken ct) => inner.ForgetConsumedAsync(before, max, ct);

    public Task<bool> TryHoldRelayAsync(string holder, DateTimeOffset now, DateTimeOffset until, CancellationToken ct) =>
        inner.TryHoldRelayAsync(holder, now, until, ct);
}
