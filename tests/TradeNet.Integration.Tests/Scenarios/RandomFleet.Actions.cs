using System.Net;
using System.Text.Json;

namespace TradeNet.Integration.Tests.Scenarios;

/// <summary>The actors' steps. Each names the answers its action may get and why; anything else is unexpected.</summary>
public sealed partial class RandomFleet
{
    /// <summary>Most proposals are accepted, so many trades reach logistics.</summary>
    private async Task AnswerAsync(Trader town, Random random)
    {
        var proposed = await Calls.ListAsync(town.Client, "/api/matching/trades?status=proposed");
        foreach (var trade in proposed.OrderBy(_ => random.Next()).Take(3))
        {
            var answer = random.Next(10) < 9 ? "accept" : "reject";
            // 409: no longer proposed (another town rejected it, a round's check cancelled it) or a listing changed;
            // 503: catalog's answer did not come (the acceptance is kept).
            await Calls.CallAsync(answer, () => town.Client.Send(HttpMethod.Post, $"/api/matching/trades/{Text(trade, "id")}/{answer}"),
                HttpStatusCode.OK, HttpStatusCode.Conflict, HttpStatusCode.ServiceUnavailable);
        }
    }

    private Task PublishAsync(Trader town, Random random)
    {
        var category = Categories[random.Next(Categories.Count)];
        var body = Listing(KindFor(town, category), category, random);
        // 409: the town reached its limit of open listings.
        return Calls.CallAsync("publish", () => town.Client.Send(HttpMethod.Post, "/api/catalog/listings", body),
            HttpStatusCode.Created, HttpStatusCode.Conflict);
    }

    /// <summary>409 only when another run or a report wrote the same transfers first.</summary>
    private Task PlanAsync(TradeNetClient ops) =>
        Calls.CallAsync("plan", () => ops.Send(HttpMethod.Post, "/api/logistics/plans"), HttpStatusCode.OK, HttpStatusCode.Conflict);

    private async Task<JsonElement?> PickAsync(TradeNetClient ops, Random random, string status, bool fleetOnly = false)
    {
        var shipments = (await Calls.ListAsync(ops, $"/api/logistics/shipments?status={status}&limit=300"))
            .Where(s => !fleetOnly || OnFleet(s)).ToList();
        return shipments.Count == 0 ? null : shipments[random.Next(shipments.Count)];
    }

    /// <summary>The carrier picks up (a town's van or a direct trip: the town; a depot's vehicle: an operator). 409: the
    /// shipment moved on meanwhile (picked up, failed, its trade cancelled or its route taken back).</summary>
    private async Task PickUpAsync(TradeNetClient ops, Random random)
    {
        if (await PickAsync(ops, random, "planned") is { } shipment) await PickUpAsync(ops, shipment);
    }

    private async Task PickUpAsync(TradeNetClient ops, JsonElement shipment)
    {
        var carrier = CarrierOf(shipment, ops);
        await Calls.CallAsync("pickup", () => carrier.Send(HttpMethod.Post, $"/api/logistics/shipments/{Text(shipment, "id")}/pickup"),
            HttpStatusCode.OK, HttpStatusCode.Conflict);
    }

    /// <summary>The receiving town confirms the delivery itself, or the carrier reports it with the code the receiving
    /// town gave at the door. 409: delivered or failed meanwhile.</summary>
    private async Task DeliverAsync(TradeNetClient ops, Random random)
    {
        if (await PickAsync(ops, random, "pickedUp") is { } shipment) await DeliverAsync(ops, random, shipment);
    }

    private async Task DeliverAsync(TradeNetClient ops, Random random, JsonElement shipment)
    {
        var id = Text(shipment, "id");
        var receiver = Receiver(shipment);
        if (random.Next(2) == 0)
        {
            await Calls.CallAsync("delivery", () => receiver.Client.Send(HttpMethod.Post, $"/api/logistics/shipments/{id}/delivery"),
                HttpStatusCode.OK, HttpStatusCode.Conflict);
            return;
        }
        var code = (await Calls.CallAsync("read", () => receiver.Client.Send(HttpMethod.Get, $"/api/logistics/shipments/{id}"), HttpStatusCode.OK))
            ?.GetProperty("handoverCode").GetString();
        var carrier = CarrierOf(shipment, ops);
        await Calls.CallAsync("delivery by carrier", () => carrier.Send(HttpMethod.Post, $"/api/logistics/shipments/{id}/delivery", new { handoverCode = code }),
            HttpStatusCode.OK, HttpStatusCode.Conflict);
    }

    /// <summary>A carrier reports a planned or picked-up shipment failed. 409: it moved on meanwhile.</summary>
    private async Task FailAsync(TradeNetClient ops, Random random)
    {
        if (await PickAsync(ops, random, random.Next(2) == 0 ? "planned" : "pickedUp") is { } shipment) await FailAsync(ops, shipment);
    }

