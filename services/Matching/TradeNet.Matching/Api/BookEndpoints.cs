using Microsoft.AspNetCore.Http.HttpResults;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Rounds;
using TradeNet.Matching.Storage;
using TradeNet.Shared.Auth;

namespace TradeNet.Matching.Api;

internal static class BookEndpoints
{
    /// <summary>Matching's view of the order book, for operators checking what the next round will see.</summary>
    public static void MapBook(this IEndpointRouteBuilder api) =>
        api.MapGet("/book", ListAsync).RequireAuthorization(Policies.Operator);

    private static async Task<Ok<BookListingView[]>> ListAsync(IMatchingStore store, CancellationToken ct)
    {
        var listings = await store.OpenListingsAsync(ct);
        var held = ClearingRounds.Held(await store.TradesAsync(new TradeQuery(Status: TradeStatus.Proposed, Limit: int.MaxValue), ct));
        return TypedResults.Ok(listings.Select(l =>
        {
            var h = held.GetValueOrDefault(l.Id);
            return new BookListingView(l.Id, l.TownId, l.Kind, l.Category, l.Remaining, h, Math.Max(0, l.Remaining - h), l.MinLot, l.Version);
        }).ToArray());
    }
}
