using MassTransit;
using TradeNet.Shared.Messaging;

namespace TradeNet.Deploy.Tests;

/// <summary>The outbox relay publishes mandatory exactly the events a service consumes (<see cref="ConsumedEvents"/>): one
/// missing from the list is dropped again when its queue is missing, one listed that nobody consumes is returned every
/// time and holds its outbox back for good.</summary>
public sealed class ConsumedEventsTests
{
    [Fact]
    public void The_events_published_mandatory_are_the_ones_the_three_services_consume()
    {
        var consumed = new[] { typeof(TradeNet.Catalog.CatalogOptions), typeof(TradeNet.Matching.MatchingOptions), typeof(TradeNet.Logistics.LogisticsOptions) }
            .SelectMany(t => t.Assembly.GetTypes())
            .Where(t => t is { IsClass: true, IsAbstract: false })
            .SelectMany(t => t.GetInterfaces())
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IConsumer<>))
            .Select(i => i.GetGenericArguments()[0])
            .ToHashSet();

        Assert.Equal(consumed.Select(t => t.Name).Order(StringComparer.Ordinal), ConsumedEvents.All.Select(t => t.Name).Order(StringComparer.Ordinal));
    }
}
