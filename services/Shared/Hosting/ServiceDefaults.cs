using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using TradeNet.Shared.Auth;
using TradeNet.Shared.Grpc;
using TradeNet.Shared.Storage;

namespace TradeNet.Shared.Hosting;

public static class ServiceDefaults
{
    /// <summary>Largest request body a service or the edge accepts; larger ones get 413.</summary>
    public const long MaxRequestBodyBytes = 256 * 1024;

    /// <summary>Telemetry, health, ProblemDetails, internal auth, storage options and gRPC server defaults.
    /// Called once per process, whether it hosts one service or all of them.</summary>
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder, string serviceName)
    {
        LogLevelSettings.Check(builder.Configuration);
        builder.AddTradeNetTelemetry(serviceName);
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        // Routing and authorization answer with a bare status (415, 401, 403, 404, 405) before any handler runs; say why.
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = StatusProblems.Describe);
        builder.Services.AddSingleton<IProblemDetailsWriter, AnyAcceptProblemWriter>();
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        // Let unreadable bodies reach ProblemExceptionHandler, which names the bad field.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
            // A misspelt field would otherwise vanish with what it meant ({"maxDistance":50} for maxDistanceKm: no limit).
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            // {"quantity":1,"quantity":900}: a proxy or validator may read the first, the service the last.
            o.SerializerOptions.AllowDuplicateProperties = false;
            // The web defaults read "10" and "NaN" as numbers; a number comes as a JSON number, as the offline book's.
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            o.SerializerOptions.Converters.Add(new DisplayedNumbers());
            o.SerializerOptions.Converters.Add(new ZonedTimes());
        });
        builder.Services.Configure<KestrelServerOptions>(o =>
        {
            o.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            RequestHeadLimits.FitWhatTheEdgeForwards(o.Limits);
        });
        // Checked at start: without a key every request would fail, /health included, long after the process said it started.
        builder.Services.AddOptions<InternalTokenOptions>().Bind(builder.Configuration.GetSection(InternalTokenOptions.Section))
            .Validate(o => o.InternalTokenKey.Length >= InternalTokenOptions.MinKeyLength,
                $"Auth:InternalTokenKey must be set to a secret of at least {InternalTokenOptions.MinKeyLength} characters (env Auth__InternalTokenKey), the same in every process.")
            .Validate(o => o.Lifetime > TimeSpan.Zero && o.Lifetime <= InternalTokenOptions.MaxLifetime,
                $"Auth:Lifetime must be more than 0 and at most {InternalTokenOptions.MaxLifetime.TotalMinutes} minutes.")
            .ValidateOnStart();
        builder.Services.AddOptions<StorageOptions>().Bind(builder.Configuration.GetSection(StorageOptions.Section))
            .Validate(o => o.InboxRetention <= TimeSpan.Zero || o.InboxRetention >= StorageOptions.MinInboxRetention,
                $"Storage:InboxRetention must be at least {StorageOptions.MinInboxRetention.TotalHours} hours (or 0 to keep ids forever): "
                + "an outbox hands events over again after a restart, and a shorter memory would apply them twice.")
            // A negative period is refused too: read as "never", it left an operator who set one without any backup.
            .Validate(o => o.Backups.Every is not { } every || every == TimeSpan.Zero || every >= BackupSchedulingOptions.MinEvery,
                $"Storage:Backups:Every must be at least {BackupSchedulingOptions.MinEvery.TotalMinutes} minute (or unset to take backups only on request): "
                + "each backup holds every writer back while it copies, and copies every file whole.")
            .Validate(o => o.Backups.Keep >= 0, "Storage:Backups:Keep must be 0 (keep every backup) or the number of complete backups to keep.")
            .ValidateOnStart();
        builder.Services.AddInternalAuth();
        builder.Services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, GrpcRefusals>();
        builder.Services.AddGrpc(o =>
        {
            o.Interceptors.Add<GrpcErrorInterceptor>();
            o.MaxReceiveMessageSize = GrpcMessageLimits.DefaultMaxReceiveMessageBytes;
        });
        return builder;
    }

    /// <summary>/health (ready) and /alive (process up) in every environment: compose and Kubernetes probe them.</summary>
    /// <param name="headAsGet">Services: HEAD is GET without the body (RFC 9110 §9.3.2), routed and answered as GET and a
    /// HEAD again when the answer starts, so Kestrel sends the headers only. The edge passes false: it forwards HEAD as it
    /// is (YARP knows a HEAD answer has no body) and its own routes take HEAD themselves.</param>
    public static WebApplication MapDefaultEndpoints(this WebApplication app, bool headAsGet = true)
    {
        // Before routing, which is why routing is placed here explicitly.
        app.Use((http, next) =>
        {
            if (!headAsGet || !HttpMethods.IsHead(http.Request.Method)) return next(http);
            http.Request.Method = HttpMethods.Get;
            http.Response.OnStarting(() =>
            {
                http.Request.Method = HttpMethods.Head;
                return Task.CompletedTask;
            });
            return next(http);
        });
        app.UseRouting();
        // Answers are what their Content-Type says: a browser must not guess HTML into a JSON or CSV answer.
        // Set as the answer starts, and only when absent: the gateway's proxied answers bring the service's own header,
        // which YARP would otherwise append to a second copy.
        app.Use((http, next) =>
        {
            http.Response.OnStarting(() =>
            {
                if (!http.Response.Headers.ContainsKey(Microsoft.Net.Http.Headers.HeaderNames.XContentTypeOptions))
                    http.Response.Headers.XContentTypeOptions = "nosniff";
                return Task.CompletedTask;
            });
            return next(http);
        });
        app.UseExceptionHandler();
        app.Use((http, next) => JsonCharsets.CheckAsync(http, () => next(http)));
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHealthChecks("/health").AllowAnonymous();
        app.MapHealthChecks("/alive", new HealthCheckOptions { Predicate = r => r.Tags.Contains("live") }).AllowAnonymous();
        return app;
    }

    /// <summary>Listens on a REST (HTTP/1.1) port and, when given, a separate HTTP/2-only port for gRPC
    /// (cleartext gRPC needs a port that speaks only HTTP/2). Config: Endpoints:Rest, Endpoints:Grpc.</summary>
    public static void UseTradeNetEndpoints(this WebApplicationBuilder builder, string defaultRest, string? defaultGrpc)
    {
        if (builder.Configuration.GetSection("Kestrel:Endpoints").Exists()) return;
        // Read now, not when Kestrel starts: an address that cannot be listened on stops the host before anything else runs.
        // Named as the setting when it came from one; a host's own default (the standalone host's) is named by its role.
        var rest = builder.Configuration["Endpoints:Rest"];
        var restAt = ListenAddresses.Parse(rest is null ? "The REST address" : "Endpoints:Rest", rest ?? defaultRest);
        var grpc = builder.Configuration["Endpoints:Grpc"];
        var grpcAt = string.IsNullOrWhiteSpace(grpc ?? defaultGrpc) ? null
            : ListenAddresses.Parse(grpc is null ? "The gRPC address" : "Endpoints:Grpc", (grpc ?? defaultGrpc)!);
        builder.WebHost.ConfigureKestrel(k =>
        {
            Listen(k, restAt, HttpProtocols.Http1);
            if (grpcAt is not null) Listen(k, grpcAt, HttpProtocols.Http2);
        });
    }

    private static void Listen(KestrelServerOptions kestrel, ListenAddresses.Address at, HttpProtocols protocols)
    {
        if (at.Localhost)
            kestrel.ListenLocalhost(at.Port, l => l.Protocols = protocols);
        else if (at.Ip.Equals(System.Net.IPAddress.Any))
            kestrel.ListenAnyIP(at.Port, l => l.Protocols = protocols);
        else
            kestrel.Listen(at.Ip, at.Port, l => l.Protocols = protocols);
    }

    /// <summary>ASP.NET's "every address" forms, <c>http://*:5000</c> and <c>http://+:5000</c>, as <c>http://0.0.0.0:5000</c>:
    /// <see cref="Uri"/> cannot parse a host of <c>*</c> or <c>+</c>, and such an address (Endpoints:Rest, Standalone:EdgeUrl)
    /// aborted the host at start with a UriFormatException's stack (134). Any other address is returned as it is.</summary>
    public static string AnyHostAsZeros(string url) =>
        System.Text.RegularExpressions.Regex.Replace(url, @"^(?<scheme>[A-Za-z][A-Za-z0-9+.-]*://)[*+](?=[:/]|$)", "${scheme}0.0.0.0");
}
