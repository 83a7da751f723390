using System.Net;
using System.Net.Http.Json;
using TradeNet.Contracts;
using TradeNet.Logistics.Api;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Planner;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.Component;

/// <summary>Two trades whose towns lie on one road (Roanne – Tarare – Lyon) and a van based in Roanne.</summary>
/// <remarks>A host per test: the fleet is global to a host, and each test wants only its own vehicle.</remarks>
public sealed class ConsolidationTests : IDisposable
{
    private readonly LogisticsApp app = new();

    public void Dispose() => app.Dispose();

    [Fact]
    public async Task Two_agreed_trades_on_the_way_share_one_vehicle_route_and_their_cost_shares_sum_to_its_cost()
    {
        var (roanne, lyon, tarare) = Towns.Fresh();
        var van = await app.RegisterAsync(TestSettings.TownAuth(roanne), Fleet.Van(Towns.Roanne, costPerKm: 0.5, fixedCost: 20));
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        await app.PublishAsync(Towns.SwapBetween(first, roanne, Towns.Roanne, lyon, Towns.Lyon));
        await app.PublishAsync(Towns.SwapBetween(second, tarare, Towns.Tarare, lyon, Towns.Lyon, "honey", 30));

        // With a fleet, agreed transfers wait for a planning run instead of going as direct trips.
        Assert.Empty(await app.ShipmentsOfTradeAsync(first, TestSettings.OperatorAuth()));
        var run = await app.PlanAsync();

        var shipments = (await app.ShipmentsOfTradeAsync(first, TestSettings.OperatorAuth()))
            .Concat(await app.ShipmentsOfTradeAsync(second, TestSettings.OperatorAuth())).ToList();
        Assert.Equal(4, shipments.Count);
        var routeId = Assert.Single(shipments.Select(s => s.RouteId).Distinct());
        Assert.All(shipments, s => Assert.Equal((van.Id, roanne, ShipmentStatus.Planned), (s.VehicleId, s.CarrierTown, s.Status)));
        Assert.Equal(4, run.Planned);
        Assert.Equal([routeId], run.Routes);

        var route = await app.RouteAsync(routeId);
        var where = new Dictionary<string, TradePoint> { [roanne] = Towns.Roanne, [lyon] = Towns.Lyon, [tarare] = Towns.Tarare };
        var distances = new DistanceModel(new DistanceSettings(1.3, 60));
        var km = route.Stops.Zip(route.Stops.Skip(1)).Sum(p => distances.Meters(Place(p.First.TownId), Place(p.Second.TownId)) / 1000.0);
        Assert.Equal(20 + 0.5 * km, route.Cost, 6);
        Assert.Equal(roanne, route.Stops[0].TownId);
        Assert.Equal(roanne, route.Stops[^1].TownId);
        Assert.Contains(route.Stops, s => s.TownId == tarare);

        var (costOfFirst, costOfSecond) = (await app.TradeCostAsync(first), await app.TradeCostAsync(second));
        Assert.Equal(route.Cost, costOfFirst.Cost + costOfSecond.Cost, 6);
        Assert.True(costOfFirst.Cost > 0 && costOfSecond.Cost > 0);
        // Alone from Roanne, the Tarare trade needs a detour on both legs, so it carries the larger share.
        Assert.True(costOfSecond.Cost > costOfFirst.Cost);

        Place Place(string town) => new(town, new GeoPoint(where[town].Lat, where[town].Lon));
    }

    [Fact]
    public async Task A_later_run_sends_a_vehicle_out_again_only_once_its_earlier_route_has_brought_it_home()
    {
        var (roanne, lyon, tarare) = Towns.Fresh();
        var van = await app.RegisterAsync(TestSettings.TownAuth(roanne), Fleet.Van(Towns.Roanne));
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        await app.PublishAsync(Towns.SwapBetween(first, roanne, Towns.Roanne, lyon, Towns.Lyon));
        var earlier = await app.RouteAsync(Assert.Single((await app.PlanAsync()).Routes));

        await app.PublishAsync(Towns.SwapBetween(second, tarare, Towns.Tarare, lyon, Towns.Lyon, "honey", 30));
        var later = await app.RouteAsync(Assert.Single((await app.PlanAsync()).Routes));

        Assert.Equal((van.Id, van.Id), (earlier.VehicleId, later.VehicleId));
        Assert.True(later.Stops[0].Eta >= earlier.Stops[^1].Eta,
            $"the van leaves again at {later.Stops[0].Eta:t}, before it is back at {earlier.Stops[^1].Eta:t}");
    }

