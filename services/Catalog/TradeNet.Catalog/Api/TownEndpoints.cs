using Microsoft.AspNetCore.Http.HttpResults;
using TradeNet.Catalog.Application;
using TradeNet.Catalog.Storage;
using TradeNet.Shared.Hosting;

namespace TradeNet.Catalog.Api;

internal static class TownEndpoints
{
    public static RouteGroupBuilder MapTowns(this RouteGroupBuilder api)
    {
        // Registration is open; the gateway rate-limits it.
        api.MapPost("/towns", Register).AllowAnonymous();
        api.MapGet("/towns", List);
        api.MapGet("/towns/{id}", Get);
        return api;
    }

    private static async Task<Results<Created<TownRegistration>, ValidationProblem, ProblemHttpResult>> Register(
        RegisterTownRequest body, TownRegistry registry, CancellationToken ct) =>
        Responses.From(await registry.RegisterAsync(body, ct),
            r => TypedResults.Created($"/api/catalog/towns/{Uri.EscapeDataString(r.Town.Id)}", r));

    private static async Task<Ok<TownView[]>> List(ICatalogStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.GetTownsAsync(ct: ct)).Select(TownView.Of).ToArray());

    private static async Task<Results<Ok<TownView>, ProblemHttpResult>> Get(string id, ICatalogStore store, CancellationToken ct) =>
        await store.GetTownAsync(id, ct) is { } town
            ? TypedResults.Ok(TownView.Of(town))
            : Problems.NotFound($"town {CatalogValidation.Quoted(id)} does not exist");
}
