using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Storage;
using TradeNet.Shared.Auth;
using TradeNet.Shared.Hosting;

namespace TradeNet.Logistics.Api;

/// <summary>A trade's transfer orders, before and after planning: the towns of the trade and operators see what
/// logistics has been asked to move and whether it is planned yet.</summary>
public static class TransferEndpoints
{
    public static RouteGroupBuilder MapTransferEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/logistics").RequireAuthorization();
        api.MapGet("/trades/{tradeId}/transfers", TransfersOfTrade);
        return api;
    }

    private static async Task<Results<Ok<TransferView[]>, ValidationProblem, ProblemHttpResult>> TransfersOfTrade(
        string tradeId, ClaimsPrincipal user, ILogisticsStore store, CancellationToken ct)
    {
        if (!Guid.TryParse(tradeId, out var trade)) return Problems.Field("tradeId", "must be a trade id (GUID)");
        var transfers = await store.TransfersOfTradeAsync(trade, ct);
        // A town learns nothing about trades it is not part of, not even that they exist.
        if (transfers.Count == 0 || !(user.SeesEveryTown() || transfers.Any(t => t.FromTown == user.TownId() || t.ToTown == user.TownId())))
            return Problems.NotFound($"No transfers are known for trade {trade}.");
        return TypedResults.Ok(transfers.OrderBy(t => t.LegIndex).Select(TransferView.From).ToArray());
    }
}

public sealed record TransferView(Guid Id, Guid TradeId, int LegIndex, string FromTown, string ToTown, string Category,
    double Quantity, double WeightKg, DateTimeOffset? WindowFrom, DateTimeOffset? WindowUntil, TransferStatus Status, DateTimeOffset CreatedAt)
{
    public static TransferView From(TransferOrder t) => new(t.Id, t.TradeId, t.LegIndex, t.FromTown, t.ToTown, t.Category,
        t.Quantity, t.WeightKg, t.WindowFrom, t.WindowUntil, t.Status, t.CreatedAt);
}
