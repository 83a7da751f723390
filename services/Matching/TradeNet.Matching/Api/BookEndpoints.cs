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
        // The page is read by id from the store, so a page costs its own listings however many months of exhausted ones
        // the book keeps. An id that left the book since the page before still orders the rest, so "after" needs no lookup.
        var now = clock.GetUtcNow();
        var from = string.IsNullOrWhiteSpace(after) ? null : after.Trim();
        var (read, held) = await BookHolds.ReadPageAsync(store, now, from, Paging.Read(size), ct);
        var listings = Paging.Page(http, read, size, l => l.Id);
        var page = listings.Select(l =>
        {
            var h = held.GetValueOrDefault(l.Id);
            // An ended window is out of the next round (OrderBook.From), so nothing of it is available to it.
            var available = l.AvailableUntil < now ? 0 : Math.Max(0, l.Remaining - h);
            return new BookListingView(l.Id, l.TownId, l.Kind, l.Category, l.Remaining, h, available, l.MinLot, l.Version,
                l.TownLat, l.TownLon, l.AvailableUntil);
        }).ToArray();
        return TypedResults.Ok(page);
    }
}
