using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TradeNet.Matching.Tests.Component;

public class HealthTests
{
    [Fact]
    public async Task Health_includes_the_store_and_is_served_without_a_token()
    {
        await using var host = new MatchingHost();

        var health = await host.As(null).GetAsync("/health");
        var alive = await host.As(null).GetAsync("/alive");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, report.Entries["matching-store"].Status);
    }
}
