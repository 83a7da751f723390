using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Storage;
using TradeNet.Shared.Auth;
using TradeNet.Shared.Hosting;

namespace TradeNet.Logistics.Api;

/// <summary>REST under <c>/api/logistics</c>: towns follow the shipments they send, receive or carry;
/// carriers (and operators) report pickup, delivery and failure.</summary>
public static class ShipmentEndpoints
{
    public const int MaxReasonLength = 500;

    public static RouteGroupBuilder MapShipmentEndpoints(this IEndpointRouteBuilder app)
    {
        // Answers may carry a receiving town's handover code: no cache along the way may keep them.
        var api = app.MapGroup("/api/logistics").RequireAuthorization().RefuseRepeatedQuery().AddEndpointFilter((context, next) =>
        {
            context.HttpContext.Response.Headers.CacheControl = "no-store";
            return next(context);
        });
        api.MapGet("/shipments", ListShipments).ProducesProblems(403).AddOpenApiOperationTransformer(ShipmentFilters.DocumentAsync);
        api.MapGet("/shipments/{id}", GetShipment).ProducesProblems(404);
        // Reports (Report below): 403 not the carrier, 409 a step the shipment's state does not allow, or a race.
        api.MapPost("/shipments/{id}/pickup", (string id, ClaimsPrincipal user, ShipmentTracking tracking, ILogisticsStore store, HandoverCodes codes,
            CancellationToken ct) => Report(id, ShipmentAction.PickUp, null, user, tracking, store, codes, ct)).ProducesProblems(403, 404, 409);
        // 403 also for a carrier's delivery without the receiving town's handover code (HandoverCodes).
        api.MapPost("/shipments/{id}/delivery", ReportDelivery).WithMetadata(OptionalRequestBody.Instance).ProducesProblems(403, 404, 409);
        api.MapPost("/shipments/{id}/failure", ReportFailure).ProducesProblems(403, 404, 409);
        api.MapGet("/trades/{tradeId}/cost", TradeCost).ProducesProblems(404);
        return api;
    }

    /// <summary>Newest first, in pages as the other lists (<see cref="Paging"/>); <c>status</c> and <c>overdue</c> find the
    /// shipments that need an operator (a carrier gone quiet, goods long on the road) without reading every page.</summary>
    private static async Task<Results<Ok<ShipmentView[]>, ValidationProblem, ProblemHttpResult>> ListShipments(
        string? trade, string? status, string? overdue, string? limit, string? after, ClaimsPrincipal user, ILogisticsStore store,
        HandoverCodes codes, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        Guid? tradeId = null;
        if (!string.IsNullOrEmpty(trade))
        {
            if (!Guid.TryParse(trade, out var parsed)) return Problems.Field("trade", "must be a trade id (GUID)");
            tradeId = parsed;
        }
        if (!user.SeesEveryTown() && user.TownId() is null) return Problems.Forbidden("only towns, operators and services read shipments");
        if (ShipmentFilters.Parse(status, overdue, clock.GetUtcNow()) is not { } filters)
            return ShipmentFilters.Problem(status);
        if (Paging.Size(limit, out var size) is { } badLimit) return badLimit;
        Shipment? last = null;
        // Another town's shipment is as unknown here as one that does not exist (as for a read).
        if (!string.IsNullOrWhiteSpace(after)
            && (!Guid.TryParse(after.Trim(), out var afterId) || (last = await store.ShipmentAsync(afterId, ct)) is null || !CanSee(user, last)))
            return Paging.UnknownAfter("shipment");
        var shipments = Paging.Page(http, await store.ShipmentsAsync(new ShipmentQuery(tradeId, user.SeesEveryTown() ? null : user.TownId(),
            Paging.Read(size), filters.Statuses, filters.EtaBefore, last), ct), size, s => s.Id.ToString());
        return TypedResults.Ok(await VisibleAsync(await store.ViewsAsync(shipments, ct), user, codes, store, ct));
    }

