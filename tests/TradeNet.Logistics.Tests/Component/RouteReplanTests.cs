using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TradeNet.Contracts;
using TradeNet.Logistics.Api;
using TradeNet.Logistics.Domain;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.Component;

/// <summary><c>POST /routes/{id}/replan</c>: an operator takes back a route that has not set out, and its legs are planned
/// afresh by the next run. There was no such action: reporting the shipments failed did it, but counted an attempt on
/// every leg (three times and they were held) and told matching of failures that never happened.</summary>
/// <remarks>A host per test: the fleet is global to a host, and each test wants only its own vehicle.</remarks>
public sealed class RouteReplanTests : IDisposable
{
    private readonly LogisticsApp app = new();

    public void Dispose() => app.Dispose();

    /// <summary>Two trades on one route of a van based in Roanne (Roanne – Tarare – Lyon).</summary>
    private async Task<(Guid[] Trades, string Roanne, Guid Route, ShipmentView[] Shipments)> SharedRouteAsync()
    {
        var (roanne, lyon, tarare) = Towns.Fresh();
        await app.RegisterAsync(TestSettings.TownAuth(roanne), Fleet.Van(Towns.Roanne));
        Guid[] trades = [Guid.NewGuid(), Guid.NewGuid()];
        await app.PublishAsync(Towns.SwapBetween(trades[0], roanne, Towns.Roanne, lyon, Towns.Lyon));
        await app.PublishAsync(Towns.SwapBetween(trades[1], tarare, Towns.Tarare, lyon, Towns.Lyon, "honey", 30));
        await app.PlanAsync();
        ShipmentView[] shipments = [.. await app.ShipmentsOfTradeAsync(trades[0], TestSettings.OperatorAuth()),
            .. await app.ShipmentsOfTradeAsync(trades[1], TestSettings.OperatorAuth())];
        return (trades, roanne, Assert.Single(shipments.Select(s => s.RouteId).Distinct()), shipments);
    }

    private Task<HttpResponseMessage> ReplanAsync(Guid route, System.Net.Http.Headers.AuthenticationHeaderValue? auth = null) =>
        app.SendAsync(HttpMethod.Post, $"/api/logistics/routes/{route}/replan", auth ?? TestSettings.OperatorAuth());

    private async Task<TransferView[]> TransfersAsync(Guid trade) =>
        (await (await app.SendAsync(HttpMethod.Get, $"/api/logistics/trades/{trade}/transfers", TestSettings.OperatorAuth()))
            .Content.ReadFromJsonAsync<TransferView[]>(LogisticsApp.Json))!;

    private static async Task<string> DetailAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;

    [Fact]
    public async Task An_operator_takes_a_route_back_its_legs_wait_as_pending_without_a_failed_attempt_and_the_next_run_plans_them_anew()
    {
        var (trades, roanne, route, before) = await SharedRouteAsync();
        var oldCode = await app.HandoverCodeAsync(before[0].Id);

        var response = await ReplanAsync(route);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var putBack = (await response.Content.ReadFromJsonAsync<TransferView[]>(LogisticsApp.Json))!;
        Assert.Equal(before.Select(s => (s.TradeId, s.LegIndex)).Order(), putBack.Select(t => (t.TradeId, t.LegIndex)).Order());
        foreach (var trade in trades)
            Assert.All(await TransfersAsync(trade), t => Assert.Equal((TransferStatus.Pending, 0), (t.Status, t.Attempts)));
        foreach (var trade in trades)
            Assert.All(await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth()), s => Assert.Equal(ShipmentStatus.Cancelled, s.Status));
        var oldRoute = await app.RouteAsync(route);
        Assert.True(oldRoute.Cancelled);
        Assert.Equal((0, 0), (oldRoute.Shipments, oldRoute.Stops.Length));
        Assert.Contains("Cancelled", await (await app.SendAsync(HttpMethod.Get, $"/api/logistics/routes/{route}/sheet.html", TestSettings.OperatorAuth()))
            .Content.ReadAsStringAsync());
        await app.OutboxDrainedAsync();
        Assert.Empty(app.Published<ShipmentFailed>(e => trades.Contains(e.TradeId)));

