using System.Collections.Concurrent;
using System.Text;
using Google.Protobuf;
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
        await WithExportingTradeNet(async (tradeNet, collector) =>
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
        }, ("OTEL_METRIC_EXPORT_INTERVAL", "500"));
    }

    /// <summary>The edge ignores a client's trace context (its own propagator) and, for the whole process, OpenTelemetry's
    /// default propagator is W3C trace context alone: neither may cost the services beside it in this process their place in
    /// the edge's trace. Their server span is the child of the edge's forwarding request, in the trace the edge began.</summary>
    [Fact]
    public async Task A_services_server_span_continues_the_trace_the_edge_began_and_not_the_clients()
    {
        const string clientTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
        await WithExportingTradeNet(async (tradeNet, collector) =>
        {
            using var http = new HttpClient { BaseAddress = tradeNet.Gateway };
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/catalog/categories");
            request.Headers.Add("traceparent", $"00-{clientTrace}-00f067aa0ba902b7-01");
            (await http.SendAsync(request)).EnsureSuccessStatusCode();

            // The request's edge span (a server span with no parent) and, in its trace, a server span under a client span.
            var continued = await Eventually.Until(() => Task.FromResult(collector.Spans()),
                spans => spans.Any(s => ContinuesTheEdgesTrace(s, spans)),
                TimeSpan.FromSeconds(30), "a service's server span in the trace the edge began");

            var service = continued.First(s => ContinuesTheEdgesTrace(s, continued));
            Assert.Equal(SpanKind.Client, continued.Single(p => p.TraceId == service.TraceId && p.SpanId == service.ParentSpanId).Kind);
            Assert.DoesNotContain(continued, s => s.TraceId == clientTrace);
        });
    }

    /// <summary>The process-wide W3C-only propagator is the services' too in this host: their gRPC calls and their events
    /// must still carry the trace, as across processes (TradeTraceTests, under the app host).</summary>
    [Fact]
    public async Task A_trades_grpc_calls_and_events_carry_their_trace_between_the_services_of_the_one_process()
    {
        await WithExportingTradeNet(async (tradeNet, collector) =>
        {
            await new TradeNet.Integration.Tests.Scenarios.TradeFlow(tradeNet.Gateway, tradeNet.OperatorApiKey).RunToCompletion();

            // Catalog's ReserveListings server span under matching's client span; a consumer span under a producer span.
            var spans = await Eventually.Until(() => Task.FromResult(collector.Spans()),
                all => all.Any(s => s.Kind == SpanKind.Server && s.Name.Contains("ReserveListings", StringComparison.Ordinal)
                                    && ParentIs(s, SpanKind.Client, all))
                       && all.Any(s => s.Kind == SpanKind.Consumer && ParentIs(s, SpanKind.Producer, all)),
                TimeSpan.FromSeconds(30), "a gRPC server span under its client span and a consumer span under its producer span");
            Assert.NotEmpty(spans);
        });
    }

    /// <summary>A standalone TradeNet exporting to a collector of the test's own (OTLP/HTTP, spans every 200 ms), the test run
    /// against both and the process's output shown when it fails.</summary>
    private static async Task WithExportingTradeNet(Func<StandaloneTradeNet, OtlpCollector, Task> test, params (string Name, string Value)[] settings)
    {
        await using var collector = await OtlpCollector.StartAsync(Repo.FreePort());
        var environment = new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        };
        foreach (var (name, value) in settings) environment[name] = value;
        var tradeNet = new StandaloneTradeNet { Settings = environment };
        await tradeNet.InitializeAsync();
        try
        {
            await tradeNet.ExplainFailureAsync(() => test(tradeNet, collector));
        }
        finally
        {
            await tradeNet.DisposeAsync();
        }
    }

    private static bool ParentIs(OtlpSpan span, SpanKind kind, IReadOnlyList<OtlpSpan> spans) =>
        span.ParentSpanId.Length > 0 && spans.Any(p => p.TraceId == span.TraceId && p.SpanId == span.ParentSpanId && p.Kind == kind);

    /// <summary>A server span whose ancestors, in its trace, reach a root server span (the edge's) through a client span.</summary>
    private static bool ContinuesTheEdgesTrace(OtlpSpan span, IReadOnlyList<OtlpSpan> spans)
    {
        if (span.Kind != SpanKind.Server || span.ParentSpanId.Length == 0) return false;
        var sawClient = false;
        var current = span;
        for (var depth = 0; depth < 64 && current.ParentSpanId.Length > 0; depth++)
        {
            var parent = spans.FirstOrDefault(p => p.TraceId == current.TraceId && p.SpanId == current.ParentSpanId);
            if (parent is null) return false;
            sawClient |= parent.Kind == SpanKind.Client;
            current = parent;
        }
        return sawClient && current.ParentSpanId.Length == 0 && current.Kind == SpanKind.Server;
    }

    private enum SpanKind { Unspecified, Internal, Server, Client, Producer, Consumer }

    private sealed record OtlpSpan(string TraceId, string SpanId, string ParentSpanId, string Name, SpanKind Kind);

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

        /// <summary>Every span exported so far (ExportTraceServiceRequest → resource_spans 1 → scope_spans 2 → spans 2).</summary>
        public List<OtlpSpan> Spans() =>
            [.. _bodies.Where(b => b.Path == "/v1/traces").SelectMany(b => Fields(b.Body, 1))
                .SelectMany(resource => Fields(resource, 2)).SelectMany(scope => Fields(scope, 2)).Select(ReadSpan)];

        private static OtlpSpan ReadSpan(byte[] span)
        {
            string traceId = "", spanId = "", parent = "", name = "";
            var kind = SpanKind.Unspecified;
            var input = new CodedInputStream(span);
            for (uint tag; (tag = input.ReadTag()) != 0;)
                switch (WireFormat.GetTagFieldNumber(tag))
                {
                    case 1: traceId = Convert.ToHexStringLower(input.ReadBytes().Span); break;
                    case 2: spanId = Convert.ToHexStringLower(input.ReadBytes().Span); break;
                    case 4: parent = Convert.ToHexStringLower(input.ReadBytes().Span); break;
                    case 5: name = input.ReadString(); break;
                    case 6: kind = (SpanKind)input.ReadEnum(); break;
                    default: input.SkipLastField(); break;
                }
            return new OtlpSpan(traceId, spanId, parent, name, kind);
        }

        /// <summary>The bodies of a message's length-delimited fields of one number.</summary>
        private static IEnumerable<byte[]> Fields(byte[] message, int number)
        {
            var found = new List<byte[]>();
            var input = new CodedInputStream(message);
            for (uint tag; (tag = input.ReadTag()) != 0;)
                if (WireFormat.GetTagFieldNumber(tag) == number && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
                    found.Add(input.ReadBytes().ToByteArray());
                else
                    input.SkipLastField();
            return found;
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