    private async Task FailAsync(TradeNetClient ops, JsonElement shipment)
    {
        var carrier = CarrierOf(shipment, ops);
        await Calls.CallAsync("failure", () => carrier.Send(HttpMethod.Post, $"/api/logistics/shipments/{Text(shipment, "id")}/failure",
            new { reason = "random fleet: the road is closed" }), HttpStatusCode.OK, HttpStatusCode.Conflict);
    }

    /// <summary>The carrier (or an operator) reports one stop of a vehicle's route done — with the receiving towns' codes
    /// for its unloads — or failed. 404: the stop (or every shipment of the route) was cancelled meanwhile. Each
    /// shipment's outcome must be one a report can have: never "forbidden" or "notFound" for the route's own carrier.</summary>
    private async Task ReportStopAsync(TradeNetClient ops, Random random)
    {
        if (await PickAsync(ops, random, random.Next(2) == 0 ? "planned" : "pickedUp", fleetOnly: true) is { } shipment)
            await ReportStopAsync(ops, random, shipment);
    }

    private async Task ReportStopAsync(TradeNetClient ops, Random random, JsonElement shipment)
    {
        var route = Text(shipment, "routeId");
        var view = await Calls.CallAsync("read route", () => ops.Send(HttpMethod.Get, $"/api/logistics/routes/{route}"), HttpStatusCode.OK);
        if (view is not { } r) return;
        var stops = r.GetProperty("stops").EnumerateArray()
            .Where(s => s.GetProperty("pickups").GetArrayLength() + s.GetProperty("deliveries").GetArrayLength() > 0).ToList();
        if (stops.Count == 0) return;
        var stop = stops[random.Next(stops.Count)];
        var sequence = stop.GetProperty("sequence").GetInt32();
        var carrier = CarrierOf(shipment, ops);
        var failed = random.Next(5) == 0;
        object? body;
        if (failed) body = new { reason = "random fleet: the bridge is out" };
        else
        {
            var codes = new List<string>();
            foreach (var goods in stop.GetProperty("deliveries").EnumerateArray().Where(g => Text(g, "status") is "planned" or "pickedUp"))
            {
                var receiver = Towns.Single(t => t.Id == Text(goods, "toTown"));
                var seen = await Calls.CallAsync("read", () => receiver.Client.Send(HttpMethod.Get, $"/api/logistics/shipments/{Text(goods, "shipmentId")}"), HttpStatusCode.OK);
                if (seen?.GetProperty("handoverCode").GetString() is { } code) codes.Add(code);
            }
            body = new { handoverCodes = codes };
        }
        var action = failed ? "stop failure" : "stop done";
        var items = await Calls.CallAsync(action, () => carrier.Send(HttpMethod.Post, $"/api/logistics/routes/{route}/stops/{sequence}/{(failed ? "failure" : "done")}", body),
            HttpStatusCode.OK, HttpStatusCode.NotFound);
        foreach (var item in items is { ValueKind: JsonValueKind.Array } list ? list.EnumerateArray() : default)
        {
            var outcome = Text(item, "outcome");
            Calls.Note(action, outcome, expected: outcome is "applied" or "repeated" or "illegal" or "contended"
                // A code read before a concurrent take-back belongs to a shipment cancelled since; its new one is another.
                or "unproven");
        }
    }

    /// <summary>An operator takes a route back before its vehicle sets out. 409: something on it was picked up, delivered
    /// or failed meanwhile, or nothing on it is planned any more.</summary>
    private async Task TakeBackAsync(TradeNetClient ops, Random random)
    {
        if (await PickAsync(ops, random, "planned", fleetOnly: true) is { } shipment) await TakeBackAsync(ops, shipment);
    }

    private Task TakeBackAsync(TradeNetClient ops, JsonElement shipment) =>
        Calls.CallAsync("take back", () => ops.Send(HttpMethod.Post, $"/api/logistics/routes/{Text(shipment, "routeId")}/replan"),
            HttpStatusCode.OK, HttpStatusCode.Conflict);

    /// <summary>409: released meanwhile, or its trade was cancelled.</summary>
    private async Task ReleaseAsync(TradeNetClient ops, Random random)
    {
        var held = await Calls.ListAsync(ops, "/api/logistics/transfers?status=held");
        if (held.Count == 0) return;
        await Calls.CallAsync("release", () => ops.Send(HttpMethod.Post, $"/api/logistics/transfers/{Text(held[random.Next(held.Count)], "id")}/release"),
            HttpStatusCode.OK, HttpStatusCode.Conflict);
    }

