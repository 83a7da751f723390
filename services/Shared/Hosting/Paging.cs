using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace TradeNet.Shared.Hosting;

/// <summary>Pages of a list that could grow long (catalog's towns and listings, logistics' vehicles, shipments and transfers,
/// matching's trades and book): <c>limit</c> caps a page; a page with more after it links to the next with <c>after</c> =
/// its last id (plus, where a list's order can change under a walk, that item's sort key as the page showed it), so no
/// read returns a whole table and a client following the links sees each item left alone exactly once.</summary>
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

    /// <summary>What to read for a page of <paramref name="size"/>: one more, so that the page knows whether another follows
    /// (the last page has no Link, even when it is full).</summary>
    public static int Read(int size) => size + 1;

    public static ValidationProblem UnknownAfter(string what) =>
        Problems.Field("after", $"must be the id of a {what} (the last one of the page before)");

    /// <summary>The page out of what <see cref="Read"/> read, and when more followed it a Link to the next: the same query
    /// after this page's last id, with <paramref name="cursor"/>'s parameters (the last item's sort key) replaced too.</summary>
    public static IReadOnlyList<T> Page<T>(HttpContext http, IReadOnlyList<T> read, int size, Func<T, string> id,
        Func<T, IEnumerable<KeyValuePair<string, string>>>? cursor = null)
    {
        if (read.Count <= size) return read;
        var page = read.Take(size).ToList();
        var last = page[^1];
        var next = new List<KeyValuePair<string, string>> { new("after", id(last)) };
        if (cursor is not null) next.AddRange(cursor(last));
        // Query names bind whatever their case (?After=), so a name of the cursor is replaced in any case, never repeated.
        var query = http.Request.Query.Where(q => !next.Any(n => string.Equals(n.Key, q.Key, StringComparison.OrdinalIgnoreCase)))
            .Select(q => new KeyValuePair<string, string?>(q.Key, q.Value.ToString()))
            .Concat(next.Select(n => new KeyValuePair<string, string?>(n.Key, n.Value)));
        http.Response.Headers.Link = $"<{http.Request.PathBase}{http.Request.Path}{QueryString.Create(query)}>; rel=\"next\"";
        return page;
    }
}
