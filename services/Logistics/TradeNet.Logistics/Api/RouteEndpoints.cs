using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Planning;
using TradeNet.Logistics.Storage;
using TradeNet.Shared.Auth;
using TradeNet.Shared.Hosting;
using TradeNet.Shared.Storage;

namespace TradeNet.Logistics.Api;

/// <summary>Planning on request (operators), routes and their sheets (the carrier and operators), and per-stop
/// reports: the carrier marks a stop done (every load and unload there) or failed.</summary>
public static class RouteEndpoints
{
    public static RouteGroupBuilder MapRouteEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/logistics").RequireAuthorization().RefuseRepeatedQuery();
        api.MapPost("/plans", RunPlanning).ProducesProblems(403, 409);
        // The handlers below answer IResult, which says nothing of what they write: the metadata says it.
        api.MapGet("/routes/{id}", GetRoute).Produces<RouteView>().ProducesValidationProblem().ProducesProblems(404);
        api.MapGet("/routes/{id}/sheet.csv", (string id, ClaimsPrincipal user, ILogisticsStore store, TownNames names,
            IOptions<LogisticsOptions> options, CancellationToken ct) =>
            Sheet(id, user, store, names, options.Value, RouteSheet.Csv, "text/csv; charset=utf-8", ct))
            .Produces<string>(contentType: "text/csv").ProducesValidationProblem().ProducesProblems(404);
        api.MapGet("/routes/{id}/sheet.html", (string id, ClaimsPrincipal user, ILogisticsStore store, TownNames names,
            IOptions<LogisticsOptions> options, HttpContext http, CancellationToken ct) =>
        {
            // A printable page of town names other towns chose: no script, no outside request, even were escaping to fail.
            http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";
            return Sheet(id, user, store, names, options.Value, RouteSheet.Html, "text/html; charset=utf-8", ct);
        })
            .Produces<string>(contentType: "text/html").ProducesValidationProblem().ProducesProblems(404);
        // The unloads need the receiving towns' handover codes when the carrier reports (an operator needs none).
        api.MapPost("/routes/{id}/stops/{sequence}/done", (string id, string sequence, [FromBody] StopDoneReport? report, ClaimsPrincipal user,
            ILogisticsStore store, ShipmentTracking tracking, HandoverCodes handover, HttpContext http, CancellationToken ct) =>
                ReportStop(id, sequence, null, report?.HandoverCodes, user, store, tracking, handover, http, ct))
            .WithMetadata(OptionalRequestBody.Instance).Produces<StopReportItem[]>().ProducesValidationProblem().ProducesProblems(403, 404);
        api.MapPost("/routes/{id}/stops/{sequence}/failure", (string id, string sequence, [FromBody] FailureReport? report, ClaimsPrincipal user,
            ILogisticsStore store, ShipmentTracking tracking, HandoverCodes handover, HttpContext http, CancellationToken ct) =>
                ReportStop(id, sequence, report ?? new FailureReport(null), null, user, store, tracking, handover, http, ct))
            .Produces<StopReportItem[]>().ProducesValidationProblem().ProducesProblems(403, 404);
        api.MapPost("/routes/{id}/replan", RouteReplanEndpoint.Replan).ProducesProblems(403, 404, 409);
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

    /// <summary>A sheet asks catalog for its towns' names in one call once the caller may read the route (no question
    /// for a route it may not see); without an answer it is rendered with ids. The JSON route view does not ask: see
    /// docs/logistics.md, "Route sheets".</summary>
    private static async Task<IResult> Sheet(string id, ClaimsPrincipal user, ILogisticsStore store, TownNames names,
        LogisticsOptions options, Func<RouteView, SheetContext, string> render, string contentType, CancellationToken ct)
    {
        var loaded = await LoadAsync(id, user, store, ct);
        if (loaded.Route is not { } route) return loaded.Problem!;
        var towns = route.Stops.SelectMany(s => s.Pickups.Concat(s.Deliveries).SelectMany(g => new[] { g.FromTown, g.ToTown }).Prepend(s.TownId))
            .Prepend(route.CarrierTown);
        var sheet = new SheetContext(await names.AskAsync(towns, ct), options.SheetZone());
        return TypedResults.Text(render(route, sheet), contentType);
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
        ILogisticsStore store, ShipmentTracking tracking, HandoverCodes handover, HttpContext http, CancellationToken ct)
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
        var open = unloads.Count(s => s.Status is ShipmentStatus.Planned or ShipmentStatus.PickedUp);
        var (fresh, codesOf) = await SortCodesAsync(unloads, typed, handover, store, ct);
        // One code per unload still to be made here: a list of guesses would try each against every shipment at the stop.
        if (fresh > open)
            return Problems.Field("handoverCodes", $"at most one code per shipment still to be unloaded at stop {sequence} ({open})");

