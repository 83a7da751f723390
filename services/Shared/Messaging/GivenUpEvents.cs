using System.Collections.Concurrent;
using MassTransit;

namespace TradeNet.Shared.Messaging;

/// <summary>In-memory bus only: events a consumer gave up on after its retries (a database locked longer than they
/// last, say). RabbitMQ keeps such a message in the endpoint's _error queue; the in-memory bus drops it, so the outbox
/// that kept the event hands it over again (<see cref="Storage.OutboxRelay{TStore}"/>) once it has rested a while.</summary>
public sealed class GivenUpEvents
{
    /// <summary>How long an event rests before it is handed over again: what made it fail may take a while to clear.</summary>
    public static readonly TimeSpan Rest = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _since = new();

    public void Add(Guid messageId, DateTimeOffset at) => _since.TryAdd(messageId, at);

    /// <summary>The events that have rested long enough.</summary>
    public IReadOnlyList<Guid> Due(DateTimeOffset now) => [.. _since.Where(e => now - e.Value >= Rest).Select(e => e.Key)];

    /// <summary>Handed over again by the outbox that had it, or no outbox has it any more: no longer waiting.</summary>
    public void Remove(IEnumerable<Guid> messageIds)
    {
        foreach (var id in messageIds) _since.TryRemove(id, out _);
    }

    /// <summary>Forgets events no outbox claimed since <paramref name="before"/> (published by something else).</summary>
    public void ForgetBefore(DateTimeOffset before)
    {
        foreach (var (id, since) in _since)
            if (since < before) _since.TryRemove(id, out _);
    }
}

/// <summary>Notes each message a consumer gave up on after its retries (the receive pipeline's fault, as for the error queue).</summary>
internal sealed class GivenUpObserver(GivenUpEvents events) : IReceiveObserver
{
    public Task PreReceive(ReceiveContext context) => Task.CompletedTask;
    public Task PostReceive(ReceiveContext context) => Task.CompletedTask;
    public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType) where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception) where T : class
    {
        if (context.MessageId is { } id) events.Add(id, DateTimeOffset.UtcNow);
        return Task.CompletedTask;
    }

    public Task ReceiveFault(ReceiveContext context, Exception exception) => Task.CompletedTask;
}