        var run = await app.PlanAsync();

        var after = (await app.ShipmentsOfTradeAsync(trades[0], TestSettings.OperatorAuth())).Where(s => s.Status == ShipmentStatus.Planned).ToList();
        Assert.Equal(4, run.Planned);
        Assert.Equal(2, after.Count);
        Assert.DoesNotContain(after, s => before.Any(b => b.Id == s.Id) || s.RouteId == route);
        foreach (var shipment in after) await app.PublishedAsync<ShipmentPlanned>(e => e.ShipmentId == shipment.Id);
        var leg0 = after.Single(s => s.LegIndex == 0);
        Assert.NotEqual(oldCode, await app.HandoverCodeAsync(leg0.Id));
        // The old shipment's code delivers nothing: it was cancelled.
        var stale = await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{before[0].Id}/delivery", TestSettings.TownAuth(before[0].CarrierTown),
            new { handoverCode = oldCode });
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.False((await app.RouteAsync(leg0.RouteId, TestSettings.TownAuth(roanne))).Cancelled);
    }

    [Fact]
    public async Task A_route_whose_vehicle_has_set_out_is_refused_with_a_409_saying_why_and_nothing_changes()
    {
        var (_, roanne, route, before) = await SharedRouteAsync();
        var first = (await app.RouteAsync(route)).Stops.First(s => s.Pickups.Length > 0);
        Assert.Equal(HttpStatusCode.OK, (await app.SendAsync(HttpMethod.Post, $"/api/logistics/routes/{route}/stops/{first.Sequence}/done",
            TestSettings.TownAuth(roanne))).StatusCode);

        var response = await ReplanAsync(route);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("picked-up (goods on board)", await DetailAsync(response));
        var route2 = await app.RouteAsync(route);
        Assert.False(route2.Cancelled);
        Assert.Equal(before.Length, route2.Shipments);
    }

    [Fact]
    public async Task A_route_with_a_failed_trip_is_refused_too()
    {
        var (_, _, route, before) = await SharedRouteAsync();
        Assert.Equal(HttpStatusCode.OK, (await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{before[0].Id}/failure",
            TestSettings.OperatorAuth(), new { reason = "flat tyre" })).StatusCode);

        var response = await ReplanAsync(route);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("failed", await DetailAsync(response));
    }

    [Fact]
    public async Task Asking_again_for_a_route_already_taken_back_is_a_409_saying_nothing_is_planned_on_it_any_more()
    {
        var (trades, _, route, _) = await SharedRouteAsync();
        Assert.Equal(HttpStatusCode.OK, (await ReplanAsync(route)).StatusCode);

        var again = await ReplanAsync(route);

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("nothing on it is planned any more", await DetailAsync(again));
        Assert.All(await TransfersAsync(trades[0]), t => Assert.Equal((TransferStatus.Pending, 0), (t.Status, t.Attempts)));
    }

    [Fact]
    public async Task Only_operators_re_plan_a_route_the_carrier_included_and_a_bad_or_unknown_id_is_a_400_or_404()
    {
        var (_, roanne, route, _) = await SharedRouteAsync();

        var carrier = await ReplanAsync(route, TestSettings.TownAuth(roanne));
        var service = await ReplanAsync(route, TestSettings.ServiceAuth());
        var badId = await app.SendAsync(HttpMethod.Post, "/api/logistics/routes/not-a-route/replan", TestSettings.OperatorAuth());
        var unknown = await ReplanAsync(Guid.NewGuid());

        Assert.Equal(HttpStatusCode.Forbidden, carrier.StatusCode);
        Assert.Equal("application/problem+json", carrier.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, service.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badId.StatusCode);
        Assert.True((await badId.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("id", out _));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.False((await app.RouteAsync(route)).Cancelled);
    }
}
