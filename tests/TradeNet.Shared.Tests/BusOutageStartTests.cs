using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TradeNet.Shared.Hosting;
using TradeNet.Shared.Messaging;
using TradeNet.Testing;

namespace TradeNet.Shared.Tests;

public sealed class BusOutageStartTests : IDisposable
{
    private readonly TestSettings _settings = new();
    private readonly ClosedPort _brokerPort = new();

    [Fact]
    public async Task A_service_started_while_its_broker_is_unreachable_comes_up_alive_but_not_ready_instead_of_failing_its_start()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(_settings.Configuration());
        builder.Configuration["RabbitMq:Host"] = "127.0.0.1";
        builder.Configuration["RabbitMq:Port"] = _brokerPort.Port.ToString();
        builder.AddServiceDefaults("test");
        builder.AddTradeNetBus();
        await using var app = builder.Build();
        app.MapDefaultEndpoints();

        var clock = Stopwatch.StartNew();
        await app.StartAsync();
        var client = app.GetTestClient();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"start took {clock.Elapsed}");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/alive")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health")).StatusCode);
        Assert.False(app.Services.GetRequiredService<BusReadiness>().Started);
        await app.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
    }

    [Fact]
    public async Task An_in_memory_bus_is_started_when_the_service_is()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(_settings.Configuration());
        builder.AddServiceDefaults("test");
        builder.AddTradeNetBus();
        await using var app = builder.Build();
        app.MapDefaultEndpoints();

        await app.StartAsync();

        Assert.True(app.Services.GetRequiredService<BusReadiness>().Started);
        Assert.Equal(HttpStatusCode.OK, (await app.GetTestClient().GetAsync("/health")).StatusCode);
        await app.StopAsync();
    }

    public void Dispose()
    {
        _settings.Dispose();
        _brokerPort.Dispose();
    }
}
