using Microsoft.AspNetCore.Http.HttpResults;
using TradeNet.Shared.Hosting;

namespace TradeNet.Gateway;

/// <summary><c>GET /api/docs</c>: where each service's OpenAPI document is; the documents themselves come
/// through the ordinary service routes (<c>/api/{service}/openapi.json</c>).</summary>
public static class ApiDocsIndex
{
    public sealed record ApiDocument(string Service, string Url);

    public static Ok<ApiDocument[]> List(HttpRequest request) =>
        TypedResults.Ok(ApiDocs.Services.Select(s => new ApiDocument(s, $"{request.Scheme}://{request.Host}{ApiDocs.Path(s)}")).ToArray());
}
