using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Storage;
using TradeNet.Shared.Auth;
using TradeNet.Shared.Hosting;

namespace TradeNet.Logistics.Api;

/// <summary>Transfer orders, before and after planning: the towns of a trade and operators see what logistics has been
/// asked to move and whether it is planned yet; operators list transfers by status (held ones above all) and release
/// a held transfer to be planned again.</summary>
public static class TransferEndpoints
{
    public static RouteGroupBuilder MapTransferEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/logistics").RequireAuthorization().RefuseRepeatedQuery();
        api.MapGet("/trades/{tradeId}/transfers", TransfersOfTrade).ProducesProblems(404);
        // The handler takes status as optional only to answer its own 400 naming it; the document says what the route needs.
        api.MapGet("/transfers", TransfersInStatus).ProducesProblems(403).AddOpenApiOperationTransformer((operation, _, _) =>
        {
            foreach (var parameter in operation.Parameters?.OfType<Microsoft.OpenApi.OpenApiParameter>() ?? [])
                if (parameter.Name == "status") parameter.Required = true;
            return Task.CompletedTask;
        });
        api.MapPost("/transfers/{id}/release", Release).ProducesProblems(403, 404, 409);
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
        return TypedResults.Ok(await WithDirectTripReasons(transfers.OrderBy(t => t.LegIndex).ToList(), store, ct));
    }

    /// <summary>In pages as the other lists (<see cref="Paging"/>): a day of failures can hold more legs than one page, and
    /// an operator must be able to reach every one of them, not only the oldest.</summary>
    private static async Task<Results<Ok<TransferView[]>, ValidationProblem, ProblemHttpResult>> TransfersInStatus(
        string? status, string? limit, string? after, ClaimsPrincipal user, ILogisticsStore store, HttpContext http, CancellationToken ct)
    {
        if (!user.IsOperator()) return Problems.Forbidden("Only operators list transfers by status.");
        if (ParseStatus(status) is not { } wanted)
            return Problems.Field("status", $"must be one of {string.Join(", ", Enum.GetValues<TransferStatus>().Select(Name))}");
        if (Paging.Size(limit, out var size) is { } badLimit) return badLimit;
        TransferOrder? last = null;
        if (!string.IsNullOrWhiteSpace(after)
            && (!Guid.TryParse(after.Trim(), out var afterId) || (last = (await store.TransfersAsync([afterId], ct)).SingleOrDefault()) is null))
            return Paging.UnknownAfter("transfer");
        var transfers = Paging.Page(http, await store.TransfersInStatusAsync(wanted, Paging.Read(size), last, ct), size, t => t.Id.ToString());
        return TypedResults.Ok(await WithDirectTripReasons(transfers, store, ct));
    }

    /// <summary>Each planned or delivered leg's current shipment (planned, on the road or delivered: at most one per leg)
    /// says whether it is a direct trip and why; one query for the transfers' trades.</summary>
    private static async Task<TransferView[]> WithDirectTripReasons(IReadOnlyList<TransferOrder> transfers, ILogisticsStore store, CancellationToken ct)
    {
        var trades = transfers.Where(HasShipment).Select(t => t.TradeId).ToHashSet();
        var current = trades.Count == 0 ? [] : await store.ShipmentsAsync(new ShipmentQuery(TradeIds: trades, Limit: int.MaxValue,
            Statuses: [ShipmentStatus.Planned, ShipmentStatus.PickedUp, ShipmentStatus.Delivered]), ct);
        var reasons = new Dictionary<Guid, DirectTripReason>();
        foreach (var shipment in current)
            if (shipment.DirectTrip is { } why) reasons.TryAdd(shipment.TransferId, why);
        return transfers.Select(t => TransferView.From(t, HasShipment(t) ? reasons.GetValueOrDefault(t.Id) : null)).ToArray();
    }

    private static bool HasShipment(TransferOrder transfer) => transfer.Status is TransferStatus.Planned or TransferStatus.Delivered;

    private static async Task<Results<Ok<TransferView>, ValidationProblem, ProblemHttpResult>> Release(
        string id, ClaimsPrincipal user, ILogisticsStore store, ILoggerFactory loggers, CancellationToken ct)
    {
        if (!user.IsOperator()) return Problems.Forbidden("Only operators release held transfers.");
        if (!Guid.TryParse(id, out var transferId)) return Problems.Field("id", "must be a transfer id (GUID)");
        try
        {
            await using var session = await store.BeginAsync(ct);
            var transfer = await session.TransferAsync(transferId, ct);
            if (transfer is null) return Problems.NotFound($"Transfer {transferId} was not found.");
            // A cancelled trade's transfer is cancelled, not held, so it is refused here too.
            if (transfer.Status != TransferStatus.Held)
                return Problems.Conflict($"Transfer {transferId} is {Name(transfer.Status)}, not held; only a held transfer is released.");
            var released = transfer.Released();
            await session.UpdateTransferAsync(released, ct);
            await session.CommitAsync(ct);
            loggers.CreateLogger(typeof(TransferEndpoints)).LogInformation("Transfer {Transfer} (trade {Trade}, leg {Leg}) released by {Operator}; the next planning run plans it",
                released.Id, released.TradeId, released.LegIndex, user.CallerName());
            return TypedResults.Ok(TransferView.From(released));
        }
        catch (ConcurrencyConflictException)
        {
            return Problems.Conflict($"Transfer {transferId} is being changed concurrently; try again.");
        }
    }

    // Names only: Enum.TryParse would also take "1" or "Held, Planned". Trimmed, as the shipments' status filter is.
    private static TransferStatus? ParseStatus(string? value) =>
        Enum.GetValues<TransferStatus>().Select(s => (TransferStatus?)s)
            .FirstOrDefault(s => string.Equals(Name(s!.Value), value?.Trim(), StringComparison.OrdinalIgnoreCase));

    private static string Name(TransferStatus status) => JsonNamingPolicy.CamelCase.ConvertName(status.ToString());
}

/// <summary>A transfer order as the API shows it; <see cref="Attempts"/> counts failed shipments since it was agreed or
/// last released, and the last failure stays after a release. <see cref="DirectTripReason"/>: why its current shipment is
/// a direct trip, in a trade's transfers and in transfers listed by status; null when it rides on a vehicle, has no
/// current shipment, was planned before reasons were kept, and in a release's answer (it puts the leg back to pending).</summary>
public sealed record TransferView(Guid Id, Guid TradeId, int LegIndex, string FromTown, string ToTown, string Category,
    double Quantity, double WeightKg, DateTimeOffset? WindowFrom, DateTimeOffset? WindowUntil, TransferStatus Status, DateTimeOffset CreatedAt,
    int Attempts, string? LastFailureReason, DateTimeOffset? LastFailedAt, DirectTripReasonView? DirectTripReason = null)
{
    public static TransferView From(TransferOrder t) => From(t, null);

    public static TransferView From(TransferOrder t, DirectTripReason? directTrip) => new(t.Id, t.TradeId, t.LegIndex, t.FromTown, t.ToTown,
        t.Category, t.Quantity, t.WeightKg, t.WindowFrom, t.WindowUntil, t.Status, t.CreatedAt, t.Attempts, t.LastFailureReason,
        t.LastFailedAt, DirectTripReasonView.From(directTrip));
}
