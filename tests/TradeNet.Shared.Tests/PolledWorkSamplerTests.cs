using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;
using TradeNet.Shared.Hosting;

namespace TradeNet.Shared.Tests;

public sealed class PolledWorkSamplerTests
{
    // YARP's own source name: the tracer the service defaults build listens to it.
    private static readonly ActivitySource Yarp = new("Yarp.ReverseProxy");

    [Fact]
    public void The_gateways_health_probes_are_left_out_of_traces_and_proxied_requests_are_not()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.AddTradeNetTelemetry("gateway");
        using var host = builder.Build();
        _ = host.Services.GetRequiredService<TracerProvider>();

        using (var probe = Yarp.StartActivity(PolledWorkSampler.ClusterHealthChecks, ActivityKind.Internal))
        using (var destination = Yarp.StartActivity("proxy.destination_health_check", ActivityKind.Client))
        {
            Assert.False(probe?.Recorded ?? false);
            Assert.False(destination?.Recorded ?? false);
        }
        using var forwarded = Yarp.StartActivity("proxy.forwarder", ActivityKind.Server);
        Assert.True(forwarded?.Recorded);
    }
}
