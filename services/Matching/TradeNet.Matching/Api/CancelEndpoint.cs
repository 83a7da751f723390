using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Trades;
using TradeNet.Shared.Auth;
using TradeNet.Shared.Hosting;

namespace TradeNet.Matching.Api;

/// <summary>Body of <c>POST /trades/{id}/cancel</c>.</summary>
public sealed record CancelTradeRequest(string? Reason);

/// <summary>An operator cancels a proposal, or an agreed trade while none of its goods are on the road.</summary>
internal static class CancelEndpoint
{
    public const int MaxReasonLength = 500;

    public static void MapCancel(this IEndpointRouteBuilder trades) =>
        trades.MapPost("/{id}/cancel", CancelAsync).RequireAuthorization(Policies.Operator).ProducesProblems(404, 409);

    private static async Task<Results<Ok<TradeView>, ValidationProblem, ProblemHttpResult>> CancelAsync(
        string id, [FromBody] CancelTradeRequest? request, ClaimsPrincipal user, OperatorCancellation cancellation, CancellationToken ct)
    {
        if (!PathIds.TryGuid(id, "id", out var tradeId, out var bad)) return bad!;
        // Nullable body: a missing one reaches this check and is told which field it lacks.
        var reason = request?.Reason?.Trim();
        if (TextRules.RequiredLineError(reason, MaxReasonLength) is { } error) return Problems.Field("reason", error);
        var result = await cancellation.CancelAsync(tradeId, user.CallerName(), reason!, ct);
        return result switch
        {
            { Status: AnswerStatus.Ok, Trade: { } trade } => TypedResults.Ok(TradeView.From(trade)),
            { Status: AnswerStatus.NotFound } => Problems.NotFound(result.Detail!),
            // Name the legs whose goods are on the road, so the operator knows what to wait for.
            { Trade: { Status: TradeStatus.Agreed, LegsOnTheRoad: { Count: > 0 } moved } } => TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: result.Detail,
                extensions: new Dictionary<string, object?> { ["tradeId"] = tradeId, ["legs"] = moved }),
            _ => Problems.Conflict(result.Detail!),
        };
    }
}