    [Fact]
    public async Task The_planned_route_is_announced_per_shipment_with_vehicle_stops_and_etas()
    {
        var (roanne, lyon, _) = Towns.Fresh();
        var van = await app.RegisterAsync(TestSettings.TownAuth(roanne), Fleet.Van(Towns.Roanne));
        var trade = Guid.NewGuid();
        await app.PublishAsync(Towns.SwapBetween(trade, roanne, Towns.Roanne, lyon, Towns.Lyon));

        await app.PlanAsync();

        foreach (var shipment in await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth()))
        {
            var planned = await app.PublishedAsync<ShipmentPlanned>(e => e.ShipmentId == shipment.Id);
            Assert.Equal((van.Id, shipment.RouteId, shipment.Eta), (planned.VehicleId, planned.RouteId, planned.EstimatedDelivery));
            Assert.Equal("depart", planned.Stops[0].Action);
            Assert.Equal("return", planned.Stops[^1].Action);
            var pickup = Assert.Single(planned.Stops, s => s.Action == "pickup");
            var delivery = Assert.Single(planned.Stops, s => s.Action == "delivery");
            Assert.Equal((shipment.FromTown, shipment.ToTown), (pickup.TownId, delivery.TownId));
            Assert.True(pickup.Sequence < delivery.Sequence && pickup.Eta < delivery.Eta);
            Assert.Equal(planned.Stops.Select(s => s.Eta).Order(), planned.Stops.Select(s => s.Eta));
        }
    }

    [Fact]
    public async Task A_leg_available_only_at_the_end_of_the_calendar_does_not_stop_planning_for_the_others()
    {
        var (roanne, lyon, tarare) = Towns.Fresh();
        await app.RegisterAsync(TestSettings.TownAuth(roanne), Fleet.Van(Towns.Roanne));
        var (ordinary, endOfTime) = (Guid.NewGuid(), Guid.NewGuid());
        await app.PublishAsync(Towns.SwapBetween(ordinary, roanne, Towns.Roanne, lyon, Towns.Lyon));
        await app.PublishAsync(Towns.Swap(endOfTime, tarare, lyon, DateTimeOffset.MaxValue.AddSeconds(-1)));

        var run = await app.PlanAsync();

        Assert.Equal(2, run.Planned);
        Assert.Equal(2, (await app.ShipmentsOfTradeAsync(ordinary, TestSettings.OperatorAuth())).Length);
        // Its goods are ready only long after the horizon: it waits, pending, for a run that reaches it (a direct trip now
        // would leave the fleet out; FleetShipmentPlannerTests).
        Assert.Empty(await app.ShipmentsOfTradeAsync(endOfTime, TestSettings.OperatorAuth()));
        Assert.All(await TransfersAsync(endOfTime), t => Assert.Equal(TransferStatus.Pending, t.Status));
    }

    private async Task<TransferView[]> TransfersAsync(Guid trade)
    {
        var response = await app.SendAsync(HttpMethod.Get, $"/api/logistics/trades/{trade}/transfers", TestSettings.OperatorAuth());
        return (await response.Content.ReadFromJsonAsync<TransferView[]>(LogisticsApp.Json))!;
    }

    [Theory]
    [InlineData(null)]
    [InlineData(1.0)]
    public async Task A_leg_available_until_the_end_of_the_calendar_does_not_stop_planning_for_the_others(double? opensHoursBeforeTheEnd)
    {
        var (roanne, lyon, tarare) = Towns.Fresh();
        await app.RegisterAsync(TestSettings.TownAuth(roanne), Fleet.Van(Towns.Roanne));
        var (ordinary, forever) = (Guid.NewGuid(), Guid.NewGuid());
        var end = new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero);
        DateTimeOffset? opens = opensHoursBeforeTheEnd is { } hours ? end.AddHours(-hours) : null;
        await app.PublishAsync(Towns.SwapBetween(ordinary, roanne, Towns.Roanne, lyon, Towns.Lyon));
        await app.PublishAsync(new TradeAgreed(forever,
            [new TradeLeg(0, tarare, lyon, "offer-t", "need-l", "firewood", 2, 400, 900, Towns.Tarare, Towns.Lyon, opens, end)]));

        var run = await app.PlanAsync();

        // Open from now, it is planned; opening an hour before the end of the calendar, it waits for a run that reaches it.
        Assert.Equal(opens is null ? 3 : 2, run.Planned);
        Assert.Equal(2, (await app.ShipmentsOfTradeAsync(ordinary, TestSettings.OperatorAuth())).Length);
        Assert.Equal(opens is null ? 1 : 0, (await app.ShipmentsOfTradeAsync(forever, TestSettings.OperatorAuth())).Length);
    }

    [Fact]
    public async Task Without_a_fleet_a_leg_available_only_at_the_end_of_the_calendar_is_still_planned()
    {
        var (a, b, _) = Towns.Fresh();
        var trade = Guid.NewGuid();

        await app.PublishAsync(Towns.Swap(trade, a, b, DateTimeOffset.MaxValue.AddSeconds(-1)));

        Assert.Equal(2, (await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth())).Length);
    }

    [Fact]
    public async Task The_carrier_reports_a_stop_done_and_every_load_there_is_picked_up()
    {
        var (roanne, lyon, trade, legs) = await app.PlannedSwapInRoannesVanAsync();
        var shipment = legs[0];
        var pickupStop = shipment.Stops.Single(s => s.Action == "pickup").Sequence;
        var deliveryStop = shipment.Stops.Single(s => s.Action == "delivery").Sequence;

        var byStranger = await app.SendAsync(HttpMethod.Post, $"/api/logistics/routes/{shipment.RouteId}/stops/{pickupStop}/done", TestSettings.TownAuth(lyon));
        // Who calls is checked before what they send: a stranger's malformed codes learn nothing but that there is no route.
        var strangersCodes = await app.SendAsync(HttpMethod.Post, $"/api/logistics/routes/{shipment.RouteId}/stops/{deliveryStop}/done",
            TestSettings.TownAuth(lyon), new { handoverCodes = new[] { "xx" } });
        Assert.Equal(HttpStatusCode.NotFound, strangersCodes.StatusCode);
        var picked = await app.SendAsync(HttpMethod.Post, $"/api/logistics/routes/{shipment.RouteId}/stops/{pickupStop}/done", TestSettings.TownAuth(roanne));
        var withoutCode = await app.SendAsync(HttpMethod.Post, $"/api/logistics/routes/{shipment.RouteId}/stops/{deliveryStop}/done", TestSettings.TownAuth(roanne));
        // One code per unload at the stop (one here): a list of guesses is refused before any is tried.
        var guesses = await app.SendAsync(HttpMethod.Post, $"/api/logistics/routes/{shipment.RouteId}/stops/{deliveryStop}/done", TestSettings.TownAuth(roanne),
            new { handoverCodes = new[] { "AAAA-AAAA", "BBBB-BBBB" } });
        Assert.Equal(HttpStatusCode.BadRequest, guesses.StatusCode);
        Assert.Contains("handoverCodes", (await guesses.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ValidationProblemDetails>())!.Errors.Keys);
        var delivered = await app.SendAsync(HttpMethod.Post, $"/api/logistics/routes/{shipment.RouteId}/stops/{deliveryStop}/done", TestSettings.TownAuth(roanne),
            new { handoverCodes = new[] { await app.HandoverCodeAsync(shipment.Id) } });

        Assert.Equal(HttpStatusCode.NotFound, byStranger.StatusCode);
        Assert.Equal(HttpStatusCode.OK, picked.StatusCode);
        // The receiving town's code is the proof the goods arrived: without it the unload is reported and not taken. (Lyon's
        // stop also loads leg 1, unloads first: that load is picked up whatever the codes.)
        var refused = Assert.Single((await withoutCode.Content.ReadFromJsonAsync<StopReportItem[]>(LogisticsApp.Json))!, i => i.ShipmentId == shipment.Id);
        Assert.Equal(("unproven", ShipmentStatus.PickedUp), (refused.Outcome, refused.Status));
        Assert.Contains("handover code", refused.Why);
        // The hint names the field of the request it answers: a stop report sends its codes as handoverCodes.
        Assert.Contains("(handoverCodes)", refused.Why);
        Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
        Assert.Equal("applied", Assert.Single((await delivered.Content.ReadFromJsonAsync<StopReportItem[]>(LogisticsApp.Json))!, i => i.ShipmentId == shipment.Id).Outcome);
        // A driver's app retrying after a lost answer sends the same codes: the unload is repeated, not refused.
        var retried = await app.SendAsync(HttpMethod.Post, $"/api/logistics/routes/{shipment.RouteId}/stops/{deliveryStop}/done", TestSettings.TownAuth(roanne),
            new { handoverCodes = new[] { await app.HandoverCodeAsync(shipment.Id) } });
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal("repeated", Assert.Single((await retried.Content.ReadFromJsonAsync<StopReportItem[]>(LogisticsApp.Json))!, i => i.ShipmentId == shipment.Id).Outcome);
        var evt = await app.PublishedAsync<ShipmentDelivered>(e => e.ShipmentId == shipment.Id);
        Assert.Equal((trade, 0), (evt.TradeId, evt.LegIndex));
    }

    [Fact]
    public async Task A_sender_that_does_not_carry_its_goods_cannot_report_their_delivery()
    {
        var (roanne, lyon, trade, legs) = await app.PlannedSwapInRoannesVanAsync();
        var leg = legs[1]; // from Lyon to Roanne in Roanne's van
        Assert.Equal((lyon, roanne, roanne), (leg.FromTown, leg.ToTown, leg.CarrierTown));
        Assert.Equal(HttpStatusCode.OK, (await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{leg.Id}/pickup", TestSettings.TownAuth(roanne))).StatusCode);

        var bySender = await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{leg.Id}/delivery", TestSettings.TownAuth(lyon),
            new { handoverCode = await app.HandoverCodeAsync(leg.Id) });

        Assert.Equal(HttpStatusCode.Forbidden, bySender.StatusCode);
        Assert.Equal(ShipmentStatus.PickedUp, (await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth())).Single(s => s.LegIndex == 1).Status);
        // The van's town is the receiver here, so its own report is the receipt.
        Assert.Equal(HttpStatusCode.OK, (await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{leg.Id}/delivery", TestSettings.TownAuth(roanne))).StatusCode);
    }

    [Fact]
    public async Task A_vehicle_cannot_shrink_under_or_stop_chilling_the_goods_planned_on_it_but_may_otherwise_change()
    {
        var (roanne, lyon, _) = Towns.Fresh();
        var van = await app.RegisterAsync(TestSettings.TownAuth(roanne), Fleet.Van(Towns.Roanne, capacityKg: 2000));
        // 40 kg of cheese to Lyon, 900 kg of firewood back: never more than 940 kg on board.
        await app.PublishAsync(Towns.SwapBetween(Guid.NewGuid(), roanne, Towns.Roanne, lyon, Towns.Lyon));
        await app.PlanAsync();
        var path = $"/api/logistics/vehicles/{van.Id}";

        var tooSmall = await app.SendAsync(HttpMethod.Put, path, TestSettings.TownAuth(roanne), Fleet.Van(Towns.Roanne, capacityKg: 10));
        var notChilled = await app.SendAsync(HttpMethod.Put, path, TestSettings.OperatorAuth(), Fleet.Van(Towns.Roanne, chilled: false));
        var smallerButEnough = await app.SendAsync(HttpMethod.Put, path, TestSettings.TownAuth(roanne), Fleet.Van(Towns.Roanne, capacityKg: 950, name: "small van"));

        Assert.Equal(HttpStatusCode.Conflict, tooSmall.StatusCode);
        Assert.Contains("capacityKg", (await tooSmall.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>())!.Detail);
        Assert.Equal(HttpStatusCode.Conflict, notChilled.StatusCode);
        Assert.Contains("chilled", (await notChilled.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>())!.Detail);
        Assert.Equal(HttpStatusCode.OK, smallerButEnough.StatusCode);
        var stored = (await (await app.SendAsync(HttpMethod.Get, path, TestSettings.OperatorAuth())).Content.ReadFromJsonAsync<VehicleView>(LogisticsApp.Json))!;
        Assert.Equal((950.0, true, "small van"), (stored.CapacityKg, stored.Chilled, stored.Name));
    }

    [Fact]
    public async Task Each_code_a_stop_report_tries_against_a_shipment_counts_as_one_guess_and_a_right_code_is_no_guess_for_the_others()
    {
        var (roanne, lyon, _) = Towns.Fresh();
        await app.RegisterAsync(TestSettings.TownAuth(roanne), Fleet.Van(Towns.Roanne));
        // Two legs of goods from Roanne to Lyon: one stop unloads both.
        var trade = Guid.NewGuid();
        await app.PublishAsync(new TradeAgreed(trade,
        [
            new TradeLeg(0, roanne, lyon, "offer-a", "need-b", "cheese", 40, 400, 40, Towns.Roanne, Towns.Lyon, null, null),
            new TradeLeg(1, roanne, lyon, "offer-c", "need-d", "eggs", 10, 400, 10, Towns.Roanne, Towns.Lyon, null, null),
        ]));
        await app.PlanAsync();
        var toLyon = (await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth())).ToList();
        var route = Assert.Single(toLyon.Select(s => s.RouteId).Distinct());
        var stop = Assert.Single(toLyon.Select(s => s.Stops.Single(x => x.Action == "delivery").Sequence).Distinct());
        var pickup = Assert.Single(toLyon.Select(s => s.Stops.Single(x => x.Action == "pickup").Sequence).Distinct());
        Assert.Equal(HttpStatusCode.OK, (await app.SendAsync(HttpMethod.Post, $"/api/logistics/routes/{route}/stops/{pickup}/done", TestSettings.TownAuth(roanne))).StatusCode);
        var path = $"/api/logistics/routes/{route}/stops/{stop}/done";

        var guesses = await app.SendAsync(HttpMethod.Post, path, TestSettings.TownAuth(roanne), new { handoverCodes = new[] { "AAAA-AAA0", "AAAA-AAA1" } });
        var oneRight = await app.SendAsync(HttpMethod.Post, path, TestSettings.TownAuth(roanne),
            new { handoverCodes = new[] { await app.HandoverCodeAsync(toLyon[0].Id), "AAAA-AAA2" } });

        var first1 = (await guesses.Content.ReadFromJsonAsync<StopReportItem[]>(LogisticsApp.Json))!.Where(r => r.Action == "delivery").ToList();
        Assert.Equal(2, first1.Count);
        Assert.All(first1, r => Assert.Contains("8 more wrong codes", r.Why));
        var second1 = (await oneRight.Content.ReadFromJsonAsync<StopReportItem[]>(LogisticsApp.Json))!.Where(r => r.Action == "delivery").ToDictionary(r => r.ShipmentId);
        Assert.Equal("applied", second1[toLyon[0].Id].Outcome);
        // Only the code that was nobody's counted against the other shipment.
        Assert.Contains("7 more wrong codes", second1[toLyon[1].Id].Why);
        // The same right code twice is one code, and no guess against the other shipment.
        var twice = await app.SendAsync(HttpMethod.Post, path, TestSettings.TownAuth(roanne),
            new { handoverCodes = new[] { await app.HandoverCodeAsync(toLyon[1].Id), (await app.HandoverCodeAsync(toLyon[1].Id)).ToLowerInvariant() } });
        Assert.Equal("applied", (await twice.Content.ReadFromJsonAsync<StopReportItem[]>(LogisticsApp.Json))!.Single(r => r.ShipmentId == toLyon[1].Id).Outcome);
    }
}
