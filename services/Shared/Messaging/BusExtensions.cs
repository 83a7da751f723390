using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace TradeNet.Shared.Messaging;

/// <summary>Section "RabbitMq": when Host is set the bus is RabbitMQ, otherwise in-memory (standalone, tests).</summary>
public sealed class RabbitMqOptions
{
    public const string Section = "RabbitMq";
    public string? Host { get; set; }
    public ushort Port { get; set; } = 5672;
    public string VirtualHost { get; set; } = "/";
    public string Username { get; set; } = "guest";
    public string Password { get; set; } = "guest";
}

public static class BusExtensions
{
    /// <summary>One bus per process, with every hosted service's consumers registered through its hook.</summary>
    public static IHostApplicationBuilder AddTradeNetBus(this IHostApplicationBuilder builder,
        params Action<IBusRegistrationConfigurator>[] consumers)
    {
        var rabbit = builder.Configuration.GetSection(RabbitMqOptions.Section).Get<RabbitMqOptions>() ?? new();
        var inMemory = string.IsNullOrWhiteSpace(rabbit.Host);
        builder.Services.AddOptions<MassTransitHostOptions>().Configure(o =>
        {
            // In memory, waiting costs nothing and publishes right after start cannot vanish before the bindings exist.
            // With RabbitMQ, a process started during a broker outage must come up (out of rotation, see BusReadiness)
            // and connect once the broker is back, not fail its start after a timeout; the outbox relay waits instead.
            o.WaitUntilStarted = inMemory;
            // No start timeout with RabbitMQ: MassTransit gives a start that times out up for good (the bus stops and
            // nothing starts it again), so a process started during a longer outage would never connect.
            o.StartTimeout = inMemory ? TimeSpan.FromSeconds(60) : null;
            o.StopTimeout = TimeSpan.FromSeconds(10);
        });
        builder.Services.AddSingleton<BusReadiness>();
        builder.Services.AddSingleton(new BusDurability(Durable: !inMemory));
        if (inMemory)
        {
            // The host's clock when it has one (a test's), as the services' own; else the system's.
            builder.Services.AddSingleton(sp => new GivenUpEvents(sp.GetService<TimeProvider>() ?? TimeProvider.System));
            builder.Services.AddReceiveObserver<GivenUpObserver>();
        }
        builder.Services.AddHealthChecks().AddCheck<BusStartedCheck>("bus-started");
        if (!inMemory)
        {
            builder.Services.AddSingleton(sp => new BrokerBlocks(sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<BrokerBlocks>>(), sp.GetService<TimeProvider>() ?? TimeProvider.System));
            builder.Services.AddHealthChecks().AddCheck<BrokerBlockedCheck>(BrokerBlocks.HealthCheckName);
        }
        builder.Services.PostConfigure<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckServiceOptions>(BusHealthCheckMessage.Wrap);
        builder.Services.AddMassTransit(x =>
        {
            x.SetKebabCaseEndpointNameFormatter();
            // MassTransit otherwise reports usage to its vendor's server: an outbound call nobody operating TradeNet asked for.
            x.DisableUsageTelemetry();
            // A broker outage degrades a service (its outbox holds the events) but must not take its API
            // out of the gateway's rotation, so the bus check never reports worse than Degraded.
            x.ConfigureHealthCheckOptions(o =>
            {
                o.Name = BusHealthCheckMessage.Name;
                o.MinimalFailureStatus = Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded;
            });
            foreach (var hook in consumers) hook(x);
            if (inMemory)
            {
                x.UsingInMemory((context, cfg) =>
                {
                    ConfigureRetries(cfg);
                    cfg.ConfigureEndpoints(context);
                });
                return;
            }
            x.AddConfigureEndpointsCallback((context, _, endpoint) =>
            {
                if (endpoint is not IRabbitMqReceiveEndpointConfigurator queue) return;
                queue.SetQuorumQueue();
                // The process's one connection (publishes and consumers share it) passes here for every endpoint.
                var blocks = context.GetRequiredService<BrokerBlocks>();
                queue.ConfigureChannel(pipe => pipe.UseExecute(channel => blocks.Watch(channel.ConnectionContext.Connection)));
            });
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(rabbit.Host, rabbit.Port, rabbit.VirtualHost, h =>
                {
                    h.Username(rabbit.Username);
                    h.Password(rabbit.Password);
                    h.PublisherConfirmation = true;
                });
                ConfigureRetries(cfg);
                cfg.ConfigureEndpoints(context);
            });
        });
        return builder;
    }

    // Transient faults retry in place; what still fails lands in the endpoint's _error queue.
    private static void ConfigureRetries(IBusFactoryConfigurator cfg) =>
        cfg.UseMessageRetry(r => r.Intervals(100, 500, 1000, 2000, 5000));
}
