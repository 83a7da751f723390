using TradeNet.Matching;
using TradeNet.Testing;

namespace TradeNet.Matching.Tests;

/// <summary>On RabbitMQ each consumer reads a durable queue of its own, where messages wait across an upgrade.</summary>
public sealed class ConsumerQueueTests
{
    [Fact]
    public async Task Matchings_consumers_read_the_queues_their_releases_named()
    {
        var queues = await ConsumerQueues.NamesAsync(x => x.AddMatchingConsumers());

        // Since 27 Nov; picked-up since 28 Nov, trade-stopped since 5 Dec.
        Assert.True(queues.SequenceEqual([
                "matching-listing-changed", "matching-listing-published", "matching-listing-withdrawn",
                "matching-shipment-delivered", "matching-shipment-failed", "matching-shipment-picked-up", "matching-trade-stopped"]),
            $"{string.Join(", ", queues)}: {ConsumerQueues.Why}");
    }
}
