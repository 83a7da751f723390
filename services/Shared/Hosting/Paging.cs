using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace TradeNet.Shared.Hosting;

/// <summary>Pages of a list that could grow long (catalog's towns and listings, logistics' vehicles): <c>limit</c> caps a
/// page, a full page links to the next with <c>after</c> = its last id, so no read returns a whole table.</summary>
public static class Paging
{
    public const int DefaultPage = 500;
    public const int MaxPage = 1000;

    /// <summary>The page size asked for (or the default), or the 400 naming <c>limit</c>.</summary>
    public static ValidationProblem? Size(string? limit, out int size)
    {
        size = DefaultPage;
        if (string.IsNullOrWhiteSpace(limit)) return null;
        return int.TryParse(limit.Trim(), System.Globalization.NumberStyles.None, null, out size) && size is >= 1 and <= MaxPage
            ? null
            : Problems.Field("limit", $"must be a whole number from 1 to {MaxPage}");
    }

    public static ValidationProblem UnknownAfter(string what) =>
        Problems.Field("after", $"must be the id of a {what} (the last one of the page before)");

    /// <summary>A full page may have a next one: the same query, after this page's last id.</summary>
    public static void LinkNext<T>(HttpContext http, IReadOnlyList<T> page, int size, Func<T, string> id)
    {
        if (page.Count < size) return;
        var query = http.Request.Query.Where(q => q.Key != "after").ToDictionary(q => q.Key, q => (string?)q.Value.ToString());
        query["after"] = id(page[^1]);
        http.Response.Headers.Link = $"<{http.Request.PathBase}{http.Request.Path}{QueryString.Create(query)}>; rel=\"next\"";
    }
}
