using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TradeNet.Catalog.Application;
using TradeNet.Catalog.Domain;
using TradeNet.Catalog.Storage;
using TradeNet.Shared.Auth;
using TradeNet.Shared.Hosting;

namespace TradeNet.Catalog.Api;

internal static class ListingEndpoints
{
    public static RouteGroupBuilder MapListings(this RouteGroupBuilder api)
    {
        api.MapGet("/listings", Find);
        api.MapGet("/listings/{id}", Get).ProducesProblems(404);
        // Only towns write listings, and only their own: the town is the caller, never a body field.
        // Problems as ListingBoard answers them (Responses.From): 403 another town's or an unregistered town, 409 an
        // Idempotency-Key reused for other terms, a withdrawn listing, or a town at its open-listing limit.
        api.MapPost("/listings", Publish).RequireAuthorization(Policies.Town).ProducesProblems(403, 409);
        api.MapPut("/listings/{id}", Change).RequireAuthorization(Policies.Town).ProducesProblems(403, 404, 409);
        api.MapDelete("/listings/{id}", Withdraw).RequireAuthorization(Policies.TownOrOperator).ProducesProblems(403, 404);
        return api;
    }

    private static async Task<Results<Ok<ListingView[]>, ValidationProblem>> Find(
        string? town, string? kind, string? category, string? status, string? limit, string? after,
        ICatalogStore store, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        // An empty query parameter (?town=) means no filter, as if it were left out.
        // Kinds, categories and statuses are lower-case ids, read as publishing reads them.
        (town, kind, category, status) = (Blank(town), Blank(kind)?.ToLowerInvariant(), Blank(category)?.ToLowerInvariant(), Blank(status)?.ToLowerInvariant());
        if (kind is not null && !ListingKinds.All.Contains(kind)) return Problems.Field("kind", "must be 'offer' or 'need'");
        if (status is not null && !ListingStatuses.All.Contains(status))
            return Problems.Field("status", "must be 'active', 'ended', 'withdrawn' or 'exhausted'");
        if (Paging.Size(limit, out var page) is { } badLimit) return badLimit;
        ListingCursor? cursor = null;
        if (Blank(after) is { } afterId)
        {
            if (await store.GetListingAsync(afterId, ct) is not { } last) return Paging.UnknownAfter("listing");
            cursor = new ListingCursor(last.CreatedAt, last.Id);
        }
        var now = clock.GetUtcNow();
        var listings = Paging.Page(http, await store.FindListingsAsync(new ListingQuery(town, kind, category, status, After: cursor,
            Limit: Paging.Read(page), At: now), ct), page, l => l.Id);
        return TypedResults.Ok(listings.Select(l => ListingView.Of(l, now)).ToArray());
    }

    private static async Task<Results<Ok<ListingView>, ProblemHttpResult>> Get(string id, ICatalogStore store, TimeProvider clock, CancellationToken ct) =>
        await store.GetListingAsync(id, ct) is { } listing
            ? TypedResults.Ok(ListingView.Of(listing, clock.GetUtcNow()))
            : Problems.NotFound($"listing {CatalogValidation.Quoted(id)} does not exist");

    /// <summary>With an <c>Idempotency-Key</c>, a retry (the first answer lost) gets the same listing, 201 again and
    /// <c>Idempotent-Replayed: true</c>, instead of publishing the goods twice.</summary>
    private static async Task<Results<Created<ListingView>, ValidationProblem, ProblemHttpResult>> Publish(
        PublishListingRequest body, [FromHeader(Name = IdempotencyKeys.Header)] string? idempotencyKey, ClaimsPrincipal user,
        ListingBoard board, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        // The header sent twice binds as "a,b", which the key's rules (no commas) refuse.
        Responses.From(await board.PublishAsync(Town(user), body, idempotencyKey, ct), published =>
        {
            if (published.Replayed) http.Response.Headers[IdempotencyKeys.ReplayedHeader] = "true";
            return TypedResults.Created($"/api/catalog/listings/{published.Listing.Id}", ListingView.Of(published.Listing, clock.GetUtcNow()));
        });

    private static async Task<Results<Ok<ListingView>, ValidationProblem, ProblemHttpResult>> Change(
        string id, ChangeListingRequest body, ClaimsPrincipal user, ListingBoard board, TimeProvider clock, CancellationToken ct) =>
        Responses.From(await board.ChangeAsync(Town(user), id, body, ct), l => TypedResults.Ok(ListingView.Of(l, clock.GetUtcNow())));

    private static async Task<Results<Ok<ListingView>, ProblemHttpResult>> Withdraw(
        string id, ClaimsPrincipal user, ListingBoard board, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await board.WithdrawAsync(user.IsOperator() ? null : Town(user), id, user.CallerName(), ct);
        return Responses.Refusal(outcome, l => TypedResults.Ok(ListingView.Of(l, clock.GetUtcNow())));
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string Town(ClaimsPrincipal user) =>
        user.TownId() ?? throw new InvalidOperationException("The town policy admitted a caller without a town.");
}
