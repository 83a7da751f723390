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
}
