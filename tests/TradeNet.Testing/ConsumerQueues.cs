using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace TradeNet.Testing;

/// <summary>The queues a service's consumers read, as the bus names them (BusExtensions' kebab-case formatter, each
/// service's own names): started on the in-memory bus, whose endpoints are named as RabbitMQ's queues would be.</summary>
public static class ConsumerQueues
{
    public static async Task<IReadOnlyList<string>> NamesAsync(Action<IBusRegistrationConfigurator> consumers)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMassTransit(x =>
        {
            x.SetKebabCaseEndpointNameFormatter();
            consumers(x);
            x.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
        });
        await using var provider = services.BuildServiceProvider();
        var bus = provider.GetRequiredService<IBusControl>();
        var observer = new Observer();
        bus.ConnectReceiveEndpointObserver(observer);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await bus.StartAsync(timeout.Token);
        await bus.StopAsync(CancellationToken.None);
        // The bus's own temporary endpoint (…_bus_…) is no consumer's queue.
        lock (observer.Names)
            return [.. observer.Names.Where(n => !n.Contains("_bus_", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
    }

    /// <summary>What to say when a queue name changed.</summary>
    public const string Why =
        "Messages wait in these queues across an upgrade: a release reading another queue leaves them behind in the old one, " +
        "which stays bound and fills for good. Keep the names (docs/operations.md, 'The distributed topology').";

    private sealed class Observer : IReceiveEndpointObserver
    {
        public List<string> Names { get; } = [];

        public Task Ready(ReceiveEndpointReady ready)
        {
            lock (Names) Names.Add(ready.InputAddress.AbsolutePath.Trim('/'));
            return Task.CompletedTask;
        }

        public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;
        public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;
        public Task Faulted(ReceiveEndpointFaulted faulted) => Task.CompletedTask;
    }
}