        var report = new List<StopReportItem>();
        var counted = new List<Guid>(); // unloads whose wrong code this report counted
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
            TrackingResult result;
            try
            {
                result = await tracking.ReportAsync(shipment.Id, act, user.TownId(), user.IsOperator(), reason, ct, onRoute: shipment.RouteId,
                    codes: codesOf.GetValueOrDefault(shipment.Id, []));
            }
            catch (Exception ex) when (StorageUnavailable.Is(ex) && (report.Any(i => i.Outcome == Applied) || counted.Count > 0))
            {
                // Each shipment's report is a write of its own, and so is each wrong code's count: those before this one are
                // stored, so the usual 503 "not applied" would be untrue, and a driver told so could not know what the same
                // report again will say.
                return PartlyStored(http, sequence, [.. report.Where(i => i.Outcome == Applied).Select(i => i.ShipmentId)], [.. counted], ex);
            }
            if (result.WrongCodeCounted) counted.Add(shipment.Id);
            report.Add(new StopReportItem(shipment.Id, stop!.Action, Describe(result.Outcome), result.Why, result.Shipment?.Status));
        }
        return TypedResults.Ok(report.ToArray());
    }

    /// <summary>Sorts a stop report's codes out in one pass over the stop's unloads. Each code goes to the open unload it
    /// is the code of; an open unload none is the code of gets every code that is nobody's, each of which is then a guess
    /// it counts (ShipmentTracking), so a report cannot try k codes for the price of one. A code given twice is one code,
    /// and the code of an unload no longer open — made already (a retry after a lost answer), or failed or cancelled
    /// while the driver was at the door — is set aside: it proves nothing new and is no guess. (Only delivered ones were,
    /// so the right code of an unload failed a moment before turned the whole report into a 400 and its loads went
    /// unreported: the random fleet scenario's seed 4 met it.) When none is open, every code is set aside so, and a code
    /// that is nobody's but counted wrong already by every unload it goes to (a report sent again) is no fresh code.
    /// <c>Fresh</c>: the codes left, which the stop's open unloads bound.</summary>
    private static async Task<(int Fresh, Dictionary<Guid, IReadOnlyCollection<string>> CodesOf)> SortCodesAsync(
        IReadOnlyList<Shipment> unloads, IReadOnlyCollection<string> typed, HandoverCodes handover, ILogisticsStore store, CancellationToken ct)
    {
        var owner = new Dictionary<string, Shipment>(StringComparer.Ordinal);
        foreach (var shipment in unloads)
            owner[HandoverCodes.Normalize(await handover.ForAsync(shipment.Id, ct))!] = shipment;
        var codesOf = new Dictionary<Guid, IReadOnlyCollection<string>>();
        var nobodys = new List<string>();
        foreach (var code in typed.Select(c => HandoverCodes.Normalize(c)!).Distinct(StringComparer.Ordinal))
        {
            if (!owner.TryGetValue(code, out var shipment)) nobodys.Add(code);
            else if (Open(shipment)) codesOf[shipment.Id] = [code];
        }
        var guessedAt = owner.Values.Where(s => Open(s) && !codesOf.ContainsKey(s.Id)).ToList();
        // A code every unload it goes to has counted wrong already is no new guess either: a report sent again after one of
        // the stop's unloads was confirmed meanwhile (the first's answer lost) carries the codes it carried, and counting
        // them against the fewer unloads left refused the whole stop with a 400, its loads unreported. With no unload left
        // open, no code is tried against anything. (Read outside the writes: this bounds a report, each write decides.)
        var known = nobodys.Count > 0 && guessedAt.Count > 0
            ? await store.WrongHandoverCodeTagsAsync([.. guessedAt.Select(s => s.Id)], ct)
            : new Dictionary<Guid, IReadOnlySet<string>>();
        var freshNobodys = 0;
        foreach (var code in nobodys)
        {
            var again = guessedAt.Count > 0;
            foreach (var shipment in guessedAt)
                again = again && known.TryGetValue(shipment.Id, out var tags) && tags.Contains(await handover.WrongCodeTagAsync(shipment.Id, code, ct));
            if (!again) freshNobodys++;
        }
        var fresh = owner.Values.Any(Open) ? codesOf.Count + freshNobodys : 0;
        foreach (var shipment in guessedAt) codesOf[shipment.Id] = nobodys;
        return (fresh, codesOf);

        static bool Open(Shipment s) => s.Status is ShipmentStatus.Planned or ShipmentStatus.PickedUp;
    }

    private const string Applied = "applied";

    /// <summary>The detail of a stop report whose storage failed after some of its shipments' reports were stored, or some
    /// of its wrong handover codes counted (<paramref name="counted"/>: the unloads whose code was counted).</summary>
    public static string StopPartlyStored(int sequence, IReadOnlyCollection<Guid> stored, IReadOnlyCollection<Guid>? counted = null)
    {
        counted ??= [];
        var what = string.Join(" and ", new[]
        {
            stored.Count > 0 ? $"the reports of shipments {string.Join(", ", stored)} were stored" : null,
            counted.Count > 0 ? $"the wrong handover code given for shipments {string.Join(", ", counted)} was counted" : null,
        }.OfType<string>());
        var again = string.Join(", ", new[]
        {
            stored.Count > 0 ? "the stored ones answer 'repeated'" : null,
            counted.Count > 0 ? "a code counted is not counted again (its shipment answers 'unproven' again)" : null,
        }.OfType<string>());
        return $"Stop {sequence}: {what}, but the storage is busy or failing and the rest of the stop's report was not stored. " +
            $"Send the same report again: {again}, the rest is applied.";
    }

    private static IResult PartlyStored(HttpContext http, int sequence, Guid[] stored, Guid[] counted, Exception ex)
    {
        http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RouteEndpoints)).LogError(ex,
            "Stop report {Method} {Path}: storage failed after {Count} shipments' reports were stored and {Counted} wrong codes counted; answered 503 naming them",
            http.Request.Method, http.Request.Path, stored.Length, counted.Length);
        http.Response.Headers.RetryAfter = StorageUnavailable.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service unavailable",
            detail: StopPartlyStored(sequence, stored, counted),
            extensions: new Dictionary<string, object?> { ["stored"] = stored, ["wrongCodeCounted"] = counted, ["retryable"] = true });
    }

    private static string Describe(TrackingOutcome outcome) => outcome switch
    {
        TrackingOutcome.Applied => Applied,
        TrackingOutcome.Repeated => "repeated",
        TrackingOutcome.NotFound => "notFound",
        TrackingOutcome.Forbidden => "forbidden",
        TrackingOutcome.Illegal => "illegal",
        TrackingOutcome.Unproven => "unproven",
        _ => "contended",
    };
}
