using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using TradeNet.Integration.Tests.Infrastructure;
using TradeNet.Testing;

namespace TradeNet.Integration.Tests;

/// <summary>The standalone host's telemetry by OTLP (OTEL_EXPORTER_OTLP_ENDPOINT, as docs/operations.md says any TradeNet
/// process exports): its two in-process hosts (the services and the edge) see each other's activity sources and meters, as
/// both are matched by name across the process. Each exported every span and every metric, the edge's under
/// "tradenet-edge" and the services' under "tradenet-standalone": every span twice in a trade's trace, every count twice.</summary>
public sealed class StandaloneTelemetryTests
{
    [Fact]
    public async Task Each_span_and_metric_is_exported_once_by_the_services_host_the_edges_included()
    {
        await using var collector = await OtlpCollector.StartAsync(Repo.FreePort());
        var tradeNet = new StandaloneTradeNet
        {
            Settings = new Dictionary<string, string>
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint,
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
                ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
            },
        };
        await tradeNet.InitializeAsync();
        try
        {
            await tradeNet.ExplainFailureAsync(async () =>
            {
                using var http = new HttpClient { BaseAddress = tradeNet.Gateway };
                for (var i = 0; i < 3; i++) (await http.GetAsync("/api/catalog/categories")).EnsureSuccessStatusCode();

                // The gateway's forwarding spans and the request metrics have gone out, and a few more exports after them.
                await Eventually.True(() => Task.FromResult(collector.Has("/v1/traces", "proxy.forwarder") && collector.Has("/v1/metrics", "http.server.request.duration")),
                    TimeSpan.FromSeconds(30), "the edge's spans and the request metrics reached the collector");
                await Task.Delay(TimeSpan.FromSeconds(2));

                Assert.Empty(collector.From("/v1/traces", "tradenet-edge"));
                Assert.Empty(collector.From("/v1/metrics", "tradenet-edge"));
                Assert.NotEmpty(collector.From("/v1/traces", "tradenet-standalone"));
                Assert.NotEmpty(collector.From("/v1/metrics", "tradenet-standalone"));
            });
        }
        finally
        {
            await tradeNet.DisposeAsync();
        }
    }

    /// <summary>OTLP/HTTP bodies as they arrive, by path. Each body is one provider's export: one resource (service.name).</summary>
    private sealed class OtlpCollector : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentQueue<(string Path, byte[] Body)> _bodies = new();

        private OtlpCollector(WebApplication app, int port)
        {
            _app = app;
            Endpoint = $"http://127.0.0.1:{port}";
        }

        public string Endpoint { get; }

        public static async Task<OtlpCollector> StartAsync(int port)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
            var app = builder.Build();
            var collector = new OtlpCollector(app, port);
            app.MapPost("/v1/{signal}", async (HttpRequest request) =>
            {
                using var body = new MemoryStream();
                await request.Body.CopyToAsync(body);
                collector._bodies.Enqueue((request.Path.Value!, body.ToArray()));
                return Results.Bytes([], "application/x-protobuf");
            });
            await app.StartAsync();
            return collector;
        }

        public bool Has(string path, string text) => _bodies.Any(b => b.Path == path && Contains(b.Body, text));

        public List<byte[]> From(string path, string serviceName) =>
            [.. _bodies.Where(b => b.Path == path && Contains(b.Body, serviceName)).Select(b => b.Body)];

        // A protobuf string is its UTF-8 bytes: a service name or span name is found in the body as it is.
        private static bool Contains(byte[] body, string text) => body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
