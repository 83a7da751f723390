using Microsoft.AspNetCore.Http.HttpResults;
using Yarp.ReverseProxy.Configuration;

namespace TradeNet.Gateway;

/// <summary><c>GET /</c>: what the edge exposes, so a newcomer with curl can find their way.</summary>
public static class RouteIndex
{
    public sealed record EdgeRoute(string Id, string Path, IReadOnlyList<string>? Methods, string Service);

    public sealed record EdgeIndex(string Name, string Authentication, IReadOnlyList<EdgeRoute> Routes);

    public static Ok<EdgeIndex> List(IProxyConfigProvider config) =>
        TypedResults.Ok(new EdgeIndex(
            "TradeNet gateway",
            $"Send your town's or operator's API key in the {EdgeGuard.ApiKeyHeader} header. Without one a town can register " +
            "(POST /api/catalog/towns, which answers its key), and anyone can read the catalog's towns, categories and listings " +
            "and the API documents (GET /api/docs lists them); every other route needs a key.",
            config.GetConfig().Routes
                .OrderBy(r => r.Match.Path, StringComparer.Ordinal)
                .Select(r => new EdgeRoute(r.RouteId, r.Match.Path ?? "", r.Match.Methods, r.ClusterId ?? ""))
                .ToList()));
}
