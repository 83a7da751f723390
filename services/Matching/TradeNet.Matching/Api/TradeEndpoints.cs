using System.Globalization;
using System.ComponentModel;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Storage;
using TradeNet.Matching.Trades;
using TradeNet.Shared.Auth;
using TradeNet.Shared.Hosting;
using TradeNet.Shared.Storage;

namespace TradeNet.Matching.Api;

internal static class TradeEndpoints
{
    public static void MapTrades(this IEndpointRouteBuilder api)
    {
        var trades = api.MapGroup("/trades");
        trades.MapGet("/", ListAsync).RequireAuthorization(Policies.TownOrOperator);
        // Ids are parsed by the handlers (PathIds), after the caller is checked: no route constraints.
        trades.MapGet("/{id}", GetAsync).RequireAuthorization(Policies.TownOrOperator).ProducesProblems(404);
        trades.MapCancel();

        // Only towns answer, and only for the legs they give on (403 for another town's leg). The last acceptance asks
        // catalog to reserve the goods: 503 while it is unreachable (the acceptance is kept), 502 when it fails, 409 while a
        // listing's terms changed and matching has not read the change yet (the acceptance is kept).
        var answers = trades.MapGroup("/{id}").RequireAuthorization(Policies.Town).ProducesProblems(403, 404, 409);
        answers.MapPost("/accept", (string id, ClaimsPrincipal user, TradeLifecycle lifecycle, HttpContext http, CancellationToken ct) =>
            AnswerAsync(lifecycle, http, id, user, null, accept: true, ct)).ProducesProblems(502, 503);
        answers.MapPost("/reject", (string id, ClaimsPrincipal user, TradeLifecycle lifecycle, HttpContext http, CancellationToken ct) =>
            AnswerAsync(lifecycle, http, id, user, null, accept: false, ct));
        answers.MapPost("/legs/{index}/accept", (string id, string index, ClaimsPrincipal user, TradeLifecycle lifecycle, HttpContext http, CancellationToken ct) =>
            AnswerAsync(lifecycle, http, id, user, index, accept: true, ct)).ProducesProblems(502, 503);
        answers.MapPost("/legs/{index}/reject", (string id, string index, ClaimsPrincipal user, TradeLifecycle lifecycle, HttpContext http, CancellationToken ct) =>
            AnswerAsync(lifecycle, http, id, user, index, accept: false, ct));
    }

