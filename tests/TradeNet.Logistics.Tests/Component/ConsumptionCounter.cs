using System.Collections.Concurrent;
using MassTransit;

namespace TradeNet.Logistics.Tests.Component;

/// <summary>Counts every completed consumption per message id, redeliveries included, and keeps the last fault.</summary>
internal sealed class ConsumptionCounter : IConsumeObserver
{
    private readonly ConcurrentDictionary<Guid, int> _counts = new();
    private readonly ConcurrentDictionary<Guid, Exception> _faults = new();

    public int Count(Guid messageId) => _counts.GetValueOrDefault(messageId);

    public Exception? Fault(Guid messageId) => _faults.GetValueOrDefault(messageId);

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class
    {
        Done(context);
        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class
    {
        if (context.MessageId is { } id) _faults[id] = exception;
        Done(context);
        return Task.CompletedTask;
    }

    private void Done(ConsumeContext context)
    {
        if (context.MessageId is { } id) _counts.AddOrUpdate(id, 1, (_, n) => n + 1);
    }
}