    /// <summary>An operator cancels the trade of a shipment planned (half the time one on a vehicle's route) or picked up.
    /// 409: goods of the trade are on the road, or the trade ended meanwhile. The answer is counted by what the shipment
    /// was when read ("cancel planned 200"), to show each case happened.</summary>
    private async Task CancelAsync(TradeNetClient ops, Random random)
    {
        var status = random.Next(3) == 0 ? "pickedUp" : "planned";
        if (await PickAsync(ops, random, status, fleetOnly: status == "planned" && random.Next(2) == 0) is { } shipment)
            await CancelAsync(ops, shipment, status);
    }

    private async Task CancelAsync(TradeNetClient ops, JsonElement shipment, string status)
    {
        await Calls.CallAsync($"cancel {status}", () => ops.Send(HttpMethod.Post, $"/api/matching/trades/{Text(shipment, "tradeId")}/cancel",
            new { reason = "random fleet" }), HttpStatusCode.OK, HttpStatusCode.Conflict);
    }

    /// <summary>The owner (an operator for a depot's vehicle, else the town) changes a vehicle's capacity and hours. 409:
    /// a lower capacity no longer fits the goods planned on it.</summary>
    private async Task ChangeVehicleAsync(TradeNetClient ops, FleetVehicle vehicle, Random random, bool lower)
    {
        if (vehicle.Withdrawn) return;
        var terms = vehicle.Terms;
        var now = DateTimeOffset.UtcNow;
        var next = terms with
        {
            CapacityKg = Math.Clamp(Math.Round(terms.CapacityKg * (lower ? 0.5 : 1.5)), 100, 100_000),
            Hours = random.Next(2) == 0 ? terms.Hours : new FleetHours(new TimeOnly(Math.Max(0, now.Hour - 2), 0), new TimeOnly(23, 59)),
        };
        vehicle.Changing(next);
        var client = vehicle.Owner?.Client ?? ops;
        var answer = await Calls.CallAsync(lower ? "vehicle lowered" : "vehicle raised",
            () => client.Send(HttpMethod.Put, $"/api/logistics/vehicles/{vehicle.Id}", next.Body()), HttpStatusCode.OK, HttpStatusCode.Conflict);
        if (answer is not null) vehicle.ChangedTo(next);
    }

    private async Task WithdrawAsync(TradeNetClient ops, FleetVehicle vehicle)
    {
        vehicle.Withdrawing();
        var client = vehicle.Owner?.Client ?? ops;
        await Calls.CallAsync("vehicle withdrawn", () => client.Send(HttpMethod.Delete, $"/api/logistics/vehicles/{vehicle.Id}"), HttpStatusCode.NoContent);
    }

    /// <summary>A driver prints a route's sheet — any route, taken back, cut by cancellations or half driven — or a
    /// coordinator asks what the next run offers of a vehicle (its owner may; a withdrawn one is 404).</summary>
    private async Task NextRunAsync(TradeNetClient ops, Random random)
    {
        if (random.Next(2) == 0 && await PickAsync(ops, random, new[] { "planned", "pickedUp", "delivered", "failed", "cancelled" }[random.Next(5)],
                fleetOnly: true) is { } shipment)
        {
            var carrier = CarrierOf(shipment, ops);
            var sheet = random.Next(2) == 0 ? "sheet.csv" : "sheet.html";
            await Calls.CallAsync($"read {sheet}", () => carrier.Send(HttpMethod.Get, $"/api/logistics/routes/{Text(shipment, "routeId")}/{sheet}"),
                HttpStatusCode.OK);
            return;
        }
        var vehicle = Fleet[random.Next(Fleet.Count)];
        var client = vehicle.Owner?.Client ?? ops;
        await Calls.CallAsync("next run", () => client.Send(HttpMethod.Get, $"/api/logistics/vehicles/{vehicle.Id}/next-run"),
            vehicle.Withdrawn ? [HttpStatusCode.NotFound, HttpStatusCode.OK] : [HttpStatusCode.OK]);
    }

    /// <summary>Several of the above on one shipment of a vehicle's route (planned, or a third of the time picked up) at
    /// the same moment — its pickup (or delivery), its failure, its stop reported, its route taken back, its trade cancelled, a planning run — as a carrier, an operator
    /// and a run racing each other: each must still get an answer its action expects, and the audit a story that adds up.</summary>
    private async Task BurstAsync(TradeNetClient ops, Random random)
    {
        var status = random.Next(3) == 0 ? "pickedUp" : "planned";
        if (await PickAsync(ops, random, status, fleetOnly: true) is not { } shipment) return;
        Func<Task>[] all =
        [
            () => status == "planned" ? PickUpAsync(ops, shipment) : DeliverAsync(ops, new Random(random.Next()), shipment),
            () => FailAsync(ops, shipment),
            () => ReportStopAsync(ops, new Random(random.Next()), shipment),
            () => TakeBackAsync(ops, shipment),
            () => CancelAsync(ops, shipment, status),
            () => PlanAsync(ops),
        ];
        await Task.WhenAll(all.OrderBy(_ => random.Next()).Take(2 + random.Next(3)).Select(a => Task.Run(a)));
    }
}
