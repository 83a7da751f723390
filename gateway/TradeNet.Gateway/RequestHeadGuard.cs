using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using TradeNet.Shared.Hosting;

namespace TradeNet.Gateway;

/// <summary>
/// The edge's request line and header limits (<see cref="RequestHeadLimits"/>), enforced first in the pipeline: Kestrel
/// refuses a request over its own limits with a bare 414 or 431 before any middleware runs, so nothing could say which
/// limit it was. Kestrel is given headroom; this answers with a problem naming the limit. It counts header values as
/// Kestrel hands them over, without the spaces around them, so padding counts only against Kestrel's own (doubled) limit.
/// </summary>
public sealed class RequestHeadGuard(RequestDelegate next, IOptions<KestrelServerOptions> kestrel)
{
    /// <summary>Kestrel's limits are this many times the published ones. Kestrel holds the whole request line and every
    /// header in memory before any middleware runs, so its limits stay tight (16 KB line, 64 KB of headers per connection:
    /// measured with 4×, 400 slow connections cost 78 MB against 26 MB at Kestrel's defaults); past them a client still
    /// gets Kestrel's bare status.</summary>
    public const int KestrelHeadroom = 2;

    public async Task InvokeAsync(HttpContext http, IProblemDetailsService problems)
    {
        var line = RequestLineBytes(http);
        if (line > RequestHeadLimits.MaxRequestLineBytes)
        {
            await EdgeGuard.Reject(http, problems, StatusCodes.Status414UriTooLong, "URL too long",
                $"The request line (method, URL and HTTP version) is {line} bytes; the limit is {RequestHeadLimits.MaxRequestLineBytes} bytes.");
            return;
        }
        var (count, bytes, nonAscii) = HeaderLines(http.Request.Headers);
        if (count > RequestHeadLimits.MaxHeaderCount)
        {
            await EdgeGuard.Reject(http, problems, StatusCodes.Status431RequestHeaderFieldsTooLarge, "Too many request headers",
                $"The request has {count} header lines; the limit is {RequestHeadLimits.MaxHeaderCount}.");
            return;
        }
        if (bytes > RequestHeadLimits.MaxHeaderBytes)
        {
            await EdgeGuard.Reject(http, problems, StatusCodes.Status431RequestHeaderFieldsTooLarge, "Request headers too large",
                $"The request headers are {bytes} bytes in all; the limit is {RequestHeadLimits.MaxHeaderBytes} bytes.");
            return;
        }
        if (nonAscii is { } name)
        {
            // The forwarding client sends ASCII header values only; passed on, this would be the edge's 502.
            await EdgeGuard.Reject(http, problems, StatusCodes.Status400BadRequest, "Invalid header",
                $"The {name} header holds characters outside ASCII; header values must be ASCII (percent-encode or drop them).");
            return;
        }
        await next(http);
    }

    // "GET /path?query HTTP/1.1\r\n" with the target as the client sent it; Kestrel takes only ASCII there, a byte a character.
    private static int RequestLineBytes(HttpContext http)
    {
        var target = http.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(target)) target = http.Request.PathBase + http.Request.Path + http.Request.QueryString;
        return http.Request.Method.Length + 1 + target.Length + 1 + http.Request.Protocol.Length + 2;
    }

    // Each line as "Name: value\r\n" (how clients write them), the value in the bytes Kestrel decoded it from:
    // UTF-8, or Latin-1 for the API key (GatewayEdgeExtensions); and the first header whose value is not ASCII, in the
    // same pass. The API key is left to EdgeGuard, which answers a malformed key itself.
    private (int Count, long Bytes, string? NonAscii) HeaderLines(IHeaderDictionary headers)
    {
        var (count, bytes, nonAscii) = (0, 0L, (string?)null);
        foreach (var (name, values) in headers)
        {
            var encoding = kestrel.Value.RequestHeaderEncodingSelector(name) ?? Encoding.UTF8;
            var apiKey = string.Equals(name, EdgeGuard.ApiKeyHeader, StringComparison.OrdinalIgnoreCase);
            foreach (var value in values)
            {
                count++;
                bytes += name.Length + 2 + encoding.GetByteCount(value ?? "") + 2;
                if (nonAscii is null && !apiKey && value is not null && !Ascii.IsValid(value)) nonAscii = name;
            }
        }
        return (count, bytes, nonAscii);
    }
}

public static class RequestHeadGuardExtensions
{
    /// <summary>Kestrel's limits raised by <see cref="RequestHeadGuard.KestrelHeadroom"/>, and the guard first in the pipeline.</summary>
    public static IServiceCollection AddRequestHeadGuard(this IServiceCollection services)
    {
        services.Configure<KestrelServerOptions>(o =>
        {
            o.Limits.MaxRequestLineSize = WithHeadroom(RequestHeadLimits.MaxRequestLineBytes);
            o.Limits.MaxRequestHeadersTotalSize = WithHeadroom(RequestHeadLimits.MaxHeaderBytes);
            o.Limits.MaxRequestHeaderCount = WithHeadroom(RequestHeadLimits.MaxHeaderCount);
        });
        // A startup filter wraps the pipeline the app builds, so the guard runs ahead of all the app's middleware
        // (the exception handler, forwarded headers, rate limits); only the host's own filters (host filtering) wrap it.
        services.AddSingleton<IStartupFilter, GuardFirst>();
        return services;
    }

    private static int WithHeadroom(int published) => RequestHeadGuard.KestrelHeadroom * published;

    private sealed class GuardFirst : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseMiddleware<RequestHeadGuard>();
            next(app);
        };
    }
}
