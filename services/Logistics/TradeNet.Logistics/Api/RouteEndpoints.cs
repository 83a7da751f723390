using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Planning;
using TradeNet.Logistics.Storage;
using TradeNet.Shared.Auth;
using TradeNet.Shared.Hosting;

namespace TradeNet.Logistics.Api;

/// <summary>Planning on request (operators), routes and their sheets (the carrier and operators), and per-stop
/// reports: the carrier marks a stop done (every load and unload there) or failed.</summary>
public static class RouteEndpoints
{
    public static RouteGroupBuilder MapRouteEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/logistics").RequireAuthorization();
        api.MapPost("/plans", RunPlanning).ProducesProblems(403, 409);
        // The handlers below answer IResult, which says nothing of what they write: the metadata says it.
        api.MapGet("/routes/{id}", GetRoute).Produces<RouteView>().ProducesValidationProblem().ProducesProblems(404);
        api.MapGet("/routes/{id}/sheet.csv", (string id, ClaimsPrincipal user, ILogisticsStore store, CancellationToken ct) =>
            Sheet(id, user, store, RouteSheet.Csv, "text/csv; charset=utf-8", ct))
            .Produces<string>(contentType: "text/csv").ProducesValidationProblem().ProducesProblems(404);
        api.MapGet("/routes/{id}/sheet.html", (string id, ClaimsPrincipal user, ILogisticsStore store, HttpContext http, CancellationToken ct) =>
        {
            // A printable page of town names other towns chose: no script, no outside request, even were escaping to fail.
            http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";
            return Sheet(id, user, store, RouteSheet.Html, "text/html; charset=utf-8", ct);
        })
            .Produces<string>(contentType: "text/html").ProducesValidationProblem().ProducesProblems(404);
        // The unloads need the receiving towns' handover codes when the carrier reports (an operator needs none).
        api.MapPost("/routes/{id}/stops/{sequence}/done", (string id, string sequence, [FromBody] StopDoneReport? report, ClaimsPrincipal user,
            ILogisticsStore store, ShipmentTracking tracking, HandoverCodes handover, CancellationToken ct) =>
                ReportStop(id, sequence, null, report?.HandoverCodes, user, store, tracking, handover, ct))
            .WithMetadata(OptionalRequestBody.Instance).Produces<StopReportItem[]>().ProducesValidationProblem().ProducesProblems(403, 404);
        api.MapPost("/routes/{id}/stops/{sequence}/failure", (string id, string sequence, [FromBody] FailureReport? report, ClaimsPrincipal user,
            ILogisticsStore store, ShipmentTracking tracking, HandoverCodes handover, CancellationToken ct) =>
                ReportStop(id, sequence, report ?? new FailureReport(null), null, user, store, tracking, handover, ct))
            .Produces<StopReportItem[]>().ProducesValidationProblem().ProducesProblems(403, 404);
        return api;
    }

    private static async Task<Results<Ok<PlanningRunView>, ProblemHttpResult>> RunPlanning(ClaimsPrincipal user, ShipmentPlanning planning,
        ILogisticsStore store, IOptions<LogisticsOptions> options, CancellationToken ct)
    {
        if (!user.IsOperator()) return Problems.Forbidden("Only operators run planning on request.");
        try
        {
            var run = await planning.PlanPendingAsync(store, options.Value.MaxTransfersPerRun, ct);
            return TypedResults.Ok(PlanningRunView.From(run));
        }
        catch (ConcurrencyConflictException)
        {
            // Another replica's run (or a report) wrote the same transfers first; this run's plan was not kept.
            return Problems.Conflict("Another planning run or a report changed the same transfers meanwhile; nothing from this run was kept and the transfers stay pending. Try again.");
        }
    }

    private static async Task<IResult> GetRoute(string id, ClaimsPrincipal user, ILogisticsStore store, CancellationToken ct)
    {
        var loaded = await LoadAsync(id, user, store, ct);
        return loaded.Route is { } route ? TypedResults.Ok(route) : loaded.Problem!;
    }

    private static async Task<IResult> Sheet(string id, ClaimsPrincipal user, ILogisticsStore store, Func<RouteView, string> render,
        string contentType, CancellationToken ct)
    {
        var loaded = await LoadAsync(id, user, store, ct);
        return loaded.Route is { } route ? TypedResults.Text(render(route), contentType) : loaded.Problem!;
    }

    private sealed record Loaded(RouteView? Route, IResult? Problem, IReadOnlyList<Shipment> Shipments);

    /// <summary>The carrier and operators (and services) see a route: it lists other towns' goods.</summary>
    private static async Task<Loaded> LoadAsync(string id, ClaimsPrincipal user, ILogisticsStore store, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var routeId)) return new(null, Problems.Field("id", "must be a route id (GUID)"), []);
        var shipments = await store.ShipmentsOfRouteAsync(routeId, ct);
        if (shipments.Count == 0 || !(user.SeesEveryTown() || shipments.Any(s => s.CarrierTown == user.TownId())))
            return new(null, Problems.NotFound($"Route {routeId} was not found."), []);
        // The route's goods in one read, as a page of shipments reads them.
        var transfers = (await store.TransfersAsync([.. shipments.Select(s => s.TransferId)], ct)).ToDictionary(t => t.Id);
        return new(RouteView.From(routeId, shipments, transfers), null, shipments);
    }

    /// <summary>A cap checked before the route is read; the bound that matters, one code per shipment unloaded at the
    /// stop, is checked once it is.</summary>
    public const int MaxHandoverCodes = 200;

    private static async Task<IResult> ReportStop(string id, string stopNumber, FailureReport? failure, string?[]? handoverCodes, ClaimsPrincipal user,
        ILogisticsStore store, ShipmentTracking tracking, HandoverCodes handover, CancellationToken ct)
    {
        if (handoverCodes is { Length: > MaxHandoverCodes }) return Problems.Field("handoverCodes", $"at most {MaxHandoverCodes} codes per stop");
        IReadOnlyCollection<string> typed = handoverCodes is null ? [] : [.. handoverCodes.OfType<string>()];
        // Parsed here rather than by a route constraint, which would answer a bare 404.
        if (!int.TryParse(stopNumber, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var sequence))
            return Problems.Field("sequence", "must be a stop number");
        var reason = failure?.Reason?.Trim();
        if (failure is not null && TextRules.RequiredLineError(reason, ShipmentEndpoints.MaxReasonLength) is { } error) return Problems.Field("reason", error);
        var loaded = await LoadAsync(id, user, store, ct);
        if (loaded.Route is null) return loaded.Problem!;
        if (!user.IsOperator() && loaded.Route.CarrierTown != user.TownId())
            return Problems.Forbidden($"Only the carrier town or an operator may report on route {id}.");
        if (loaded.Route.Stops.All(s => s.Sequence != sequence)) return Problems.NotFound($"Route {id} has no stop {sequence}.");
        // The codes are read once the caller may report here, as other input is.
        for (var i = 0; i < (handoverCodes?.Length ?? 0); i++)
            if (HandoverCodes.Normalize(handoverCodes![i]) is null) return Problems.Field($"handoverCodes[{i}]", ShipmentEndpoints.HandoverCodeFormat);
        var unloads = loaded.Shipments.Where(s => s.Stops.Any(x => x.Sequence == sequence && x.Action == DirectTripPlanner.DeliveryAction)).ToList();
        var open = unloads.Where(s => s.Status is ShipmentStatus.Planned or ShipmentStatus.PickedUp).ToList();
        // A retry repeats the codes of unloads already made: they prove nothing new and are no guesses (nor is a code
        // given twice).
        var codes = await NotYetUsedAsync(typed, unloads.Where(s => s.Status == ShipmentStatus.Delivered).ToList(), handover, ct);
        // One code per unload still to be made here: a list of guesses would try each against every shipment at the stop.
        if (codes.Count > open.Count)
            return Problems.Field("handoverCodes", $"at most one code per shipment still to be unloaded at stop {sequence} ({open.Count})");
        var codesOf = await CodesPerShipmentAsync(open, codes, handover, ct);

        var report = new List<StopReportItem>();
        foreach (var shipment in loaded.Shipments.Where(s => s.Status != ShipmentStatus.Cancelled))
        {
            var stop = shipment.Stops.FirstOrDefault(x => x.Sequence == sequence);
            ShipmentAction? action = stop?.Action switch
            {
                DirectTripPlanner.PickupAction => failure is null ? ShipmentAction.PickUp : ShipmentAction.Fail,
                DirectTripPlanner.DeliveryAction => failure is null ? ShipmentAction.Deliver : ShipmentAction.Fail,
                _ => null,
            };
            if (action is not { } act) continue;
            var result = await tracking.ReportAsync(shipment.Id, act, user.TownId(), user.IsOperator(), reason, ct, onRoute: shipment.RouteId,
                codes: codesOf.GetValueOrDefault(shipment.Id, []));
            report.Add(new StopReportItem(shipment.Id, stop!.Action, Describe(result.Outcome), result.Why, result.Shipment?.Status));
        }
        return TypedResults.Ok(report.ToArray());
    }

    /// <summary>The codes given, each once, less those of unloads already made at the stop.</summary>
    private static async Task<IReadOnlyCollection<string>> NotYetUsedAsync(IReadOnlyCollection<string> typed, IReadOnlyList<Shipment> delivered,
        HandoverCodes handover, CancellationToken ct)
    {
        var codes = new List<string>();
        foreach (var code in typed.DistinctBy(c => HandoverCodes.Normalize(c)))
        {
            var used = false;
            foreach (var shipment in delivered)
                if (used = await handover.MatchesAsync(shipment.Id, [code], ct)) break;
            if (!used) codes.Add(code);
        }
        return codes;
    }

    /// <summary>Each code goes to the one shipment it is the code of; a shipment none is the code of gets every code that
    /// is nobody's, each of which is then a guess it counts (ShipmentTracking): a report cannot try k codes for the
    /// price of one.</summary>
    private static async Task<Dictionary<Guid, IReadOnlyCollection<string>>> CodesPerShipmentAsync(IReadOnlyList<Shipment> open,
        IReadOnlyCollection<string> codes, HandoverCodes handover, CancellationToken ct)
    {
        var matched = new Dictionary<Guid, IReadOnlyCollection<string>>();
        var nobodys = new List<string>(codes);
        foreach (var shipment in open)
            foreach (var code in codes)
                if (await handover.MatchesAsync(shipment.Id, [code], ct))
                {
                    matched[shipment.Id] = [code];
                    nobodys.Remove(code);
                    break;
                }
        foreach (var shipment in open.Where(s => !matched.ContainsKey(s.Id))) matched[shipment.Id] = nobodys;
        return matched;
    }

    private static string Describe(TrackingOutcome outcome) => outcome switch
    {
        TrackingOutcome.Applied => "applied",
        TrackingOutcome.Repeated => "repeated",
        TrackingOutcome.NotFound => "notFound",
        TrackingOutcome.Forbidden => "forbidden",
        TrackingOutcome.Illegal => "illegal",
        TrackingOutcome.Unproven => "unproven",
        _ => "contended",
    };
}
