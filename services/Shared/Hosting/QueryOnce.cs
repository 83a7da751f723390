using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace TradeNet.Shared.Hosting;

/// <summary>
/// A query parameter a route reads, given more than once (<c>?town=a&amp;town=b</c>), is a 400 naming it, as a repeated
/// <c>Idempotency-Key</c> or <c>X-Api-Key</c> header already is where those are read. The framework binds such a parameter
/// as the values joined with a comma ("a,b"), so a filter silently matched nothing, a repeated page cursor moved the page,
/// and a repeated <c>limit</c> was called "not a whole number" (gateway fuzz). An endpoint filter, so the caller is checked
/// first (an anonymous caller still gets 401); parameters the route does not read are left alone, as they always were.
/// </summary>
public static class QueryOnce
{
    public const string Message = "is given more than once; send it once";

    public static TBuilder RefuseRepeatedQuery<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(static (context, next) =>
        {
            var http = context.HttpContext;
            if (!http.Request.QueryString.HasValue) return next(context);
            // The handler's own parameters (minimal APIs keep its MethodInfo in the metadata), less those from the route;
            // named as the handler names them, since query names are read in any case.
            var reads = (http.GetEndpoint()?.Metadata.GetMetadata<MethodInfo>()?.GetParameters() ?? [])
                .Where(p => p.Name is not null && !http.Request.RouteValues.ContainsKey(p.Name))
                .ToDictionary(p => p.Name!, p => p.Name!, StringComparer.OrdinalIgnoreCase);
            var repeated = http.Request.Query
                .Where(q => q.Value.Count > 1 && reads.ContainsKey(q.Key))
                .Select(q => reads[q.Key]).Order(StringComparer.Ordinal).ToList();
            if (repeated.Count == 0) return next(context);
            return ValueTask.FromResult<object?>(Problems.Fields(repeated.ToDictionary(k => k, _ => new[] { Message })));
        });
}