    private static async Task<Results<Ok<ShipmentView>, ValidationProblem, ProblemHttpResult>> GetShipment(
        string id, ClaimsPrincipal user, ILogisticsStore store, HandoverCodes codes, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var shipmentId)) return Problems.Field("id", "must be a shipment id (GUID)");
        var shipment = await store.ShipmentAsync(shipmentId, ct);
        // A town learns nothing about shipments that are not its own, not even that they exist.
        if (shipment is null || !CanSee(user, shipment)) return Problems.NotFound($"Shipment {shipmentId} was not found.");
        return TypedResults.Ok((await VisibleAsync([await store.ViewAsync(shipment, ct)], user, codes, store, ct))[0]);
    }

    private static Task<Results<Ok<ShipmentView>, ValidationProblem, ProblemHttpResult>> ReportFailure(
        string id, [FromBody] FailureReport? report, ClaimsPrincipal user, ShipmentTracking tracking, ILogisticsStore store, HandoverCodes codes,
        CancellationToken ct)
    {
        var reason = report?.Reason?.Trim();
        if (TextRules.RequiredLineError(reason, MaxReasonLength) is { } error)
            return Task.FromResult<Results<Ok<ShipmentView>, ValidationProblem, ProblemHttpResult>>(Problems.Field("reason", error));
        return Report(id, ShipmentAction.Fail, reason, user, tracking, store, codes, ct);
    }

    /// <summary>The body is optional: the receiving town and operators need none; a carrier gives the handover code.</summary>
    private static Task<Results<Ok<ShipmentView>, ValidationProblem, ProblemHttpResult>> ReportDelivery(
        string id, [FromBody] DeliveryReport? report, ClaimsPrincipal user, ShipmentTracking tracking, ILogisticsStore store,
        HandoverCodes codes, CancellationToken ct)
    {
        if (report?.HandoverCode is { } code && HandoverCodes.Normalize(code) is null)
            return Task.FromResult<Results<Ok<ShipmentView>, ValidationProblem, ProblemHttpResult>>(Problems.Field("handoverCode", HandoverCodeFormat));
        return Report(id, ShipmentAction.Deliver, null, user, tracking, store, codes, ct, report?.HandoverCode is { } given ? [given] : null);
    }

    public const string HandoverCodeFormat = "must be the receiving town's 8-character handover code as it reads it on the shipment (XXXX-XXXX)";

    private static async Task<Results<Ok<ShipmentView>, ValidationProblem, ProblemHttpResult>> Report(
        string id, ShipmentAction action, string? reason, ClaimsPrincipal user, ShipmentTracking tracking, ILogisticsStore store,
        HandoverCodes codes, CancellationToken ct, IReadOnlyCollection<string>? handoverCodes = null)
    {
        if (!Guid.TryParse(id, out var shipmentId)) return Problems.Field("id", "must be a shipment id (GUID)");
        var result = await tracking.ReportAsync(shipmentId, action, user.TownId(), user.IsOperator(), reason, ct, codes: handoverCodes);
        return result.Outcome switch
        {
            // Read after the report's write: the goods never change, so the answer needs no part of that transaction.
            TrackingOutcome.Applied or TrackingOutcome.Repeated => TypedResults.Ok((await VisibleAsync([await store.ViewAsync(result.Shipment!, ct)], user, codes, store, ct))[0]),
            TrackingOutcome.NotFound => Problems.NotFound($"Shipment {shipmentId} was not found."),
            TrackingOutcome.Forbidden => Problems.Forbidden($"Shipment {shipmentId}: {result.Why}."),
            TrackingOutcome.Unproven => Problems.Forbidden($"Shipment {shipmentId}: {result.Why}."),
            TrackingOutcome.Illegal => Problems.Conflict($"Shipment {shipmentId}: {result.Why}."),
            _ => Problems.Conflict($"Shipment {shipmentId} is being changed concurrently; try again."),
        };
    }

    private static async Task<Results<Ok<TradeTransportCost>, ValidationProblem, ProblemHttpResult>> TradeCost(
        string tradeId, ClaimsPrincipal user, ILogisticsStore store, CancellationToken ct)
    {
        if (!Guid.TryParse(tradeId, out var trade)) return Problems.Field("tradeId", "must be a trade id (GUID)");
        var shipments = await store.ShipmentsAsync(new ShipmentQuery(trade, Limit: 10_000), ct);
        // The whole trade's cost is its towns' business: a carrier of one leg sees that leg's shipment, not the rest.
        if (shipments.Count == 0 || !(user.SeesEveryTown() || shipments.Any(s => user.TownId() is { } town && (s.FromTown == town || s.ToTown == town))))
            return Problems.NotFound($"No shipments are known for trade {trade}.");
        // Cancelled shipments never moved, so they cost nothing; failed ones did drive.
        var moving = shipments.Where(s => s.Status != ShipmentStatus.Cancelled).ToList();
        return TypedResults.Ok(new TradeTransportCost(trade, moving.Sum(s => s.Cost), moving.Sum(s => s.DistanceKm), moving.Count, "credits"));
    }

    /// <summary>The handover code is the receiving town's to give (operators may read it); the carrier and the sender
    /// never see it, or the carrier's report would prove nothing. Whether the code still takes codes goes with it: the
    /// receiving town is who must then report the delivery itself. The wrong counts of a page are read in one call.</summary>
    private static async Task<ShipmentView[]> VisibleAsync(ShipmentView[] views, ClaimsPrincipal user, HandoverCodes codes, ILogisticsStore store,
        CancellationToken ct)
    {
        bool MayReadCode(ShipmentView view) => user.IsOperator() || (user.TownId() is { } town && town == view.ToTown);
        var theirs = views.Where(MayReadCode).Select(v => v.Id).ToList();
        if (theirs.Count == 0) return views;
        var wrong = await store.WrongHandoverCodesAsync(theirs, ct);
        var visible = new ShipmentView[views.Length];
        for (var i = 0; i < views.Length; i++)
            visible[i] = MayReadCode(views[i])
                ? views[i] with
                {
                    HandoverCode = await codes.ForAsync(views[i].Id, ct),
                    HandoverLocked = wrong.GetValueOrDefault(views[i].Id) >= HandoverCodes.MaxWrong,
                }
                : views[i];
        return visible;
    }

    private static bool CanSee(ClaimsPrincipal user, Shipment shipment) =>
        user.SeesEveryTown() || (user.TownId() is { } town && shipment.Involves(town));
}
