using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using TradeNet.Catalog.Application;
using TradeNet.Shared.Auth;
using TradeNet.Shared.Hosting;

namespace TradeNet.Catalog.Api;

/// <summary>An operator suspends a misbehaving town and reinstates it (<see cref="TownSuspensions"/>). Operators only:
/// a town cannot lift its own suspension, nor suspend another.</summary>
internal static class TownSuspensionEndpoints
{
    public static RouteGroupBuilder MapTownSuspension(this RouteGroupBuilder api)
    {
        // A repeat answers the suspension as it stands (200, nothing written): an operator retrying after a timeout
        // gets the outcome, not an error to interpret.
        api.MapPost("/towns/{id}/suspension", Suspend).RequireAuthorization(Policies.Operator).ProducesProblems(403, 404)
            .WithSummary("Suspends a town: its API key revoked and its open listings withdrawn in one write (operators; a repeat changes nothing)");
        api.MapDelete("/towns/{id}/suspension", Reinstate).RequireAuthorization(Policies.Operator).ProducesProblems(403, 404, 409)
            .WithSummary("Reinstates a suspended town with a new API key, shown once (operators; 409 when not suspended)");
        return api;
    }

    private static async Task<Results<Ok<TownView>, ValidationProblem, ProblemHttpResult>> Suspend(
        string id, SuspendTownRequest body, ClaimsPrincipal user, TownSuspensions suspensions, CancellationToken ct) =>
        Responses.From(await suspensions.SuspendAsync(id, body.Reason, user.CallerName(), ct),
            t => TypedResults.Ok(TownView.Of(t, forOperator: true)));

    private static async Task<Results<Ok<TownKeyRotation>, ProblemHttpResult>> Reinstate(
        string id, ClaimsPrincipal user, TownSuspensions suspensions, HttpContext http, CancellationToken ct) =>
        Responses.Refusal(await suspensions.ReinstateAsync(id, user.CallerName(), ct), r =>
        {
            TownEndpoints.NoStore(http);
            return TypedResults.Ok(r);
        });
}
