using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using TradeNet.Shared.Hosting;

namespace TradeNet.Gateway.Tests;

/// <summary>What a service behind the edge received.</summary>
public sealed record Echo(string Method, string Path, Dictionary<string, string> Headers, int BodyLength)
{
    public string? Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}

/// <summary>A real Kestrel service on a free loopback port that answers every request with what it received.</summary>
public sealed class EchoBackend : IAsyncDisposable
{
    private readonly WebApplication _app;

    public ConcurrentQueue<Echo> Received { get; } = new();

    private EchoBackend(WebApplication app) => _app = app;

    public string Url => _app.Urls.First();

    public static async Task<EchoBackend> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        // Room for what the edge forwards, as every service has (AddServiceDefaults).
        builder.WebHost.ConfigureKestrel(k => RequestHeadLimits.FitWhatTheEdgeForwards(k.Limits));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var backend = new EchoBackend(app);
        // Every service marks its answers so (MapDefaultEndpoints); the edge must pass one copy on, not add a second.
        app.Use((http, next) =>
        {
            http.Response.Headers.XContentTypeOptions = "nosniff";
            return next(http);
        });
        app.MapGet("/health", () => "Healthy");
        // A service refusing an anonymous write challenges with its internal scheme.
        app.MapPost("/api/matching/rounds/refused", (HttpContext http) =>
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized);
        });
        app.Map("/{**path}", async (HttpContext http) =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            var echo = new Echo(http.Request.Method, http.Request.Path + http.Request.QueryString,
                http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                (int)body.Length);
            backend.Received.Enqueue(echo);
            return TypedResults.Json(echo);
        });
        await app.StartAsync();
        return backend;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
