using MassTransit;

namespace TradeNet.Matching.Tests.Component;

/// <summary>Counts every consume of a message type, redeliveries included (the harness lists a message id only once).</summary>
public sealed class ConsumeCounter<T> : IConsumeObserver where T : class
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public Task PreConsume<TMessage>(ConsumeContext<TMessage> context) where TMessage : class => Task.CompletedTask;

    public Task PostConsume<TMessage>(ConsumeContext<TMessage> context) where TMessage : class
    {
        if (context.Message is T) Interlocked.Increment(ref _count);
        return Task.CompletedTask;
    }

    public Task ConsumeFault<TMessage>(ConsumeContext<TMessage> context, Exception exception) where TMessage : class => Task.CompletedTask;
}
