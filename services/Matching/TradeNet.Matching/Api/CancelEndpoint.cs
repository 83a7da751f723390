using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TradeNet.Matching.Trades;
using TradeNet.Shared.Auth;
using TradeNet.Shared.Hosting;
using TradeNet.Shared.Storage;

namespace TradeNet.Matching.Api;

/// <summary>Body of <c>POST /trades/{id}/cancel</c>.</summary>
public sealed record CancelTradeRequest(string? Reason);

/// <summary>An operator cancels a proposal, or an agreed trade once logistics has stopped its goods (none on the road).</summary>
internal static class CancelEndpoint
{
    public const int MaxReasonLength = 500;

    // 503: logistics could not be asked whether the goods can be stopped (the trade is unchanged; retry). 502: it failed.
    public static void MapCancel(this IEndpointRouteBuilder trades) =>
        trades.MapPost("/{id}/cancel", CancelAsync).RequireAuthorization(Policies.Operator).ProducesProblems(404, 409, 502, 503);

    private static async Task<Results<Ok<TradeView>, ValidationProblem, ProblemHttpResult>> CancelAsync(
        string id, [FromBody] CancelTradeRequest? request, ClaimsPrincipal user, OperatorCancellation cancellation, HttpContext http,
        CancellationToken ct)
    {
        if (!PathIds.TryGuid(id, "id", out var tradeId, out var bad)) return bad!;
        // Nullable body: a missing one reaches this check and is told which field it lacks.
        var reason = request?.Reason?.Trim();
        if (TextRules.RequiredLineError(reason, MaxReasonLength) is { } error) return Problems.Field("reason", error);
        var result = await cancellation.CancelAsync(tradeId, user.CallerName(), reason!, ct);
        switch (result)
        {
            case { Status: AnswerStatus.Ok, Trade: { } trade }:
                return TypedResults.Ok(TradeView.From(trade));
            case { Status: AnswerStatus.NotFound }:
                return Problems.NotFound(result.Detail!);
            case { LegsOnTheRoad: { Count: > 0 } moved }:
                // Name the legs whose goods are on the road, so the operator knows what to wait for.
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: result.Detail,
                    extensions: new Dictionary<string, object?> { ["tradeId"] = tradeId, ["legs"] = moved });
            case { Status: AnswerStatus.StoredPartly }:
                http.Response.Headers.RetryAfter = StorageUnavailable.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service unavailable",
                    detail: result.Detail, extensions: new Dictionary<string, object?> { ["tradeId"] = tradeId, ["retryable"] = true });
            case { Status: AnswerStatus.LogisticsUnavailable }:
                // Nothing was written here; asking again is safe whether or not logistics stopped the goods meanwhile.
                http.Response.Headers.RetryAfter = "5";
                return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Logistics unavailable",
                    detail: result.Detail, extensions: new Dictionary<string, object?> { ["tradeId"] = tradeId, ["retryable"] = true });
            case { Status: AnswerStatus.LogisticsFailed }:
                return TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, title: "Logistics failed",
                    detail: result.Detail, extensions: new Dictionary<string, object?> { ["tradeId"] = tradeId, ["retryable"] = true });
            default:
                return Problems.Conflict(result.Detail!);
        }
    }
}
