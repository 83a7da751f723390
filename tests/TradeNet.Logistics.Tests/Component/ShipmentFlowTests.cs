using System.Net;
using MassTransit;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using TradeNet.Contracts;
using TradeNet.Logistics.Api;
using TradeNet.Logistics.Domain;
using TradeNet.Shared.Hosting;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.Component;

public class ShipmentFlowTests(LogisticsApp app) : IClassFixture<LogisticsApp>
{
    private async Task<(Guid Trade, string A, string B, ShipmentView[] Shipments)> AgreedSwapAsync()
    {
        var (a, b, _) = Towns.Fresh();
        var trade = Guid.NewGuid();
        await app.PublishAsync(Towns.Swap(trade, a, b));
        var shipments = await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth());
        return (trade, a, b, shipments);
    }

    private int Published<T>(Func<T, bool> match) where T : class => app.Published(match).Count;

    [Fact]
    public async Task An_agreed_trade_becomes_one_planned_direct_shipment_per_leg()
    {
        var (trade, a, b, shipments) = await AgreedSwapAsync();

        Assert.Equal(new[] { 0, 1 }, shipments.Select(s => s.LegIndex).Order());
        var first = shipments.Single(s => s.LegIndex == 0);
        Assert.Equal((a, b, a, $"direct-{a}", ShipmentStatus.Planned), (first.FromTown, first.ToTown, first.CarrierTown, first.VehicleId, first.Status));
        var km = Geo.RoadKm(Towns.Roanne.Lat, Towns.Roanne.Lon, Towns.Lyon.Lat, Towns.Lyon.Lon);
        Assert.Equal(km, first.DistanceKm, 6);
        Assert.Equal(km * 0.5, first.Cost, 6);
        // To the second, rounded up (route plans give whole seconds too).
        Assert.InRange(first.Eta, first.CreatedAt + TimeSpan.FromHours(km / 60), first.CreatedAt + TimeSpan.FromHours(km / 60) + TimeSpan.FromSeconds(1));
        Assert.Equal(new[] { "pickup", "delivery" }, first.Stops.Select(s => s.Action));

        foreach (var shipment in shipments)
        {
            var planned = await app.PublishedAsync<ShipmentPlanned>(e => e.ShipmentId == shipment.Id);
            Assert.Equal((trade, shipment.LegIndex, shipment.VehicleId, shipment.RouteId, shipment.Eta),
                (planned.TradeId, planned.LegIndex, planned.VehicleId, planned.RouteId, planned.EstimatedDelivery));
            Assert.Equal(shipment.Stops, planned.Stops);
        }
    }

    [Fact]
    public async Task A_redelivered_trade_agreement_plans_nothing_new()
    {
        var (a, b, _) = Towns.Fresh();
        var trade = Guid.NewGuid();
        var messageId = Guid.NewGuid();
        await app.PublishAsync(Towns.Swap(trade, a, b), messageId);
        await app.OutboxDrainedAsync();
        Assert.Equal(2, Published<ShipmentPlanned>(e => e.TradeId == trade));

        await app.PublishAsync(Towns.Swap(trade, a, b), messageId);
        await app.OutboxDrainedAsync();

        Assert.Equal(2, (await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth())).Length);
        Assert.Equal(2, Published<ShipmentPlanned>(e => e.TradeId == trade));
    }

    [Fact]
    public async Task The_same_trade_agreed_again_under_a_new_message_id_still_gets_one_shipment_per_leg()
    {
        var (trade, a, b, _) = await AgreedSwapAsync();

        await app.PublishAsync(Towns.Swap(trade, a, b));

        Assert.Equal(2, (await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth())).Length);
    }

    [Fact]
    public async Task Each_town_sees_the_shipments_it_sends_or_receives_and_no_others()
    {
        var (trade, a, b, shipments) = await AgreedSwapAsync();
        var (stranger, _, _) = Towns.Fresh();

        Assert.Equal(2, (await app.ShipmentsOfTradeAsync(trade, TestSettings.TownAuth(a))).Length);
        Assert.Equal(2, (await app.ShipmentsOfTradeAsync(trade, TestSettings.TownAuth(b))).Length);
        Assert.Empty(await app.ShipmentsOfTradeAsync(trade, TestSettings.TownAuth(stranger)));
        var ownShipment = await app.SendAsync(HttpMethod.Get, $"/api/logistics/shipments/{shipments[0].Id}", TestSettings.TownAuth(b));
        var hidden = await app.SendAsync(HttpMethod.Get, $"/api/logistics/shipments/{shipments[0].Id}", TestSettings.TownAuth(stranger));
        Assert.Equal(HttpStatusCode.OK, ownShipment.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
    }

    [Fact]
    public async Task The_towns_of_a_trade_read_its_transfers_and_a_stranger_learns_nothing()
    {
        var (trade, a, b, _) = await AgreedSwapAsync();
        var (stranger, _, _) = Towns.Fresh();
        var path = $"/api/logistics/trades/{trade}/transfers";

        var ofGiver = await app.SendAsync(HttpMethod.Get, path, TestSettings.TownAuth(a));
        var ofStranger = await app.SendAsync(HttpMethod.Get, path, TestSettings.TownAuth(stranger));
        var badId = await app.SendAsync(HttpMethod.Get, "/api/logistics/trades/not-a-trade/transfers", TestSettings.OperatorAuth());

        Assert.Equal(HttpStatusCode.OK, ofGiver.StatusCode);
        var transfers = (await ofGiver.Content.ReadFromJsonAsync<TransferView[]>(LogisticsApp.Json))!;
        Assert.Equal(new[] { (0, a, b), (1, b, a) }, transfers.Select(t => (t.LegIndex, t.FromTown, t.ToTown)));
        Assert.All(transfers, t => Assert.Equal(TransferStatus.Planned, t.Status));
        Assert.Equal(HttpStatusCode.NotFound, ofStranger.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badId.StatusCode);
        Assert.Contains("tradeId", (await badId.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys);
    }

    [Fact]
    public async Task The_carrier_reports_pickup_and_delivery_and_everyone_hears_once_and_the_leg_is_delivered()
    {
        var (trade, a, _, shipments) = await AgreedSwapAsync();
        var leg = shipments.Single(s => s.CarrierTown == a);

        var pickup = await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{leg.Id}/pickup", TestSettings.TownAuth(a));
        var delivery = await app.DeliverAsync(leg.Id, a);
        var again = await app.DeliverAsync(leg.Id, a);

        Assert.Equal(HttpStatusCode.OK, pickup.StatusCode);
        Assert.Equal(ShipmentStatus.PickedUp, (await pickup.Content.ReadFromJsonAsync<ShipmentView>(LogisticsApp.Json))!.Status);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var delivered = (await delivery.Content.ReadFromJsonAsync<ShipmentView>(LogisticsApp.Json))!;
        Assert.Equal(ShipmentStatus.Delivered, delivered.Status);
        Assert.NotNull(delivered.DeliveredAt);
        await app.PublishedAsync<ShipmentPickedUp>(e => e.ShipmentId == leg.Id && e.TradeId == trade);
        await app.PublishedAsync<ShipmentDelivered>(e => e.ShipmentId == leg.Id && e.LegIndex == leg.LegIndex);
        await app.OutboxDrainedAsync();
        Assert.Equal(1, Published<ShipmentDelivered>(e => e.ShipmentId == leg.Id));
        var transfers = await app.SendAsync(HttpMethod.Get, $"/api/logistics/trades/{trade}/transfers", TestSettings.OperatorAuth());
        var status = (await transfers.Content.ReadFromJsonAsync<TransferView[]>(LogisticsApp.Json))!.ToDictionary(t => t.LegIndex, t => t.Status);
        Assert.Equal(TransferStatus.Delivered, status[leg.LegIndex]);
        Assert.Equal(TransferStatus.Planned, status[1 - leg.LegIndex]);
    }

    [Fact]
    public async Task An_operator_may_report_for_any_carrier()
    {
        var (_, _, _, shipments) = await AgreedSwapAsync();

        var pickup = await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{shipments[0].Id}/pickup", TestSettings.OperatorAuth());

        Assert.Equal(HttpStatusCode.OK, pickup.StatusCode);
    }

    [Fact]
    public async Task A_town_that_does_not_carry_a_shipment_cannot_report_on_it_and_to_a_town_outside_it_it_does_not_exist()
    {
        var (_, a, b, shipments) = await AgreedSwapAsync();
        var (stranger, _, _) = Towns.Fresh();
        var leg = shipments.Single(s => s.CarrierTown == a);

        var byReceiver = await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{leg.Id}/pickup", TestSettings.TownAuth(b));
        var byStranger = await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{leg.Id}/delivery", TestSettings.TownAuth(stranger));
        var byService = await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{leg.Id}/pickup", TestSettings.ServiceAuth("matching"));

        Assert.Equal(HttpStatusCode.Forbidden, byReceiver.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, byStranger.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byService.StatusCode);
        var unchanged = await app.ShipmentsOfTradeAsync(leg.TradeId, TestSettings.OperatorAuth());
        Assert.All(unchanged, s => Assert.Equal(ShipmentStatus.Planned, s.Status));
    }

    [Fact]
    public async Task A_shipment_cannot_be_delivered_before_it_is_picked_up()
    {
        var (_, a, _, shipments) = await AgreedSwapAsync();
        var leg = shipments.Single(s => s.CarrierTown == a);

        var response = await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{leg.Id}/delivery", TestSettings.TownAuth(a));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Contains("not been picked up", problem!.Detail);
    }

    [Fact]
    public async Task A_failure_needs_a_reason_and_is_announced_with_it()
    {
        var (_, a, _, shipments) = await AgreedSwapAsync();
        var leg = shipments.Single(s => s.CarrierTown == a);

        var noReason = await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{leg.Id}/failure", TestSettings.TownAuth(a), new { reason = " " });
        var failed = await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{leg.Id}/failure", TestSettings.TownAuth(a), new { reason = "the van broke down" });
        var pickupAfter = await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{leg.Id}/pickup", TestSettings.TownAuth(a));

        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("reason", (await noReason.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys);
        Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        Assert.Equal("the van broke down", (await failed.Content.ReadFromJsonAsync<ShipmentView>(LogisticsApp.Json))!.FailureReason);
        Assert.Equal(HttpStatusCode.Conflict, pickupAfter.StatusCode);
        await app.PublishedAsync<ShipmentFailed>(e =>
            e.ShipmentId == leg.Id && e.Reason == "the van broke down");
    }

    [Theory]
    [InlineData("shipment", "bridge out\u0000")]
    [InlineData("shipment", "\u001b[2Jbridge out")]
    [InlineData("shipment", "bridge out\nINFO forged log line")]
    [InlineData("stop", "bridge out\u0000")]
    [InlineData("stop", "\u001b[31mbridge out")]
    [InlineData("stop", "bridge out\u2029INFO forged log line")]
    [InlineData("shipment", "\u202Etuo egdirb")] // reads "bridge out" reversed
    [InlineData("shipment", "\u200B")] // displays as nothing, yet Trim keeps it
    [InlineData("stop", "\uFEFF\u00AD")]
    [InlineData("stop", "\u0301")]
    public async Task A_failure_reason_with_control_characters_or_nothing_to_read_is_a_400_naming_reason_and_changes_nothing(string at, string reason)
    {
        var (_, a, _, shipments) = await AgreedSwapAsync();
        var leg = shipments.Single(s => s.CarrierTown == a);
        var path = at == "shipment" ? $"/api/logistics/shipments/{leg.Id}/failure" : $"/api/logistics/routes/{leg.RouteId}/stops/1/failure";

        var response = await app.SendAsync(HttpMethod.Post, path, TestSettings.TownAuth(a), new { reason });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!;
        Assert.Equal(["reason"], problem.Errors.Keys);
        Assert.DoesNotContain("bridge out", problem.Detail);
        var after = await app.ShipmentsOfTradeAsync(leg.TradeId, TestSettings.OperatorAuth());
        Assert.Equal(ShipmentStatus.Planned, after.Single(s => s.Id == leg.Id).Status);
        Assert.Empty(app.Published<ShipmentFailed>(e => e.ShipmentId == leg.Id));
    }

    [Fact]
    public async Task A_failed_leg_is_planned_again_so_its_goods_can_still_be_delivered()
    {
        var (trade, a, _, shipments) = await AgreedSwapAsync();
        var failed = shipments.Single(s => s.CarrierTown == a);
        await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{failed.Id}/pickup", TestSettings.TownAuth(a));
        await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{failed.Id}/failure", TestSettings.TownAuth(a), new { reason = "the van broke down" });

        var run = await app.SendAsync(HttpMethod.Post, "/api/logistics/plans", TestSettings.OperatorAuth());

        Assert.Equal(HttpStatusCode.OK, run.StatusCode);
        var again = (await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth()))
            .SingleOrDefault(s => s.LegIndex == failed.LegIndex && s.Id != failed.Id);
        Assert.NotNull(again);
        Assert.Equal(ShipmentStatus.Planned, again.Status);
        await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{again.Id}/pickup", TestSettings.TownAuth(again.CarrierTown));
        var delivered = await app.DeliverAsync(again.Id, again.CarrierTown);
        Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
        await app.PublishedAsync<ShipmentDelivered>(e => e.TradeId == trade && e.LegIndex == failed.LegIndex && e.ShipmentId == again.Id);
    }

    [Fact]
    public async Task A_cancelled_trade_does_not_plan_its_failed_leg_again()
    {
        var (trade, a, b, shipments) = await AgreedSwapAsync();
        var failed = shipments.Single(s => s.CarrierTown == a);
        await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{failed.Id}/failure", TestSettings.TownAuth(a), new { reason = "the van broke down" });

        await app.PublishAsync(new TradeCancelled(trade, "an operator cancelled it", true, Towns.Swap(trade, a, b).Legs));
        await app.SendAsync(HttpMethod.Post, "/api/logistics/plans", TestSettings.OperatorAuth());

        var after = await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth());
        Assert.Equal(2, after.Length);
        Assert.DoesNotContain(after, s => s.Status == ShipmentStatus.Planned);
    }

    /// <summary>The other order: goods on the road when the trade is cancelled without a stop asked first (a proposal's
    /// sender, an older one) finish their trip or fail; a failure then neither plans the leg again nor leaves it reading
    /// as planned, with no shipment left to move it.</summary>
    [Fact]
    public async Task A_leg_whose_goods_fail_after_its_trade_was_cancelled_is_cancelled_and_never_planned_again()
    {
        var (trade, a, b, shipments) = await AgreedSwapAsync();
        var onTheRoad = shipments.Single(s => s.CarrierTown == a);
        await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{onTheRoad.Id}/pickup", TestSettings.TownAuth(a));
        await app.PublishAsync(new TradeCancelled(trade, "an older sender cancelled it", true, Towns.Swap(trade, a, b).Legs));

        var failed = await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{onTheRoad.Id}/failure", TestSettings.TownAuth(a),
            new { reason = "the receiver was closed" });
        await app.SendAsync(HttpMethod.Post, "/api/logistics/plans", TestSettings.OperatorAuth());

        Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        var after = await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth());
        Assert.Equal(2, after.Length);
        Assert.DoesNotContain(after, s => s.Status == ShipmentStatus.Planned);
        var transfers = await app.SendAsync(HttpMethod.Get, $"/api/logistics/trades/{trade}/transfers", TestSettings.OperatorAuth());
        var leg = (await transfers.Content.ReadFromJsonAsync<TransferView[]>(LogisticsApp.Json))!.Single(t => t.LegIndex == onTheRoad.LegIndex);
        Assert.Equal((TransferStatus.Cancelled, 0), (leg.Status, leg.Attempts));
    }

    [Fact]
    public async Task Concurrent_pickups_of_one_shipment_announce_it_once()
    {
        var (_, a, _, shipments) = await AgreedSwapAsync();
        var leg = shipments.Single(s => s.CarrierTown == a);

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{leg.Id}/pickup", TestSettings.TownAuth(a))));
        await app.OutboxDrainedAsync();

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, Published<ShipmentPickedUp>(e => e.ShipmentId == leg.Id));
    }

    [Fact]
    public async Task A_trade_cancelled_before_pickup_cancels_the_shipments_that_have_not_left()
    {
        var (trade, a, b, shipments) = await AgreedSwapAsync();
        var onTheRoad = shipments.Single(s => s.CarrierTown == a);
        await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{onTheRoad.Id}/pickup", TestSettings.TownAuth(a));

        await app.PublishAsync(new TradeCancelled(trade, "a town withdrew", true, Towns.Swap(trade, a, b).Legs));

        var after = await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth());
        Assert.Equal(ShipmentStatus.PickedUp, after.Single(s => s.Id == onTheRoad.Id).Status);
        var waiting = after.Single(s => s.Id != onTheRoad.Id);
        Assert.Equal(ShipmentStatus.Cancelled, waiting.Status);
        Assert.NotNull(waiting.CancelledAt);
        var pickupCancelled = await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{waiting.Id}/pickup", TestSettings.TownAuth(b));
        Assert.Equal(HttpStatusCode.Conflict, pickupCancelled.StatusCode);
    }

    [Fact]
    public async Task A_trade_cancelled_before_its_agreement_arrives_is_never_planned()
    {
        var (a, b, _) = Towns.Fresh();
        var trade = Guid.NewGuid();

        await app.PublishAsync(new TradeCancelled(trade, "expired", false, []));
        await app.PublishAsync(Towns.Swap(trade, a, b));

        Assert.Empty(await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth()));
    }

    [Fact]
    public async Task A_trade_costs_the_sum_of_its_direct_trips_and_cancelled_trips_cost_nothing()
    {
        var (trade, a, b, shipments) = await AgreedSwapAsync();
        var (stranger, _, _) = Towns.Fresh();

        var cost = await app.SendAsync(HttpMethod.Get, $"/api/logistics/trades/{trade}/cost", TestSettings.TownAuth(b));
        var hidden = await app.SendAsync(HttpMethod.Get, $"/api/logistics/trades/{trade}/cost", TestSettings.TownAuth(stranger));
        await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{shipments.Single(s => s.CarrierTown == a).Id}/pickup", TestSettings.TownAuth(a));
        await app.PublishAsync(new TradeCancelled(trade, "a town withdrew", true, []));
        var afterCancel = await app.SendAsync(HttpMethod.Get, $"/api/logistics/trades/{trade}/cost", TestSettings.ServiceAuth("matching"));

        var full = (await cost.Content.ReadFromJsonAsync<TradeTransportCost>())!;
        Assert.Equal(shipments.Sum(s => s.Cost), full.Cost, 9);
        Assert.Equal(2, full.Shipments);
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        var partial = (await afterCancel.Content.ReadFromJsonAsync<TradeTransportCost>())!;
        Assert.Equal(shipments.Single(s => s.CarrierTown == a).Cost, partial.Cost, 9);
        Assert.Equal(1, partial.Shipments);
    }

    [Theory]
    [InlineData("GET", "/api/logistics/shipments/not-a-guid", "id")]
    [InlineData("POST", "/api/logistics/shipments/not-a-guid/pickup", "id")]
    [InlineData("GET", "/api/logistics/shipments?trade=42", "trade")]
    [InlineData("GET", "/api/logistics/trades/xyz/cost", "tradeId")]
    public async Task A_malformed_id_is_a_bad_request_naming_the_field(string method, string path, string field)
    {
        var response = await app.SendAsync(new HttpMethod(method), path, TestSettings.OperatorAuth());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys);
    }

    [Fact]
    public async Task An_unreadable_failure_report_is_a_bad_request_naming_the_field()
    {
        var (_, a, _, shipments) = await AgreedSwapAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/logistics/shipments/{shipments[0].Id}/failure")
        {
            Content = new StringContent("{\"reason\": 42}", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = TestSettings.TownAuth(a);

        var response = await app.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("reason", (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
    }

    [Fact]
    public async Task A_shipment_that_does_not_exist_is_not_found()
    {
        var response = await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{Guid.NewGuid()}/pickup", TestSettings.OperatorAuth());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_caller_without_a_token_is_turned_away()
    {
        var read = await app.SendAsync(HttpMethod.Get, "/api/logistics/shipments", null);
        var write = await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{Guid.NewGuid()}/pickup", null);

        Assert.Equal(HttpStatusCode.Unauthorized, read.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, write.StatusCode);
    }
}
