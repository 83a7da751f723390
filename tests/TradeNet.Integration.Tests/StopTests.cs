using System.Diagnostics;
using TradeNet.Integration.Tests.Infrastructure;
using TradeNet.Testing;

namespace TradeNet.Integration.Tests;

/// <summary>SIGTERM to a host with nothing in flight: it exits at once with 0, not after waiting on nothing. A supervisor
/// (DCP under the app host, Kubernetes, systemd) otherwise kills it, and an operator's restart waits.</summary>
public sealed class StopTests
{
    /// <summary>Generous for a loaded two-core machine: the stop itself takes about 2 s (the telemetry's budget); it
    /// took 8–10 s while the exporters retried against the collector that had gone.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(6);

    // As under the app host, whose dashboard (the collector) stops at the same moment as the services: Aspire gives every
    // resource these settings, and its in-memory retry is what waited.
    private static Dictionary<string, string> TelemetryToAGoneCollector(int port) => new()
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{port}",
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc",
        ["OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY"] = "in_memory",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
        ["OTEL_BLRP_SCHEDULE_DELAY"] = "1000",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "1000",
    };

    // catalog took 10.1 s before TelemetryAtStop. The standalone host never waited (it never disposed its two hosts, so
    // their last telemetry was not sent at all); its row keeps the final export it now makes within the bound.
    [Theory]
    [InlineData("catalog")]
    [InlineData("standalone")]
    public async Task An_idle_host_whose_telemetry_collector_has_gone_exits_with_0_within_6_seconds_of_SIGTERM(string host)
    {
        await ProcessTestsLock.HoldForThisProcessAsync(TimeSpan.FromMinutes(10));
        using var settings = new TestSettings();
        using var collector = new ClosedPort();
        int edge = Repo.FreePort(), rest = Repo.FreePort(), grpc = Repo.FreePort();
        var environment = TelemetryToAGoneCollector(collector.Port);
        environment["Auth__InternalTokenKey"] = TestSettings.TokenKey;
        environment["Storage__DataDir"] = settings.DataDir;
        string dll, health;
        if (host == "catalog")
        {
            (dll, health) = (Repo.Assembly("services/Catalog/TradeNet.Catalog", "TradeNet.Catalog"), $"http://127.0.0.1:{rest}/health");
            environment["Endpoints__Rest"] = $"http://127.0.0.1:{rest}";
            environment["Endpoints__Grpc"] = $"http://127.0.0.1:{grpc}";
        }
        else
        {
            (dll, health) = (Repo.Assembly("deploy/TradeNet.Standalone", "TradeNet.Standalone"), $"http://127.0.0.1:{edge}/health");
            environment["Standalone__EdgeUrl"] = $"http://127.0.0.1:{edge}";
            environment["Standalone__ServicesUrl"] = $"http://127.0.0.1:{rest}";
            environment["Standalone__GrpcUrl"] = $"http://127.0.0.1:{grpc}";
            environment["Standalone__Seed"] = "false";
        }
        await using var process = await ServiceProcess.StartAsync(host, dll, environment, new Uri(health));
        // Idle for a few export periods, so every exporter has something to send and has met the refused port.
        await Task.Delay(TimeSpan.FromSeconds(3));

        var watch = Stopwatch.StartNew();
        await Signal.SendAsync("TERM", process.ProcessId);
        var exitCode = await process.ExitCodeWithinAsync(TimeSpan.FromSeconds(30));
        watch.Stop();

        Assert.True(exitCode is not null, $"{host} still running 30 s after SIGTERM:\n{process.Output}");
        Assert.True(exitCode == 0, $"{host} exited with {exitCode}:\n{process.Output}");
        Assert.True(watch.Elapsed < Bound, $"{host} took {watch.Elapsed.TotalSeconds:0.0} s to exit after SIGTERM (bound {Bound.TotalSeconds} s):\n{process.Output}");
    }
}
