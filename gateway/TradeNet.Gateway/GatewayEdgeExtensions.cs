using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;
using TradeNet.Contracts.Grpc;
using TradeNet.Shared.Grpc;

namespace TradeNet.Gateway;

public static class GatewayEdgeExtensions
{
    public const string ConfigFile = "gateway.json";

    /// <summary>The category Grpc.Net.Client logs each call's failure under.</summary>
    private const string GrpcCallLog = "Grpc.Net.Client.Internal.GrpcCall";

    /// <summary>
    /// The edge's services: YARP routes from <c>ReverseProxy</c> (defaults in gateway.json), API key
    /// authentication, rate limits, request line and header limits. Expects <c>AddServiceDefaults</c> (ProblemDetails, internal token
    /// issuer) to be called by the host, once per process.
    /// </summary>
    public static IHostApplicationBuilder AddGatewayEdge(this IHostApplicationBuilder builder)
    {
        AddDefaultRoutes(builder.Configuration);
        var services = builder.Services;
        // ASP.NET Core reads an incoming request's trace context with the propagator it finds here (after its own default)…
        services.AddSingleton<System.Diagnostics.DistributedContextPropagator>(new EdgeTracePropagator());
        // …and OpenTelemetry's ASP.NET Core instrumentation read it again with its own default (trace context and baggage),
        // starting a second server span under the client's parent. With W3C trace context alone it keeps ASP.NET Core's span.
        // For the process (the standalone host's services too): their ASP.NET Core reads W3C trace context as before, and
        // nothing in TradeNet uses OpenTelemetry's baggage (MassTransit carries its own header, MT-Activity-Id).
        OpenTelemetry.Sdk.SetDefaultTextMapPropagator(new OpenTelemetry.Context.Propagation.TraceContextPropagator());
        services.AddOptions<GatewayOptions>()
            .Bind(builder.Configuration.GetSection(GatewayOptions.Section))
            .Validate(o => o.Operators.All(op => op.Name.Trim().Length > 0 && op.Key.Length >= 16 && ApiKeyAuthenticator.IsWellFormed(op.Key)),
                "Gateway:Operators entries need a Name and a Key of 16 to 256 printable ASCII characters without spaces.")
            .Validate(o => o.Operators.Select(op => op.Key).Distinct().Count() == o.Operators.Count,
                "Gateway:Operators keys must be distinct.")
            .Validate(o => o.RateLimit.PermitsPerMinute > 0 && o.RateLimit.RegistrationsPerMinute > 0,
                "Gateway:RateLimit permits must be positive.")
            .Validate(o => o.TrustedNetworks() is not null, "Gateway:TrustedProxies entries must be IP addresses or CIDR networks.")
            // Configuration binds a list from its numbered entries only: a list written as one value was dropped without a
            // word (Gateway__TrustedProxies=10.244.0.0/16 started an edge trusting no proxy, every client sharing one limit).
            .Validate<IConfiguration>((_, config) => !IsOneValue(config, "Gateway:TrustedProxies"),
                "Gateway:TrustedProxies is a list: set Gateway:TrustedProxies:0, Gateway:TrustedProxies:1, … (env Gateway__TrustedProxies__0), one address or network each.")
            .Validate<IConfiguration>((_, config) => !IsOneValue(config, "Gateway:Operators"),
                "Gateway:Operators is a list: set Gateway:Operators:0:Name and Gateway:Operators:0:Key (env Gateway__Operators__0__Name, Gateway__Operators__0__Key), then :1, … for more.")
            .Validate(o => o.ApiKeyCache.RevocationPoll > TimeSpan.Zero, "Gateway:ApiKeyCache:RevocationPoll must be positive.")
            // Else the edge started and every key check that cached an answer was a 500.
            .Validate(o => o.ApiKeyCache is { Valid.Ticks: > 0, Invalid.Ticks: > 0, Remembered.Ticks: > 0, MaxEntries: > 0 },
                "Gateway:ApiKeyCache:Valid, Invalid, Remembered and MaxEntries must be positive.")
            .ValidateOnStart();
        services.AddSingleton<ApiKeyCache>();
        services.AddScoped<ApiKeyAuthenticator>();
        services.AddHostedService<RevokedKeyPoller>();
        // Without the HTTP client's four lines a call: the revoked-key feed alone would log them every RevocationPoll.
        // Failures are logged by the authenticator and the poller, and key checks are traced.
        services.AddTradeNetGrpcClient<Catalog.CatalogClient>("Catalog", "http://127.0.0.1:5102", "gateway").RemoveAllLoggers();
        // Nor the gRPC client's own line a failed call, at Information with its stack: during a catalog outage that was one
        // every RevocationPoll, where the poller warns once per outage and the authenticator once per check. Put first, so
        // Logging:LogLevel:Grpc.Net.Client.Internal.GrpcCall in configuration still decides.
        services.Configure<LoggerFilterOptions>(o => o.Rules.Insert(0, new LoggerFilterRule(null, GrpcCallLog, LogLevel.Warning, null)));
        services.AddEdgeRateLimits();
        services.AddRequestHeadGuard();
        // The edge's callers present API keys, and a bearer token a client sends is stripped before forwarding (EdgeGuard).
        // Read anyway, it was validated on every request ahead of the rate limits, each failure logged with its stack.
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o => o.Events.OnMessageReceived = context =>
        {
            context.NoResult();
            return Task.CompletedTask;
        });
        services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));
        // In place of YARP's own: the edge must know whether a forwarded request was written (ForwardedWrites).
        services.AddSingleton<Yarp.ReverseProxy.Forwarder.IForwarderHttpClientFactory, ForwardedWrites.ClientFactory>();
        // Passive health: a replica that stops answering leaves the rotation once 30 % of at least 5 requests to it in
        // the last 10 s failed, and is tried again 10 s later. (YARP's default 60 s window lets a busy gateway send it
        // failures for seconds, and keeps a restarted replica out for a minute.)
        services.Configure<Yarp.ReverseProxy.Health.TransportFailureRateHealthPolicyOptions>(o =>
        {
            o.DetectionWindowSize = TimeSpan.FromSeconds(10);
            o.MinimalTotalCountThreshold = 5;
        });
        // Behind an ingress every client arrives from the ingress' address; only its X-Forwarded-For tells them apart
        // (the rate limits are per client address). Only the last hop's entry is read, and only from a trusted proxy.
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<GatewayOptions>>((o, gateway) =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
            o.ForwardLimit = 1;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var network in gateway.Value.TrustedNetworks() ?? []) o.KnownIPNetworks.Add(network);
        });
        // Kestrel answers a header with non-ASCII bytes with a bare 400 before any middleware runs; an API key is
        // read byte for byte instead, so a mistyped one gets the edge's 401 problem like any other wrong key.
        services.Configure<KestrelServerOptions>(o => o.RequestHeaderEncodingSelector = name =>
            string.Equals(name, EdgeGuard.ApiKeyHeader, StringComparison.OrdinalIgnoreCase) ? Encoding.Latin1 : null);
        return builder;
    }

    /// <summary>Rate limiting, the proxied routes (behind <see cref="EdgeGuard"/>) and a <c>GET /</c> route index.</summary>
    public static WebApplication MapGatewayEdge(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value.TrustedProxies.Count > 0) app.UseForwardedHeaders();
        app.UseRateLimiter();
        app.MapMethods("/", [HttpMethods.Get, HttpMethods.Head], RouteIndex.List).AllowAnonymous();
        app.MapMethods("/api/docs", [HttpMethods.Get, HttpMethods.Head], ApiDocsIndex.List).AllowAnonymous();
        app.MapReverseProxy(proxy =>
        {
            proxy.UseMiddleware<EdgeGuard>();
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
        return app;
    }

    private static bool IsOneValue(IConfiguration config, string list) => !string.IsNullOrWhiteSpace(config[list]);

    // gateway.json ships next to the assembly (also in a host that references this project) and goes
    // first in the source list, so appsettings, environment variables and the command line override it.
    private static void AddDefaultRoutes(IConfigurationManager configuration)
    {
        var source = new JsonConfigurationSource
        {
            Path = ConfigFile,
            Optional = false,
            ReloadOnChange = false,
            FileProvider = new PhysicalFileProvider(AppContext.BaseDirectory),
        };
        if (configuration.Sources.OfType<JsonConfigurationSource>().Any(s => s.Path == ConfigFile)) return;
        configuration.Sources.Insert(0, source);
    }
}
