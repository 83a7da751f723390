using TradeNet.Logistics;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests;

/// <summary>On RabbitMQ each consumer reads a durable queue of its own, where messages wait across an upgrade.</summary>
public sealed class ConsumerQueueTests
{
    [Fact]
    public async Task Logistics_consumers_read_the_queues_their_releases_named()
    {
        var queues = await ConsumerQueues.NamesAsync(x => x.AddLogisticsConsumers());

        // Since 27 Nov; town-suspended since 5 Dec, town-reinstated since 6 Dec.
        Assert.True(queues.SequenceEqual([
                "logistics-town-reinstated", "logistics-town-suspended", "logistics-trade-agreed", "logistics-trade-cancelled"]),
            $"{string.Join(", ", queues)}: {ConsumerQueues.Why}");
    }
}
