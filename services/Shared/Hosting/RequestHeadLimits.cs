namespace TradeNet.Shared.Hosting;

/// <summary>
/// The request line and headers the edge accepts (Kestrel's defaults, published in docs/gateway.md), counted as Kestrel
/// counts them.
/// </summary>
public static class RequestHeadLimits
{
    /// <summary>Method, URL, HTTP version and line break: <c>GET /api/catalog/listings?… HTTP/1.1\r\n</c>.</summary>
    public const int MaxRequestLineBytes = 8 * 1024;

    /// <summary>Every header line, <c>Name: value\r\n</c>, added up.</summary>
    public const int MaxHeaderBytes = 32 * 1024;

    public const int MaxHeaderCount = 100;
}
