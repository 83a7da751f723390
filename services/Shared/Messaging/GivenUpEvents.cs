using System.Collections.Concurrent;
using MassTransit;

namespace TradeNet.Shared.Messaging;

/// <summary>In-memory bus only: events a consumer gave up on after its retries (a database locked longer than they
/// last, say). RabbitMQ keeps such a message in the endpoint's _error queue; the in-memory bus drops it, so the outbox
/// that kept the event hands it over again (<see cref="Storage.OutboxRelay{TStore}"/>) once it has rested a while.
/// On the host's <see cref="TimeProvider"/> (the system's in a service), as the relay is: it read the system clock
/// directly, so a test's clock reached the relay but not the rest it waits for.</summary>
public sealed class GivenUpEvents(TimeProvider clock)
{
    /// <summary>How long an event rests before it is handed over again: what made it fail may take a while to clear.</summary>
    public static readonly TimeSpan Rest = TimeSpan.FromSeconds(30);

    // When each was given up: on the wall clock, as the outbox's keeping stamps are (ForgetBefore), and on the monotonic
    // clock, which times its rest: judged by the wall clock, a clock stepped an hour back held it an hour, not half a minute.
    private readonly ConcurrentDictionary<Guid, (DateTimeOffset At, long Rests)> _since = new();

    /// <summary>A consumer gave up on the event now.</summary>
    public void Add(Guid messageId) => Add(messageId, clock.GetUtcNow());

    /// <param name="at">When the consumer gave up (now, or earlier: the rest then counts from then).</param>
    public void Add(Guid messageId, DateTimeOffset at)
    {
        var ago = clock.GetUtcNow() - at;
        var rests = clock.GetTimestamp() - (ago > TimeSpan.Zero ? (long)(ago.TotalSeconds * clock.TimestampFrequency) : 0);
        _since.TryAdd(messageId, (at, rests));
    }

    /// <summary>The events that have rested long enough (on the monotonic clock).</summary>
    public IReadOnlyList<Guid> Due() =>
        [.. _since.Where(e => clock.GetElapsedTime(e.Value.Rests) >= Rest).Select(e => e.Key)];

    /// <summary>Handed over again by the outbox that had it, or no outbox has it any more: no longer waiting.</summary>
    public void Remove(IEnumerable<Guid> messageIds)
    {
        foreach (var id in messageIds) _since.TryRemove(id, out _);
    }

    /// <summary>Forgets events no outbox claimed since <paramref name="before"/> (published by something else).</summary>
    public void ForgetBefore(DateTimeOffset before)
    {
        foreach (var (id, since) in _since)
            if (since.At < before) _since.TryRemove(id, out _);
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
        if (context.MessageId is { } id) events.Add(id);
        return Task.CompletedTask;
    }

    public Task ReceiveFault(ReceiveContext context, Exception exception) => Task.CompletedTask;
}
