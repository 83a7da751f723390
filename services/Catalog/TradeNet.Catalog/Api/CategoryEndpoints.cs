using Microsoft.AspNetCore.Http.HttpResults;
using TradeNet.Catalog.Domain;
using TradeNet.Catalog.Storage;

namespace TradeNet.Catalog.Api;

internal static class CategoryEndpoints
{
    public static RouteGroupBuilder MapCategories(this RouteGroupBuilder api)
    {
        api.MapGet("/categories", List);
        return api;
    }

    private static async Task<Ok<IReadOnlyList<Category>>> List(ICatalogStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.GetCategoriesAsync(ct));
}
