using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace TradeNet.Shared.Hosting;

/// <summary>
/// The request line and headers the edge accepts (Kestrel's defaults, published in docs/gateway.md), counted as Kestrel
/// counts them, and the room a service behind the edge needs to take whatever the edge forwards.
/// </summary>
public static class RequestHeadLimits
{
    /// <summary>Method, URL, HTTP version and line break: <c>GET /api/catalog/listings?… HTTP/1.1\r\n</c>.</summary>
    public const int MaxRequestLineBytes = 8 * 1024;

    /// <summary>Every header line, <c>Name: value\r\n</c>, added up.</summary>
    public const int MaxHeaderBytes = 32 * 1024;

    public const int MaxHeaderCount = 100;

    /// <summary>A service's Kestrel limits: a request the edge accepted must not come back as Kestrel's bare 414 or 431,
    /// which the edge would pass on to the client as it is.</summary>
    public static void FitWhatTheEdgeForwards(KestrelServerLimits limits)
    {
        // YARP percent-encodes what Kestrel takes raw in a URL ('"', '|', '{', control characters): a byte can become three.
        limits.MaxRequestLineSize = 3 * MaxRequestLineBytes;
        // The edge adds headers of its own: the internal token, X-Forwarded-*, traceparent.
        limits.MaxRequestHeadersTotalSize = MaxHeaderBytes + 16 * 1024;
        limits.MaxRequestHeaderCount = MaxHeaderCount + 20;
    }
}
