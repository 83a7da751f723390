using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
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
        api.MapGet("/listings/{id}", Get);
        // Only towns write listings, and only their own: the town is the caller, never a body field.
        api.MapPost("/listings", Publish).RequireAuthorization(Policies.Town);
        api.MapPut("/listings/{id}", Change).RequireAuthorization(Policies.Town);
        api.MapDelete("/listings/{id}", Withdraw).RequireAuthorization(Policies.Town);
        return api;
    }

    /// <summary>A page holds at most this many listings unless <c>limit</c> asks for fewer (or up to <see cref="MaxPage"/>).</summary>
    public const int DefaultPage = 500;
    public const int MaxPage = 1000;

    private static async Task<Results<Ok<ListingView[]>, ValidationProblem>> Find(
        string? town, string? kind, string? category, string? status, string? limit, string? after,
        ICatalogStore store, HttpContext http, CancellationToken ct)
    {
        // An empty query parameter (?town=) means no filter, as if it were left out.
        // Kinds, categories and statuses are lower-case ids, read as publishing reads them.
        (town, kind, category, status) = (Blank(town), Blank(kind)?.ToLowerInvariant(), Blank(category)?.ToLowerInvariant(), Blank(status)?.ToLowerInvariant());
        if (kind is not null && !ListingKinds.All.Contains(kind)) return Problems.Field("kind", "must be 'offer' or 'need'");
        if (status is not null && !ListingStatuses.All.Contains(status))
            return Problems.Field("status", "must be 'active', 'withdrawn' or 'exhausted'");
        var page = DefaultPage;
        if (Blank(limit) is { } text && (!int.TryParse(text, System.Globalization.NumberStyles.None, null, out page) || page is < 1 or > MaxPage))
            return Problems.Field("limit", $"must be a whole number from 1 to {MaxPage}");
        ListingCursor? cursor = null;
        if (Blank(after) is { } afterId)
        {
            if (await store.GetListingAsync(afterId, ct) is not { } last) return Problems.Field("after", "must be the id of a listing (the last one of the page before)");
            cursor = new ListingCursor(last.CreatedAt, last.Id);
        }
        var listings = await store.FindListingsAsync(new ListingQuery(town, kind, category, status, After: cursor, Limit: page), ct);
        // A full page may have a next one: say where it starts (the same query, after the last listing here).
        if (listings.Count == page)
            http.Response.Headers.Link = $"<{NextPage(http.Request, listings[^1].Id)}>; rel=\"next\"";
        return TypedResults.Ok(listings.Select(ListingView.Of).ToArray());
    }

    private static async Task<Results<Ok<ListingView>, ProblemHttpResult>> Get(string id, ICatalogStore store, CancellationToken ct) =>
        await store.GetListingAsync(id, ct) is { } listing
            ? TypedResults.Ok(ListingView.Of(listing))
            : Problems.NotFound($"listing {CatalogValidation.Quoted(id)} does not exist");

    private static async Task<Results<Created<ListingView>, ValidationProblem, ProblemHttpResult>> Publish(
        PublishListingRequest body, ClaimsPrincipal user, ListingBoard board, CancellationToken ct) =>
        Responses.From(await board.PublishAsync(Town(user), body, ct),
            l => TypedResults.Created($"/api/catalog/listings/{l.Id}", ListingView.Of(l)));

    private static async Task<Results<Ok<ListingView>, ValidationProblem, ProblemHttpResult>> Change(
        string id, ChangeListingRequest body, ClaimsPrincipal user, ListingBoard board, CancellationToken ct) =>
        Responses.From(await board.ChangeAsync(Town(user), id, body, ct), l => TypedResults.Ok(ListingView.Of(l)));

    private static async Task<Results<Ok<ListingView>, ValidationProblem, ProblemHttpResult>> Withdraw(
        string id, ClaimsPrincipal user, ListingBoard board, CancellationToken ct) =>
        Responses.From(await board.WithdrawAsync(Town(user), id, ct), l => TypedResults.Ok(ListingView.Of(l)));

    private static string NextPage(HttpRequest request, string lastId)
    {
        var query = request.Query.Where(q => q.Key != "after").ToDictionary(q => q.Key, q => q.Value.ToString());
        query["after"] = lastId;
        return request.PathBase + request.Path + Microsoft.AspNetCore.Http.QueryString.Create(query!);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string Town(ClaimsPrincipal user) =>
        user.TownId() ?? throw new InvalidOperationException("The town policy admitted a caller without a town.");
}
