using TradeNet.Testing;

namespace TradeNet.Catalog.Tests;

/// <summary>On RabbitMQ each consumer reads a durable queue of its own, where messages wait across an upgrade.</summary>
public sealed class ConsumerQueueTests
{
    [Fact]
    public async Task Catalogs_consumers_read_the_queues_every_release_since_27_Nov_named()
    {
        var queues = await ConsumerQueues.NamesAsync(x => x.AddCatalogConsumers());

        Assert.True(queues.SequenceEqual(["catalog-trade-cancelled", "catalog-trade-completed"]),
            $"{string.Join(", ", queues)}: {ConsumerQueues.Why}");
    }
}
