using System.Globalization;
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
        // 429 when a town moves itself more than Catalog:MaxTownMovesPerHour times (TownMoves); 409 when a town renames or
        // moves itself into a suspended town's likeness (SuspendedLookalikes), as registration refuses it.
        api.MapPut("/towns/{id}", Change).RequireAuthorization(Policies.TownOrOperator).ProducesProblems(403, 404, 409, 429);
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
        string? inseeCode, string? afterName, string? asOf, ICatalogStore store, ClaimsPrincipal user, HttpContext http, CancellationToken ct)
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
        var (walk, badWalk) = await WalkAsync(after, afterName, asOf, store, ct);
        if (badWalk is not null) return badWalk;
        // Read before the page: a rename from now on is left out of this walk's pages (it may have shown the old name).
        var renames = walk.RenamedUpTo ?? await store.TownRenamesAsync(ct);
        var towns = Paging.Page(http, await store.GetTownsAsync(page: new TownPage(walk.After, Paging.Read(size), suspended, code, renames), ct: ct),
            size, t => t.Id, t => [new("afterName", t.Name), new("asOf", renames.ToString(CultureInfo.InvariantCulture))]);
        return TypedResults.Ok(towns.Select(t => TownView.Of(t, user.IsOperator())).ToArray());
    }

    // Names are at most 100 characters; a place between names needs no more.
    private const int AfterNameLength = 200;

    /// <summary>Where a walk of the towns goes on. The Link gives the last town's name as its page showed it (<c>afterName</c>)
    /// and the walk's start (<c>asOf</c>, the renames numbered then), so a rename meanwhile — of that town or any — neither
    /// skips nor repeats a town left alone; an <c>after</c> alone (a client's own) is placed by the town's name now.</summary>
    private static async Task<((TownCursor? After, long? RenamedUpTo) Walk, ValidationProblem? Problem)> WalkAsync(string? after,
        string? afterName, string? asOf, ICatalogStore store, CancellationToken ct)
    {
        long? renamedUpTo = null;
        if (!string.IsNullOrWhiteSpace(asOf))
        {
            if (!long.TryParse(asOf.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                return (default, Problems.Field("asOf", "must be a whole number, as the Link gives it"));
            renamedUpTo = n;
        }
        if (string.IsNullOrWhiteSpace(after))
            return string.IsNullOrEmpty(afterName) ? ((null, renamedUpTo), null) : (default, Problems.Field("afterName", "goes with after, as the Link gives them"));
        if (string.IsNullOrEmpty(afterName))
            return await store.GetTownAsync(after.Trim(), ct) is { } town ? ((TownCursor.Of(town), renamedUpTo), null) : (default, Paging.UnknownAfter("town"));
        // The place the page before ended, whatever became of that town since: no lookup.
        return afterName.Length > AfterNameLength || afterName.Any(char.IsControl)
            ? (default, Problems.Field("afterName", $"must be a town's name as a page showed it (at most {AfterNameLength} characters, no control characters)"))
            : ((new TownCursor(afterName, after.Trim()), renamedUpTo), null);
    }

    private static async Task<Results<Ok<TownView>, ProblemHttpResult>> Get(string id, ICatalogStore store, ClaimsPrincipal user,
        CancellationToken ct) =>
        await store.GetTownAsync(id, ct) is { } town
            ? TypedResults.Ok(TownView.Of(town, user.IsOperator()))
            : Problems.NotFound($"town {CatalogValidation.Quoted(id)} does not exist");
}
