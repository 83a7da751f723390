using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TradeNet.Catalog.Application;
using TradeNet.Catalog.Domain;
using TradeNet.Catalog.Storage;
using TradeNet.Shared.Auth;
using TradeNet.Shared.Hosting;

namespace TradeNet.Catalog.Api;

internal static class TownEndpoints
{
    public static RouteGroupBuilder MapTowns(this RouteGroupBuilder api)
    {
        // Registration is open; the gateway rate-limits it. 409: the town looks like a suspended one (SuspendedLookalikes),
        // or its Idempotency-Key was used with another body or names a town whose key has been replaced since.
        api.MapPost("/towns", Register).AllowAnonymous().ProducesProblems(409);
        api.MapGet("/towns", List);
        api.MapGet("/towns/{id}", Get).ProducesProblems(404);
        // A leaked key is replaced by its town or an operator; which town is checked against the caller in TownRegistry.
        api.MapPost("/towns/{id}/api-key", RotateKey).RequireAuthorization(Policies.TownOrOperator).ProducesProblems(403, 404, 409);
        // A town corrects its own details, or an operator does (a town registered with wrong coordinates); which town is
        // checked against the caller in TownChanges. No If-Match or Idempotency-Key, as for a listing's PUT: a repeated
        // replacement changes nothing and announces nothing.
        // 429 when a town moves itself more than Catalog:MaxTownMovesPerHour times (TownMoves).
        api.MapPut("/towns/{id}", Change).RequireAuthorization(Policies.TownOrOperator).ProducesProblems(403, 404, 429);
        api.MapTownSuspension();
        return api;
    }

    private static async Task<Results<Ok<TownView>, ValidationProblem, ProblemHttpResult>> Change(
        string id, ChangeTownRequest body, ClaimsPrincipal user, TownChanges changes, HttpContext http, CancellationToken ct)
    {
        var actingTown = user.IsOperator() ? null
            : user.TownId() ?? throw new InvalidOperationException("The town-or-operator policy admitted a caller that is neither.");
        return Responses.From(await changes.ChangeAsync(id, body, actingTown, user.CallerName(), ct),
            t => TypedResults.Ok(TownView.Of(t, forOperator: actingTown is null)), http);
    }

    /// <summary>With an <c>Idempotency-Key</c>, a retry (the first answer lost) gets the town registered under it and its
    /// API key, 201 again and <c>Idempotent-Replayed: true</c>, instead of a second town (<see cref="TownRegistry"/>).
    /// Anyone may register, but an operator may register a town that looks like a suspended one.</summary>
    private static async Task<Results<Created<TownRegistration>, ValidationProblem, ProblemHttpResult>> Register(
        RegisterTownRequest body, [FromHeader(Name = IdempotencyKeys.Header)] string? idempotencyKey, ClaimsPrincipal user,
        TownRegistry registry, HttpContext http, CancellationToken ct) =>
        // The header sent twice binds as "a,b", which the key's rules (no commas) refuse.
        Responses.From(await registry.RegisterAsync(body, idempotencyKey, user.IsOperator() ? user.CallerName() : null, ct), r =>
        {
            NoStore(http);
            if (r.Replayed) http.Response.Headers[IdempotencyKeys.ReplayedHeader] = "true";
            return TypedResults.Created($"/api/catalog/towns/{Uri.EscapeDataString(r.Registration.Town.Id)}", r.Registration);
        });

    private static async Task<Results<Ok<TownKeyRotation>, ProblemHttpResult>> RotateKey(
        string id, ClaimsPrincipal user, TownRegistry registry, HttpContext http, CancellationToken ct)
    {
        var actingTown = user.IsOperator() ? null
            : user.TownId() ?? throw new InvalidOperationException("The town-or-operator policy admitted a caller that is neither.");
        return Responses.Refusal(await registry.RotateKeyAsync(id, actingTown, user.CallerName(), ct), r =>
        {
            NoStore(http);
            return TypedResults.Ok(r);
        });
    }

    // The answer holds a key in clear: no browser, proxy or CDN may keep a copy.
    internal static void NoStore(HttpContext http) => http.Response.Headers.CacheControl = "no-store";

    /// <summary>Towns by name; <c>status</c> and <c>inseeCode</c> narrow the list (an operator reviewing suspensions, or who
    /// holds a commune's code, need not page through every town).</summary>
    private static async Task<Results<Ok<TownView[]>, ValidationProblem>> List(string? limit, string? after, string? status,
        string? inseeCode, ICatalogStore store, ClaimsPrincipal user, HttpContext http, CancellationToken ct)
    {
        if (Paging.Size(limit, out var size) is { } badLimit) return badLimit;
        bool? suspended = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            suspended = status.Trim().ToLowerInvariant() switch { TownStatuses.Suspended => true, TownStatuses.Active => false, _ => null };
            if (suspended is null) return Problems.Field("status", $"must be '{TownStatuses.Active}' or '{TownStatuses.Suspended}'");
        }
        var code = string.IsNullOrWhiteSpace(inseeCode) ? null : inseeCode.Trim().ToUpperInvariant();
        if (code is not null && !CatalogValidation.IsInseeCode(code))
            return Problems.Field("inseeCode", "must be a 5-character INSEE code (digits, or 2A/2B for Corsica)");
        Domain.Town? last = null;
        if (!string.IsNullOrWhiteSpace(after) && (last = await store.GetTownAsync(after.Trim(), ct)) is null) return Paging.UnknownAfter("town");
        var towns = await store.GetTownsAsync(page: new TownPage(last, size, suspended, code), ct: ct);
        Paging.LinkNext(http, towns, size, t => t.Id);
        return TypedResults.Ok(towns.Select(t => TownView.Of(t, user.IsOperator())).ToArray());
    }

    private static async Task<Results<Ok<TownView>, ProblemHttpResult>> Get(string id, ICatalogStore store, ClaimsPrincipal user,
        CancellationToken ct) =>
        await store.GetTownAsync(id, ct) is { } town
            ? TypedResults.Ok(TownView.Of(town, user.IsOperator()))
            : Problems.NotFound($"town {CatalogValidation.Quoted(id)} does not exist");
}
