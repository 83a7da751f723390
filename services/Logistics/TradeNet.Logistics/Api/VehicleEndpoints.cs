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

/// <summary>Carriers' vehicles under <c>/api/logistics/vehicles</c>. A town registers vehicles based at home; an
/// operator registers them for any town the catalog knows. Only operators and the owning (home) town change or
/// withdraw one; a town sees its own vehicles, operators and services see the fleet.</summary>
public static class VehicleEndpoints
{
    public static RouteGroupBuilder MapVehicleEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/logistics/vehicles").RequireAuthorization().RefuseRepeatedQuery();
        // 409: a key reused for other terms, or the home town at Logistics:MaxVehiclesPerTown. 503: catalog could not
        // confirm the home town an operator names. 403 also: the home town is suspended.
        api.MapPost("/", Register).ProducesProblems(403, 409, 503);
        api.MapGet("/", List).ProducesProblems(403); // 400: limit or after (ValidationProblem)
        api.MapGet("/{id}", Get).ProducesProblems(404);
        api.MapGet("/{id}/next-run", NextRunOf).ProducesProblems(404);
        api.MapPut("/{id}", Replace).ProducesProblems(403, 404, 409);
        api.MapDelete("/{id}", Withdraw).ProducesProblems(403, 404);
        return api;
    }

    /// <summary>With an <c>Idempotency-Key</c>, a retry (the first answer lost) gets the vehicle registered under it,
    /// 201 again and <c>Idempotent-Replayed: true</c>, instead of a second vehicle.</summary>
    private static async Task<Results<Created<VehicleView>, ValidationProblem, ProblemHttpResult>> Register(
        [FromBody] VehicleRequest? request, [FromHeader(Name = IdempotencyKeys.Header)] string? idempotencyKey, ClaimsPrincipal user,
        ILogisticsStore store, HomeTownCheck towns, IOptions<LogisticsOptions> options, HttpResponse response, TimeProvider clock,
        CancellationToken ct)
    {
        // The header sent twice binds as "a,b", which the key's rules (no commas) refuse.
        if (idempotencyKey is not null && !IdempotencyKeys.IsWellFormed(idempotencyKey))
            return Problems.Field(IdempotencyKeys.Header, IdempotencyKeys.Rule);
        if (request is null) return Problems.Field("body", "a vehicle is required");
        var errors = VehicleValidation.Check(request, clock.GetUtcNow());
        string? home;
        if (user.IsOperator())
        {
            home = request.HomeTown?.Trim();
            if (string.IsNullOrEmpty(home)) errors.TryAdd("homeTown", ["is required when an operator registers a vehicle"]);
        }
        else if (user.TownId() is { } town)
        {
            // Only a town id naming another town is forbidden; a blank or malformed one is bad input, answered below as 400.
            if (request.HomeTown is { } other && !errors.ContainsKey("homeTown") && other.Trim() != town)
                return Problems.Forbidden("A town registers vehicles based at home only; an operator registers them for other towns.");
            home = town;
        }
        else return Problems.Forbidden("Only towns and operators register vehicles.");
        // Validated before the key is looked up: a request failing here never registered anything, and one that passed
        // once passes again (the only limit tied to the clock, 10 years ahead, moves forward), so no retry is refused.
        if (errors.Count > 0) return Problems.Fields(errors);

        var now = clock.GetUtcNow();
        var vehicle = VehicleValidation.Build($"veh-{Guid.NewGuid():N}", home!, request, now, now);
        var key = idempotencyKey is null ? null
            : new VehicleRegistration(VehicleRegistrations.Caller(user)!, idempotencyKey, vehicle.Id, VehicleRegistrations.Fingerprint(vehicle), now);
        // Before catalog is asked: the key's terms include the home town, confirmed when the key registered its vehicle,
        // so a retry is answered even while catalog is down, and the key reused for other terms is refused at once.
        if (key is not null && await VehicleRegistrations.EarlierAsync(store, key, ct) is { } earlier) return Answer(earlier, response, options.Value);
        if (VehicleValidation.Ended(request, now) is { Count: > 0 } ended) return Problems.Fields(ended);
        // A town's id comes from its verified token; only the town an operator names is catalog's to confirm.
        if (user.IsOperator())
        {
            switch (await towns.AskAsync(home!, ct))
            {
                case HomeTownAnswer.Unknown:
                    return Problems.Field("homeTown", "no town has this id");
                case HomeTownAnswer.Unchecked:
                    response.Headers.RetryAfter = "5";
                    return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Catalog unavailable",
                        detail: "The home town could not be checked with the catalog right now; nothing was stored. Retry shortly.");
            }
        }

        return Answer(await VehicleRegistrations.AddAsync(store, vehicle, key, options.Value.MaxVehiclesPerTown, ct), response, options.Value);
    }

    private static Results<Created<VehicleView>, ValidationProblem, ProblemHttpResult> Answer(RegistrationOutcome outcome, HttpResponse response,
        LogisticsOptions settings)
    {
        if (outcome.Forbidden is { } why) return Problems.Forbidden(why);
        if (outcome.Vehicle is not { } vehicle) return Problems.Conflict(outcome.Conflict!);
        if (outcome.Replayed) response.Headers[IdempotencyKeys.ReplayedHeader] = "true";
        return TypedResults.Created($"/api/logistics/vehicles/{vehicle.Id}", VehicleView.From(vehicle, settings));
    }

    /// <summary>In pages as catalog's lists are (<see cref="Paging"/>): a fleet of thousands is not one answer.</summary>
    private static async Task<Results<Ok<VehicleView[]>, ValidationProblem, ProblemHttpResult>> List(
        string? limit, string? after, string? afterHome, ClaimsPrincipal user, ILogisticsStore store, HttpContext http,
        IOptions<LogisticsOptions> options, CancellationToken ct)
    {
        string? town = null;
        if (!user.SeesEveryTown() && (town = user.TownId()) is null) return Problems.Forbidden("Only towns, operators and services read vehicles.");
        if (Paging.Size(limit, out var size) is { } badLimit) return badLimit;
        VehicleCursor? last = null;
        if (string.IsNullOrWhiteSpace(after))
        {
            if (!string.IsNullOrEmpty(afterHome)) return Problems.Field("afterHome", "goes with after, as the Link gives them");
        }
        // The Link's own: the place the page before ended, even if that vehicle was withdrawn since. No lookup, so the
        // answer is the same whoever's id it names (a town's pages hold its own vehicles anyway).
        else if (!string.IsNullOrEmpty(afterHome))
        {
            if (afterHome.Length > 200 || afterHome.Any(char.IsControl))
                return Problems.Field("afterHome", "must be a town id as a page showed it (at most 200 characters, no control characters)");
            last = new VehicleCursor(afterHome, after.Trim());
        }
        // Another town's vehicle is no page's last one for this caller: refused as an unknown id, revealing nothing.
        else if (await store.VehicleAsync(after.Trim(), ct) is { } vehicle && MaySee(user, vehicle)) last = VehicleCursor.Of(vehicle);
        else return Paging.UnknownAfter("vehicle");
        var vehicles = Paging.Page(http, await store.VehiclePageAsync(new VehiclePage(town, last, Paging.Read(size)), ct), size, v => v.Id,
            v => [new("afterHome", v.HomeTown)]);
        return TypedResults.Ok(vehicles.Select(v => VehicleView.From(v, options.Value)).ToArray());
    }

    private static async Task<Results<Ok<VehicleView>, ProblemHttpResult>> Get(string id, ClaimsPrincipal user, ILogisticsStore store,
        IOptions<LogisticsOptions> options, CancellationToken ct)
    {
        var vehicle = await store.VehicleAsync(id, ct);
        if (vehicle is null || !MaySee(user, vehicle)) return NotFound(id);
        return TypedResults.Ok(VehicleView.From(vehicle, options.Value));
    }

    /// <summary>What the next planning run would offer of the vehicle and why (on a route, resting after a full day, late).</summary>
    private static async Task<Results<Ok<NextRun>, ProblemHttpResult>> NextRunOf(string id, ClaimsPrincipal user, ILogisticsStore store,
        IOptions<LogisticsOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var vehicle = await store.VehicleAsync(id, ct);
        if (vehicle is null || !MaySee(user, vehicle)) return NotFound(id);
        var now = clock.GetUtcNow();
        var duty = DutyRules.Of(options.Value);
        var shipments = await store.ShipmentsOfVehicleAsync(vehicle.Id, ShipmentPlanning.EndedSince(now, duty), ct);
        return TypedResults.Ok(NextRun.Of(vehicle, shipments, now, duty, options.Value.RouteHoursOf));
    }

    private static async Task<Results<Ok<VehicleView>, ValidationProblem, ProblemHttpResult>> Replace(
        string id, [FromBody] VehicleRequest? request, ClaimsPrincipal user, ILogisticsStore store, TimeProvider clock,
        IOptions<LogisticsOptions> options, CancellationToken ct)
    {
        if (request is null) return Problems.Field("body", "a vehicle is required");
        await using var session = await store.BeginAsync(ct);
        var existing = await session.VehicleAsync(id, ct);
        if (existing is null || !MaySee(user, existing)) return NotFound(id);
        if (!MayChange(user, existing)) return Problems.Forbidden($"Only operators and the vehicle's home town may change vehicle {id}.");
        // Withdrawn at the suspension; one left (registered in the window before logistics heard of it) changes no more.
        if (await session.TownStandingAsync(existing.HomeTown, ct) is { Suspended: true }) return Problems.Forbidden(TownStanding.Refusal(existing.HomeTown));
        var errors = VehicleValidation.Check(request, clock.GetUtcNow());
        foreach (var (field, problem) in VehicleValidation.Ended(request, clock.GetUtcNow())) errors.TryAdd(field, problem);
        // The home town is who owns the vehicle: moving it would hand it to another town.
        if (request.HomeTown is { } home && home.Trim() != existing.HomeTown)
            errors["homeTown"] = ["cannot change; withdraw the vehicle and register it for the other town"];
        if (errors.Count > 0) return Problems.Fields(errors);

        var vehicle = VehicleValidation.Build(existing.Id, existing.HomeTown, request, existing.CreatedAt, clock.GetUtcNow());
        // The vehicle sent back as it is (a retry after a lost answer) changes nothing, so nothing is written: a new
        // updatedAt alone made a planning run solving meanwhile find the vehicle changed and drop the routes it planned on it.
        if (vehicle with { UpdatedAt = existing.UpdatedAt } == existing) return TypedResults.Ok(VehicleView.From(existing, options.Value));
        // The goods of routes already planned on it must still fit (times and home may change: see PlannedLoads).
        if (vehicle.CapacityKg < existing.CapacityKg || (existing.Chilled && !vehicle.Chilled))
        {
            var carrying = (await session.ActiveShipmentsAsync(ct)).Where(s => s.VehicleId == existing.Id).ToList();
            var transfers = (await store.TransfersAsync([.. carrying.Select(s => s.TransferId)], ct)).ToDictionary(t => t.Id);
            if (PlannedLoads.Misfit(existing, vehicle, carrying, transfers, options.Value.IsChilled) is { } misfit)
                return Problems.Conflict($"Vehicle {id} no longer fits the goods planned on it — {misfit}; change it once they are delivered or reported failed.");
        }
        if (!await session.UpdateVehicleAsync(vehicle, ct)) return NotFound(id);
        await session.CommitAsync(ct);
        return TypedResults.Ok(VehicleView.From(vehicle, options.Value));
    }

    /// <summary>Routes already planned keep their shipments; the vehicle only stops being planned.</summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> Withdraw(string id, ClaimsPrincipal user, ILogisticsStore store, CancellationToken ct)
    {
        await using var session = await store.BeginAsync(ct);
        var existing = await session.VehicleAsync(id, ct);
        if (existing is null || !MaySee(user, existing)) return NotFound(id);
        if (!MayChange(user, existing)) return Problems.Forbidden($"Only operators and the vehicle's home town may withdraw vehicle {id}.");
        await session.DeleteVehicleAsync(id, ct);
        await session.CommitAsync(ct);
        return TypedResults.NoContent();
    }

    // Vehicle ids are free text in the path (not GUIDs): repeat one only when it could be an id, as catalog does.
    private static ProblemHttpResult NotFound(string id) =>
        Problems.NotFound(TextRules.IsQuotableId(id) ? $"Vehicle {id} was not found." : "No vehicle has that id.");

    // Another town's vehicle is not even confirmed to exist, by a read or by a refused change.
    private static bool MaySee(ClaimsPrincipal user, Vehicle vehicle) => user.SeesEveryTown() || user.TownId() == vehicle.OwnerTown;

    private static bool MayChange(ClaimsPrincipal user, Vehicle vehicle) => user.IsOperator() || user.TownId() == vehicle.OwnerTown;
}
