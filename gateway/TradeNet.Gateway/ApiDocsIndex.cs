using Microsoft.AspNetCore.Http.HttpResults;
using TradeNet.Shared.Hosting;

namespace TradeNet.Gateway;

/// <summary><c>GET /api/docs</c>: where each service's OpenAPI document is; the documents themselves come
/// through the ordinary service routes (<c>/api/{service}/openapi.json</c>).</summary>
public static class ApiDocsIndex
{
    public sealed record ApiDocument(string Service, string Url);

    // Paths, resolved against the gateway the index came from (as the documents' own server "/"): an absolute URL
    // would be built from the client's Host header, which any client sets, and a cache in front would keep it.
    public static Ok<ApiDocument[]> List() =>
        TypedResults.Ok(ApiDocs.Services.Select(s => new ApiDocument(s, ApiDocs.Path(s))).ToArray());
}
