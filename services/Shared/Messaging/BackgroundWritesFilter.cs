using MassTransit;
using TradeNet.Shared.Storage;

namespace TradeNet.Shared.Messaging;

/// <summary>Every consumer's writes are background writes: no one waits on them, so requests' writes to the same file
/// go first (<see cref="Storage.Sqlite.WriteTurn"/>).</summary>
public sealed class BackgroundWritesFilter<T> : IFilter<ConsumeContext<T>> where T : class
{
    public Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        BackgroundWrites.Begin();
        return next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("background-writes");
}