    private static async Task<Results<Ok<TradeView[]>, ValidationProblem>> ListAsync(
        IMatchingStore store, ClaimsPrincipal user, string? status, string? limit, string? after,
        [Description("With after, as the Link gives it: when the trade the page before ended on was created (Unix milliseconds), " +
            "so the walk goes on even after that trade is forgotten.")] string? afterCreated,
        [Description("Only trades with a leg from or to this town. A town caller sees only its own trades, so for a town it " +
            "keeps its trades with that town (its own id: all of them). An unknown town gives an empty list; a blank value " +
            "or one over 200 characters is a 400.")] string? town,
        [Description("Only trades using this listing as the offer or the need of a leg. A town caller still sees only its own " +
            "trades. An unknown listing gives an empty list; a blank value or one over 200 characters is a 400.")] string? listing,
        HttpContext http, CancellationToken ct)
    {
        TradeStatus? wanted = null;
        // An empty ?status= means no filter, as if it were left out (as catalog reads its query).
        if (!string.IsNullOrWhiteSpace(status))
        {
            if (!TryStatus(status, out var parsed))
                return Problems.Field("status", "must be one of proposed, agreed, cancelled, completed");
            wanted = parsed;
        }
        if (!QueryLimit.TryParse(limit, 200, 1000, out var take)) return Problems.Field("limit", QueryLimit.Problem(1000));
        if (!QueryIds.TryRead(town, "town", out var withTown, out var bad)) return bad!;
        if (!QueryIds.TryRead(listing, "listing", out var listingId, out bad)) return bad!;
        // Operators see every trade; a town only those where it gives or receives. The filters narrow that view and never
        // widen it, so a town asking about another town gets its own trades with it, not a 403: it learns nothing it
        // could not read from its own list.
        var caller = user.IsOperator() ? null : user.TownId();
        // Pages as the other lists: after = the last trade of the page before (one the caller may see).
        (DateTimeOffset, Guid)? from = null;
        if (string.IsNullOrWhiteSpace(after))
        {
            if (!string.IsNullOrEmpty(afterCreated)) return Problems.Field("afterCreated", "goes with after, as the Link gives them");
        }
        else if (!Guid.TryParse(after.Trim(), out var afterId)) return Paging.UnknownAfter("trade");
        // The Link's own: the place the page before ended, even once that trade is forgotten (an unagreed trade is deleted
        // after Matching:UnagreedTradeRetention). No lookup, so the answer is the same whoever's trade it names.
        else if (!string.IsNullOrEmpty(afterCreated))
        {
            if (!long.TryParse(afterCreated.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var ms) || ms > MaxUnixMs)
                return Problems.Field("afterCreated", "must be a time in Unix milliseconds, as the Link gives it");
            from = (DateTimeOffset.FromUnixTimeMilliseconds(ms), afterId);
        }
        else if (await store.GetTradeAsync(afterId, ct) is { } last && (caller is null || last.Involves(caller))) from = (last.CreatedAt, last.Id);
        else return Paging.UnknownAfter("trade");
        var trades = Paging.Page(http, await store.TradesAsync(new TradeQuery(caller, wanted, Paging.Read(take), After: from, WithTown: withTown,
            ListingId: listingId), ct), take, t => t.Id.ToString(),
            t => [new("afterCreated", t.CreatedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture))]);
        return TypedResults.Ok(trades.Select(TradeView.From).ToArray());
    }

    private static readonly long MaxUnixMs = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    private static async Task<Results<Ok<TradeView>, ValidationProblem, ProblemHttpResult>> GetAsync(
        string id, IMatchingStore store, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!PathIds.TryGuid(id, "id", out var tradeId, out var bad)) return bad!;
        var trade = await store.GetTradeAsync(tradeId, ct);
        // A town not in the trade is told it does not exist, so trade ids reveal nothing.
        if (trade is null || (!user.IsOperator() && !trade.Involves(user.TownId() ?? "")))
            return Problems.NotFound($"Trade {tradeId} not found.");
        return TypedResults.Ok(TradeView.From(trade));
    }

    private static async Task<Results<Ok<TradeView>, ValidationProblem, ProblemHttpResult>> AnswerAsync(
        TradeLifecycle lifecycle, HttpContext http, string tradeId, ClaimsPrincipal user, string? legIndex, bool accept, CancellationToken ct)
    {
        var town = user.TownId();
        if (town is null) return Problems.Forbidden("Only a town answers its legs.");
        if (!PathIds.TryGuid(tradeId, "id", out var id, out var bad)) return bad!;
        int? index = null;
        if (legIndex is not null)
        {
            if (!PathIds.TryIndex(legIndex, "index", out var leg, out bad)) return bad!;
            index = leg;
        }
        var result = await lifecycle.AnswerAsync(id, town, index, accept, ct);
        switch (result.Status)
        {
            case AnswerStatus.Ok:
                return TypedResults.Ok(TradeView.From(result.Trade!));
            case AnswerStatus.NotFound:
                return Problems.NotFound(result.Detail!);
            case AnswerStatus.Forbidden:
                return Problems.Forbidden(result.Detail!);
            case AnswerStatus.Conflict:
                return Problems.Conflict(result.Detail!);
            case AnswerStatus.TermsChanged:
                // 409, not 503: both services are up and the acceptance is kept; what conflicts is the trade with a listing's
                // current terms, which matching resolves by itself (cancelled or agreed) once it reads the change.
                // Retry-After says when looking again (GET, or the same accept) is worth it.
                http.Response.Headers.RetryAfter = "5";
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Listing changed; trade being re-checked",
                    detail: result.Detail, extensions: new Dictionary<string, object?>
                    {
                        ["tradeId"] = id, ["tradeStatus"] = "proposed", ["retryable"] = true,
                    });
            case AnswerStatus.StoredPartly:
                http.Response.Headers.RetryAfter = StorageUnavailable.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service unavailable",
                    detail: result.Detail, extensions: new Dictionary<string, object?> { ["tradeId"] = id, ["retryable"] = true });
            case AnswerStatus.CatalogUnavailable:
                // The acceptance is stored; asking again (or waiting for the background retry) finishes it.
                http.Response.Headers.RetryAfter = "5";
                return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Catalog unavailable",
                    detail: result.Detail, extensions: new Dictionary<string, object?> { ["tradeId"] = id, ["retryable"] = true });
            default:
                return TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, title: "Catalog failed",
                    detail: result.Detail, extensions: new Dictionary<string, object?> { ["tradeId"] = id, ["retryable"] = true });
        }
    }

    private static bool TryStatus(string text, out TradeStatus status)
    {
        status = default;
        // Trimmed, as catalog reads its query values.
        var trimmed = text.Trim();
        return trimmed.All(char.IsLetter) && Enum.TryParse(trimmed, ignoreCase: true, out status);
    }
}
