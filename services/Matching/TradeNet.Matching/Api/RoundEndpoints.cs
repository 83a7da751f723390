using Microsoft.AspNetCore.Http.HttpResults;
using TradeNet.Matching.Rounds;
using TradeNet.Matching.Storage;
using TradeNet.Shared.Auth;
using TradeNet.Shared.Hosting;

namespace TradeNet.Matching.Api;

internal static class RoundEndpoints
{
    public static void MapRounds(this IEndpointRouteBuilder api)
    {
        var rounds = api.MapGroup("/rounds").RequireAuthorization(Policies.Operator);
        rounds.MapPost("/", StartAsync).ProducesProblems(409);
        rounds.MapGet("/", ListAsync);
        rounds.MapGet("/{id}", GetAsync).ProducesProblems(404);
    }

    /// <summary>The request's abort cancels only the wait for the round's turn: a round that started finishes (its caller
    /// reads it back) rather than being thrown away when the gateway stops waiting (90 s) or the operator hangs up.</summary>
    private static async Task<Results<Created<RoundView>, ProblemHttpResult>> StartAsync(ClearingRounds rounds, HttpContext http,
        IHostApplicationLifetime lifetime, CancellationToken ct)
    {
        try
        {
            var round = await rounds.RunAsync($"requested by {http.User.CallerName()}", lifetime.ApplicationStopping, waiting: ct);
            return TypedResults.Created($"/api/matching/rounds/{round.Id}", RoundView.From(round));
        }
        catch (ClearingTakenOverException taken)
        {
            return Problems.Conflict(taken.Message);
        }
        catch (ClearingBusyException busy)
        {
            return Problems.Conflict(busy.Message);
        }
    }

    /// <summary>Summaries without the trade ids, which made the list heavy; one round's ids are at <c>/rounds/{id}</c>.</summary>
    private static async Task<Results<Ok<RoundSummaryView[]>, ValidationProblem>> ListAsync(IMatchingStore store, string? limit, CancellationToken ct)
    {
        if (!QueryLimit.TryParse(limit, 50, 500, out var take)) return Problems.Field("limit", QueryLimit.Problem(500));
        var rounds = await store.RoundsAsync(take, ct);
        return TypedResults.Ok(rounds.Select(RoundSummaryView.From).ToArray());
    }

    private static async Task<Results<Ok<RoundView>, ValidationProblem, ProblemHttpResult>> GetAsync(string id, IMatchingStore store, CancellationToken ct)
    {
        if (!PathIds.TryGuid(id, "id", out var roundId, out var bad)) return bad!;
        return await store.GetRoundAsync(roundId, ct) is { } round
            ? TypedResults.Ok(RoundView.From(round))
            : Problems.NotFound($"Round {roundId} not found.");
    }
}
