using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Storage;
using TradeNet.Matching.Trades;
using TradeNet.Shared.Auth;
using TradeNet.Shared.Hosting;

namespace TradeNet.Matching.Api;

internal static class TradeEndpoints
{
    public static void MapTrades(this IEndpointRouteBuilder api)
    {
        var trades = api.MapGroup("/trades");
        trades.MapGet("/", ListAsync).RequireAuthorization(Policies.TownOrOperator);
        trades.MapGet("/{id:guid}", GetAsync).RequireAuthorization(Policies.TownOrOperator);
        trades.MapCancel();

        // Only towns answer, and only for the legs they give on.
        var answers = trades.MapGroup("/{id:guid}").RequireAuthorization(Policies.Town);
        answers.MapPost("/accept", (Guid id, ClaimsPrincipal user, TradeLifecycle lifecycle, HttpContext http, CancellationToken ct) =>
            AnswerAsync(lifecycle, http, id, user, null, accept: true, ct));
        answers.MapPost("/reject", (Guid id, ClaimsPrincipal user, TradeLifecycle lifecycle, HttpContext http, CancellationToken ct) =>
            AnswerAsync(lifecycle, http, id, user, null, accept: false, ct));
        answers.MapPost("/legs/{index:int}/accept", (Guid id, int index, ClaimsPrincipal user, TradeLifecycle lifecycle, HttpContext http, CancellationToken ct) =>
            AnswerAsync(lifecycle, http, id, user, index, accept: true, ct));
        answers.MapPost("/legs/{index:int}/reject", (Guid id, int index, ClaimsPrincipal user, TradeLifecycle lifecycle, HttpContext http, CancellationToken ct) =>
            AnswerAsync(lifecycle, http, id, user, index, accept: false, ct));
    }

    private static async Task<Results<Ok<TradeView[]>, ValidationProblem>> ListAsync(
        IMatchingStore store, ClaimsPrincipal user, string? status, string? limit, CancellationToken ct)
    {
        TradeStatus? wanted = null;
        if (status is not null)
        {
            if (!TryStatus(status, out var parsed))
                return Problems.Field("status", "must be one of proposed, agreed, cancelled, completed");
            wanted = parsed;
        }
        if (!QueryLimit.TryParse(limit, 200, 1000, out var take)) return Problems.Field("limit", "must be a whole number between 1 and 1000");
        // Operators see every trade; a town only those where it gives or receives.
        var town = user.IsOperator() ? null : user.TownId();
        var trades = await store.TradesAsync(new TradeQuery(town, wanted, take), ct);
        return TypedResults.Ok(trades.Select(TradeView.From).ToArray());
    }

    private static async Task<Results<Ok<TradeView>, ProblemHttpResult>> GetAsync(Guid id, IMatchingStore store, ClaimsPrincipal user, CancellationToken ct)
    {
        var trade = await store.GetTradeAsync(id, ct);
        // A town not in the trade is told it does not exist, so trade ids reveal nothing.
        if (trade is null || (!user.IsOperator() && !trade.Involves(user.TownId() ?? "")))
            return Problems.NotFound($"Trade {id} not found.");
        return TypedResults.Ok(TradeView.From(trade));
    }

    private static async Task<Results<Ok<TradeView>, ProblemHttpResult>> AnswerAsync(
        TradeLifecycle lifecycle, HttpContext http, Guid id, ClaimsPrincipal user, int? index, bool accept, CancellationToken ct)
    {
        var town = user.TownId();
        if (town is null) return Problems.Forbidden("Only a town answers its legs.");
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
        return text.All(char.IsLetter) && Enum.TryParse(text, ignoreCase: true, out status);
    }
}
