using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using CatalogGrpc = TradeNet.Contracts.Grpc.Catalog;

namespace TradeNet.Shared.Hosting;

public static class TelemetryExtensions
{
    /// <summary>Config key (or env TradeNet__Telemetry__ExtraMetricsEndpoint): a second OTLP/HTTP metrics
    /// receiver besides OTEL_EXPORTER_OTLP_ENDPOINT, e.g. a test's receiver (the dashboard has no metrics API).</summary>
    public const string ExtraMetricsEndpointKey = "TradeNet:Telemetry:ExtraMetricsEndpoint";

    /// <summary>Config key: false when another host in the same process already exports traces and metrics (the standalone
    /// host's edge beside its services). Activity sources and meters are matched by name across the process, so a second
    /// host's providers exported every span and every metric of both hosts again, under its own service name.</summary>
    public const string TracesAndMetricsKey = "TradeNet:Telemetry:TracesAndMetrics";

    private static readonly string RevokedKeysPath = $"/{CatalogGrpc.Descriptor.FullName}/GetRevokedKeys";

    /// <summary>Whether a request is one made on a timer rather than for anyone, and so left out of traces as /health and
    /// /alive are: the gateways' reads of the catalog's revoked-key feed, every 2 s each, would bury the requests people make.</summary>
    public static bool IsPolled(string? path) => path == RevokedKeysPath;

    /// <summary>Traces, metrics and logs; exported by OTLP only when OTEL_EXPORTER_OTLP_ENDPOINT is set.</summary>
    public static IHostApplicationBuilder AddTradeNetTelemetry(this IHostApplicationBuilder builder, string serviceName)
    {
        var otlp = OtlpEndpointSet(builder.Configuration);
        var extraMetrics = ExtraMetricsEndpoint(builder.Configuration);
        builder.Logging.AddOpenTelemetry(o =>
        {
            o.IncludeFormattedMessage = true;
            o.IncludeScopes = true;
            if (otlp) o.AddOtlpExporter();
        });
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(builder.Configuration["OTEL_SERVICE_NAME"] ?? serviceName));
        // Logs stay each host's own (a logger belongs to its host); traces and metrics are the process's.
        if (!bool.TryParse(builder.Configuration[TracesAndMetricsKey], out var tracesAndMetrics) || tracesAndMetrics)
            AddTracesAndMetrics(builder, telemetry, otlp, extraMetrics);
        // The last exports get a bounded time at stop rather than the exporter's retries against a collector that has gone.
        builder.Services.AddHostedService<TelemetryAtStop>();
        // Consume spans learn the trade they concern from the message; published events count trades and shipments.
        builder.Services.AddConsumeObserver<TradeConsumeObserver>();
        builder.Services.AddReceiveObserver<ErrorQueueObserver>();
        builder.Services.AddPublishObserver<TradeStatePublishObserver>();
        return builder;
    }

    /// <summary>Whether OTEL_EXPORTER_OTLP_ENDPOINT is set, checked while the host is built: the exporter drops a value that is
    /// no http(s) address (<c>otel-collector:4317</c>, its scheme left out) without a word for its default, localhost:4317,
    /// and the host ran exporting to nobody; refused as a setting, it ends with exit 2 naming it (<see cref="StartFailures"/>).</summary>
    private static bool OtlpEndpointSet(IConfiguration config)
    {
        var text = config[OtlpEndpointKey];
        if (string.IsNullOrWhiteSpace(text)) return false;
        if (Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            return true;
        throw new OptionsValidationException(OtlpEndpointKey, typeof(TelemetryExtensions),
            [$"{OtlpEndpointKey} '{text}' is not an http:// or https:// address (an OTLP collector, such as http://127.0.0.1:4317)."]);
    }

    private const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The extra metrics receiver, checked while the host is built: the exporter reads it only as the host starts,
    /// where a value that is no address threw Uri's format error, an abort (134) with the exporter's stack, instead of the
    /// refused setting's exit 2 naming it (<see cref="StartFailures"/>).</summary>
    private static Uri? ExtraMetricsEndpoint(IConfiguration config)
    {
        var text = config[ExtraMetricsEndpointKey];
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            return uri;
        throw new OptionsValidationException(ExtraMetricsEndpointKey, typeof(TelemetryExtensions),
            [$"{ExtraMetricsEndpointKey} '{text}' is not an http:// or https:// address (an OTLP/HTTP metrics receiver, such as http://127.0.0.1:4318/v1/metrics)."]);
    }

    private static void AddTracesAndMetrics(IHostApplicationBuilder builder, OpenTelemetryBuilder telemetry, bool otlp, Uri? extraMetrics) =>
        telemetry
            .WithMetrics(m =>
            {
                m.AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddMeter(TradeNetTelemetry.Name, "MassTransit", "Microsoft.AspNetCore.Hosting",
                        "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Routing", "Yarp.ReverseProxy");
                if (otlp) m.AddOtlpExporter();
                if (extraMetrics is not null)
                    m.AddOtlpExporter("extra", o =>
                    {
                        o.Endpoint = extraMetrics;
                        o.Protocol = OtlpExportProtocol.HttpProtobuf;
                    });
            })
            .WithTracing(t =>
            {
                t.AddSource(TradeNetTelemetry.Name, "MassTransit", "Yarp.ReverseProxy")
                    .SetSampler(new PolledWorkSampler())
                    .AddProcessor(new TradeTagInheritance())
                    .AddAspNetCoreInstrumentation(o =>
                    {
                        o.Filter = http => !http.Request.Path.StartsWithSegments("/health") && !http.Request.Path.StartsWithSegments("/alive")
                            && !IsPolled(http.Request.Path.Value);
                        o.EnrichWithHttpRequest = (activity, request) =>
                            TradeRouteTags.Tag(activity, request.Path.Value, request.Query["trade"].ToString());
                    })
                    .AddHttpClientInstrumentation(o =>
                    {
                        o.FilterHttpRequestMessage = request => !IsPolled(request.RequestUri?.AbsolutePath);
                        o.EnrichWithHttpRequestMessage = (activity, request) => TradeRouteTags.Tag(activity, request.RequestUri?.AbsolutePath, null);
                    })
                    .AddGrpcClientInstrumentation(o => o.Filter = request => !IsPolled(request.RequestUri?.AbsolutePath));
                if (otlp) t.AddOtlpExporter();
            });
}
