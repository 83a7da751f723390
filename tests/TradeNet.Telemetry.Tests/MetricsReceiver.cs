using System.Collections.Concurrent;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace TradeNet.Telemetry.Tests;

/// <summary>An OTLP/HTTP metrics receiver: the dashboard shows metrics but offers no API to read them,
/// so the services also export metrics here. Keeps (service.name, metric name) pairs.</summary>
public sealed class MetricsReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    public ConcurrentDictionary<(string Service, string Metric), bool> Seen { get; } = new();

    private MetricsReceiver(WebApplication app) => _app = app;

    public string Endpoint { get; private set; } = "";

    public static async Task<MetricsReceiver> StartAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var receiver = new MetricsReceiver(app) { Endpoint = $"http://127.0.0.1:{port}/v1/metrics" };
        app.MapPost("/v1/metrics", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            receiver.Read(body.ToArray());
            return Results.Bytes([], "application/x-protobuf");
        });
        await app.StartAsync();
        return receiver;
    }

    public bool Has(string service, string metric) => Seen.ContainsKey((service, metric));

    public IEnumerable<string> MetricsOf(string service) => Seen.Keys.Where(k => k.Service == service).Select(k => k.Metric).Order();

    // ExportMetricsServiceRequest: 1 resource_metrics { 1 resource { 1 attributes KeyValue { 1 key, 2 AnyValue { 1 string } } },
    // 2 scope_metrics { 2 metrics { 1 name } } }. Only these fields are read; the rest is skipped.
    private void Read(byte[] request)
    {
        foreach (var resourceMetrics in Fields(request, 1))
        {
            var service = "";
            foreach (var resource in Fields(resourceMetrics, 1))
                foreach (var attribute in Fields(resource, 1))
                    if (String(attribute, 1) == "service.name")
                        service = Fields(attribute, 2).Select(v => String(v, 1)).FirstOrDefault() ?? "";
            foreach (var scope in Fields(resourceMetrics, 2))
                foreach (var metric in Fields(scope, 2))
                    Seen[(service, String(metric, 1) ?? "")] = true;
        }
    }

    private static List<byte[]> Fields(byte[] message, int number)
    {
        var found = new List<byte[]>();
        var input = new CodedInputStream(message);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == number && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
                found.Add(input.ReadBytes().ToByteArray());
            else input.SkipLastField();
        }
        return found;
    }

    private static string? String(byte[] message, int number) =>
        Fields(message, number).Select(b => System.Text.Encoding.UTF8.GetString(b)).FirstOrDefault();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
