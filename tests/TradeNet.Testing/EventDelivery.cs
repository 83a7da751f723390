using System.Collections.Concurrent;
using MassTransit;
using MassTransit.Testing;

namespace TradeNet.Testing;

/// <summary>
/// Delivers events into a service's test harness one at a time, in the order a hunt chose, each only after the one before
/// was consumed: so the order the consumers see is the order given (the in-memory bus would otherwise run them side by side
/// and choose an order itself). Counts every consume by message id, a redelivery of the same id included (the harness lists
/// an id once), and every fault, retried ones included.
/// </summary>
public sealed class EventDelivery : IConsumeObserver, IDisposable
{
    private readonly ITestHarness _harness;
    private readonly ConcurrentDictionary<Guid, int> _consumed = new();
    private readonly ConcurrentQueue<(Type Message, Exception Error)> _faults = new();
    private readonly ConnectHandle _handle;

    public EventDelivery(ITestHarness harness)
    {
        _harness = harness;
        _handle = harness.Bus.ConnectConsumeObserver(this);
    }

    /// <summary>Every fault a consumer threw, in order, retries included (a retry that then succeeded is no defect by itself).</summary>
    public IReadOnlyList<(Type Message, Exception Error)> Faults => _faults.ToArray();

    /// <summary>Publishes <paramref name="message"/> with <paramref name="messageId"/> (a new one when null) and waits until
    /// a consumer has finished it once more than before.</summary>
    public async Task DeliverAsync<T>(T message, Guid? messageId = null, TimeSpan? timeout = null) where T : class
    {
        var id = messageId ?? NewId.NextGuid();
        var before = _consumed.GetValueOrDefault(id);
        await _harness.Bus.Publish(message, ctx => ctx.MessageId = id);
        // Woken by each consume rather than polled: a hunt delivers hundreds of events, and a poll's pause each adds up.
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (_consumed.GetValueOrDefault(id) <= before)
        {
            var signal = Volatile.Read(ref _signal);
            if (_consumed.GetValueOrDefault(id) > before) break;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException($"{typeof(T).Name} {id} was not consumed in time");
            await Task.WhenAny(signal.Task, Task.Delay(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200)));
        }
    }

    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Whether any consumer gave a message up after its retries: MassTransit then publishes a Fault of it.</summary>
    public IReadOnlyList<string> GivenUp() =>
        _harness.Published.Select(_ => true, new CancellationToken(canceled: true))
            .Where(m => m.MessageType.IsGenericType && m.MessageType.GetGenericTypeDefinition() == typeof(Fault<>))
            .Select(m => m.MessageType.GetGenericArguments()[0].Name).ToList();

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class
    {
        if (context.MessageId is { } id) _consumed.AddOrUpdate(id, 1, (_, n) => n + 1);
        Interlocked.Exchange(ref _signal, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class
    {
        _faults.Enqueue((typeof(T), exception));
        return Task.CompletedTask;
    }

    public void Dispose() => _handle.Disconnect();
}
