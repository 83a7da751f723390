using System.Diagnostics;
using System.Text.Json;

namespace TradeNet.Shared.Storage;

/// <summary>An event waiting in a service's outbox. The id becomes the bus message id, so a
/// re-publish after a crash is recognised by every consumer's inbox. <paramref name="HandedOverBefore"/>: the in-memory bus
/// was handed it already (kept, then made pending again: a restart, a consumer that gave up, a restored backup).</summary>
public sealed record OutboxMessage(Guid Id, string Type, string Payload, string? TraceParent, DateTimeOffset CreatedAt,
    bool HandedOverBefore = false)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Set on the publish of an event handed over before, so what counts state changes as their events are
    /// published (<see cref="Hosting.TradeStatePublishObserver"/>) counts each once, not again at every hand-over.</summary>
    public const string HandedOverAgainHeader = "TradeNet-Handed-Over-Again";

    public static OutboxMessage From<T>(T message) where T : class =>
        new(Guid.NewGuid(), message.GetType().FullName!, JsonSerializer.Serialize(message, message.GetType(), Json),
            Activity.Current?.Id, DateTimeOffset.UtcNow);

    /// <summary>Resolves the event type among the shared contracts only: nothing else may be deserialised.</summary>
    public object Deserialize()
    {
        var type = typeof(OutboxMessage).Assembly.GetType(Type)
            ?? throw new InvalidOperationException($"Unknown outbox message type '{Type}'.");
        if (type.Namespace != "TradeNet.Contracts")
            throw new InvalidOperationException($"Outbox message type '{Type}' is not a contract.");
        return JsonSerializer.Deserialize(Payload, type, Json)!;
    }
}

/// <summary>What the relay needs from a service's store.</summary>
public interface IOutboxStore
{
    Task<IReadOnlyList<OutboxMessage>> PendingAsync(int max, CancellationToken ct);
    /// <summary>The broker confirmed these events: they have nothing left to do here. One write for a batch, as the
    /// relay marks what it published: a write per event doubled the writes (and disk syncs) of a busy service.</summary>
    Task MarkSentAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct);

    /// <summary>The in-memory bus has these events, which it loses if the process dies before a consumer handled them: kept,
    /// sent at <paramref name="at"/>, until <see cref="ForgetSentAsync"/> or a restart's <see cref="RequeueSentAsync"/>.</summary>
    Task KeepSentAsync(IReadOnlyCollection<Guid> ids, DateTimeOffset at, CancellationToken ct);

    /// <summary>Makes every kept event pending again (a start after a stop or crash); returns how many.</summary>
    Task<int> RequeueSentAsync(CancellationToken ct);

    /// <summary>Makes these kept events pending again (a consumer gave them up); returns those this outbox had.</summary>
    Task<IReadOnlyList<Guid>> RequeueAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct);

    /// <summary>Deletes at most <paramref name="max"/> kept events first handed over before <paramref name="before"/>;
    /// returns how many.</summary>
    Task<int> ForgetSentAsync(DateTimeOffset before, int max, CancellationToken ct);
    Task<OutboxBacklog> BacklogAsync(CancellationToken ct);

    /// <summary>Deletes at most <paramref name="max"/> inbox entries recorded before <paramref name="before"/>; returns how many.</summary>
    Task<int> ForgetConsumedAsync(DateTimeOffset before, int max, CancellationToken ct);

    /// <summary>Takes the right to relay this outbox until <paramref name="until"/>, or renews it, if no other relay holds
    /// it past <paramref name="now"/>; true when <paramref name="holder"/> holds it now. Holding it until
    /// <paramref name="now"/> lets it go. One relay per outbox keeps the events in order and published once.</summary>
    Task<bool> TryHoldRelayAsync(string holder, DateTimeOffset now, DateTimeOffset until, CancellationToken ct);
}

public sealed record OutboxBacklog(int Pending, DateTimeOffset? OldestPendingAt);
