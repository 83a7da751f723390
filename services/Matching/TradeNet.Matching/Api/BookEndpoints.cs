using Microsoft.AspNetCore.Http.HttpResults;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Rounds;
using TradeNet.Matching.Storage;
using TradeNet.Shared.Auth;
using TradeNet.Shared.Hosting;

namespace TradeNet.Matching.Api;

internal static class BookEndpoints
{
    /// <summary>Matching's view of the order book, for operators checking what the next round will see: in pages by
    /// listing id (<c>limit</c>, <c>after</c>, <c>Link: next</c>), as catalog's lists are.</summary>
    public static void MapBook(this IEndpointRouteBuilder api) =>
        api.MapGet("/book", ListAsync).RequireAuthorization(Policies.Operator);

    private static async Task<Results<Ok<BookListingView[]>, ValidationProblem>> ListAsync(string? limit, string? after,
        HttpContext http, IMatchingStore store, TimeProvider clock, CancellationToken ct)
    {
        if (Paging.Size(limit, out var size) is { } badLimit) return badLimit;
        // A round reads the whole book anyway; the page only bounds the answer. An id that left the book since the page
        // before still orders the rest, so "after" needs no lookup.
        var (open, held) = await BookHolds.ReadAsync(store, clock.GetUtcNow(), ct);
        var listings = open
            .Where(l => string.IsNullOrWhiteSpace(after) || string.CompareOrdinal(l.Id, after.Trim()) > 0)
            .OrderBy(l => l.Id, StringComparer.Ordinal).Take(size).ToList();
        var page = listings.Select(l =>
        {
            var h = held.GetValueOrDefault(l.Id);
            return new BookListingView(l.Id, l.TownId, l.Kind, l.Category, l.Remaining, h, Math.Max(0, l.Remaining - h), l.MinLot, l.Version,
                l.TownLat, l.TownLon);
        }).ToArray();
        Paging.LinkNext(http, page, size, l => l.Id);
        return TypedResults.Ok(page);
    }
}
