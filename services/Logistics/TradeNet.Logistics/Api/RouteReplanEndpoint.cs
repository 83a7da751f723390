using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Storage;
using TradeNet.Shared.Auth;
using TradeNet.Shared.Hosting;

namespace TradeNet.Logistics.Api;

/// <summary><c>POST /routes/{id}/replan</c>: an operator takes a route back before its vehicle sets out
/// (<see cref="RouteReplans"/>); the answer is the transfers put back to pending for the next planning run.</summary>
public static class RouteReplanEndpoint
{
    private const int Attempts = 3;

    public static async Task<Results<Ok<TransferView[]>, ValidationProblem, ProblemHttpResult>> Replan(string id, ClaimsPrincipal user,
        ILogisticsStore store, RouteReplans replans, CancellationToken ct)
    {
        if (!user.IsOperator()) return Problems.Forbidden("Only operators re-plan a route.");
        if (!Guid.TryParse(id, out var routeId)) return Problems.Field("id", "must be a route id (GUID)");
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var session = await store.BeginAsync(ct);
                var outcome = await replans.ReplanAsync(session, routeId, ct);
                if (!outcome.Found) return Problems.NotFound($"Route {routeId} was not found.");
                // Refused: the session is disposed without committing, so nothing of it is written.
                if (outcome.Refused is { } why) return Problems.Conflict($"Route {routeId} cannot be re-planned: {why}.");
                await session.CommitAsync(ct);
                return TypedResults.Ok(outcome.Transfers.Select(TransferView.From).ToArray());
            }
            catch (ConcurrencyConflictException) when (attempt < Attempts)
            {
                // A report or a stop wrote one of these shipments first: decide again on what it wrote.
                await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt), ct);
            }
            catch (ConcurrencyConflictException)
            {
                return Problems.Conflict($"Route {routeId} is being changed concurrently; try again.");
            }
        }
    }
}
