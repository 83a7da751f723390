using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TradeNet.Shared.Messaging;

namespace TradeNet.Shared.Tests;

public class BusExtensionsTests
{
    [Fact]
    public void The_bus_reports_no_usage_to_MassTransits_vendor()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.AddTradeNetBus();
        using var host = builder.Build();

        Assert.False(host.Services.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value.Enabled);
    }

    [Fact]
    public void With_RabbitMQ_the_bus_start_neither_holds_up_the_host_nor_gives_up_after_a_timeout()
    {
        // MassTransit stops a bus whose start timed out and never starts it again: a process started during a broker
        // outage longer than the timeout would never connect (measured by hand: ready 30 s after the node came back,
        // 75 s into the outage, where a 60 s timeout had left it not ready for good).
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["RabbitMq:Host"] = "127.0.0.1";
        builder.AddTradeNetBus();
        using var host = builder.Build();

        var options = host.Services.GetRequiredService<IOptions<MassTransitHostOptions>>().Value;
        Assert.False(options.WaitUntilStarted);
        Assert.Null(options.StartTimeout);
    }
}
