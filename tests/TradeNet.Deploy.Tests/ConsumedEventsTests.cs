using MassTransit;
using MassTransit.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TradeNet.Catalog;
using TradeNet.Logistics;
using TradeNet.Matching;
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
        // What the services' hooks register with the bus, not every consumer class their assemblies declare: a class no
        // hook registers binds no queue, and its event listed here would be returned every time.
        var services = new ServiceCollection();
        services.AddMassTransit(x => x.AddCatalogConsumers().AddMatchingConsumers().AddLogisticsConsumers());
        using var provider = services.BuildServiceProvider();
        var consumed = provider.GetServices<IConsumerRegistration>()
            .SelectMany(r => r.Type.GetInterfaces())
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IConsumer<>))
            .Select(i => i.GetGenericArguments()[0])
            .ToHashSet();

        Assert.NotEmpty(consumed);
        Assert.Equal(consumed.Select(t => t.Name).Order(StringComparer.Ordinal), ConsumedEvents.All.Select(t => t.Name).Order(StringComparer.Ordinal));
    }
}
