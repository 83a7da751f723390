using System.Net;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using TradeNet.Contracts;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Storage;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.Component;

/// <summary>gRPC StopTrade on direct trips (no fleet in this host): logistics decides whether a trade's goods can still
/// be stopped, where the pickups are recorded.</summary>
public class StopTradeTests(LogisticsApp app) : IClassFixture<LogisticsApp>
{
    private async Task<(Guid Trade, string A, string B, TradeAgreed Agreed)> AgreedSwapAsync()
    {
        var (a, b, _) = Towns.Fresh();
        var trade = Guid.NewGuid();
        var agreed = Towns.Swap(trade, a, b);
        await app.PublishAsync(agreed);
        return (trade, a, b, agreed);
    }

    private async Task<ShipmentStatus> StatusOfLegAsync(Guid trade, int leg) =>
        (await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth())).Single(s => s.LegIndex == leg).Status;

    private Task<HttpResponseMessage> ReportAsync(Guid trade, int leg, string town, string step) => Task.Run(async () =>
    {
        var shipment = (await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth())).Single(s => s.LegIndex == leg);
        return step == "delivery" ? await app.DeliverAsync(shipment.Id, town)
            : await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{shipment.Id}/{step}", TestSettings.TownAuth(town));
    });

    private Task<IReadOnlyList<TransferOrder>> TransfersAsync(Guid trade) =>
        app.Services.GetRequiredService<ILogisticsStore>().TransfersOfTradeAsync(trade);

    [Fact]
    public async Task A_trade_with_a_leg_picked_up_is_refused_naming_that_leg_and_nothing_is_written()
    {
        var (trade, a, b, _) = await AgreedSwapAsync();
        Assert.Equal(HttpStatusCode.OK, (await ReportAsync(trade, 0, a, "pickup")).StatusCode);
        var transfersBefore = await TransfersAsync(trade);

        var reply = await app.StopTradeAsync(trade);

        Assert.False(reply.Stopped);
        Assert.Equal([0], reply.LegsOnTheRoad);
        Assert.Empty(reply.DeliveredLegs);
        Assert.Equal(ShipmentStatus.Planned, await StatusOfLegAsync(trade, 1));
        Assert.Equal(transfersBefore, await TransfersAsync(trade));
        // Not remembered as stopped either: the other leg's carrier still sets off.
        Assert.Equal(HttpStatusCode.OK, (await ReportAsync(trade, 1, b, "pickup")).StatusCode);
    }

    [Fact]
    public async Task A_stopped_trade_cancels_what_has_not_left_answers_the_delivered_legs_and_then_refuses_a_pickup_with_a_409()
    {
        var (trade, a, b, _) = await AgreedSwapAsync();
        Assert.Equal(HttpStatusCode.OK, (await ReportAsync(trade, 0, a, "pickup")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ReportAsync(trade, 0, a, "delivery")).StatusCode);
        var deliveredAt = (await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth())).Single(s => s.LegIndex == 0).DeliveredAt!.Value;

        var reply = await app.StopTradeAsync(trade);

        Assert.True(reply.Stopped);
        Assert.Empty(reply.LegsOnTheRoad);
        var delivered = Assert.Single(reply.DeliveredLegs);
        Assert.Equal((0, deliveredAt.ToUnixTimeMilliseconds()), (delivered.LegIndex, delivered.DeliveredAt.ToDateTimeOffset().ToUnixTimeMilliseconds()));
        Assert.Equal(ShipmentStatus.Cancelled, await StatusOfLegAsync(trade, 1));
        Assert.Equal([TransferStatus.Delivered, TransferStatus.Cancelled], (await TransfersAsync(trade)).OrderBy(t => t.LegIndex).Select(t => t.Status));

        var pickup = await ReportAsync(trade, 1, b, "pickup");

        Assert.Equal(HttpStatusCode.Conflict, pickup.StatusCode);
        Assert.Contains("cancelled", await pickup.Content.ReadAsStringAsync());
        Assert.Equal(ShipmentStatus.Cancelled, await StatusOfLegAsync(trade, 1));
        Assert.Empty(app.Published<ShipmentPickedUp>(e => e.TradeId == trade && e.LegIndex == 1));
    }

    [Fact]
    public async Task Asking_again_for_a_stopped_trade_answers_the_same_and_the_TradeCancelled_that_follows_changes_nothing()
    {
        var (trade, a, _, agreed) = await AgreedSwapAsync();
        Assert.Equal(HttpStatusCode.OK, (await ReportAsync(trade, 0, a, "pickup")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ReportAsync(trade, 0, a, "delivery")).StatusCode);
        var first = await app.StopTradeAsync(trade);
        var shipments = await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth());

        var again = await app.StopTradeAsync(trade, "cancelled by operator ops: retried after a timeout");
        await app.PublishAsync(new TradeCancelled(trade, "cancelled by operator ops: stuck", true, agreed.Legs, [0]));
        var afterEvent = await app.StopTradeAsync(trade);

        Assert.True(first.Stopped);
        Assert.Equal(first, again);
        Assert.Equal(first, afterEvent);
        Assert.Equal(shipments.Select(s => (s.Id, s.Status, s.RouteId)),
            (await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth())).Select(s => (s.Id, s.Status, s.RouteId)));
    }

    [Fact]
    public async Task The_first_stop_of_a_trade_tells_matching_through_the_outbox_with_the_arrived_legs_and_a_repeat_or_refusal_does_not()
    {
        var (trade, a, b, _) = await AgreedSwapAsync();
        Assert.Equal(HttpStatusCode.OK, (await ReportAsync(trade, 1, b, "pickup")).StatusCode);
        Assert.False((await app.StopTradeAsync(trade)).Stopped);
        Assert.Equal(HttpStatusCode.OK, (await ReportAsync(trade, 1, b, "delivery")).StatusCode);

        var first = await app.StopTradeAsync(trade, "cancelled by operator ops: road closed");
        await app.StopTradeAsync(trade, "cancelled by operator ops: retried");

        Assert.True(first.Stopped);
        var stopped = await app.PublishedAsync<TradeStopped>(e => e.TradeId == trade);
        Assert.Equal("cancelled by operator ops: road closed", stopped.Reason);
        Assert.Equal([(1, first.DeliveredLegs[0].DeliveredAt.ToDateTimeOffset())], stopped.ArrivedLegs.Select(l => (l.LegIndex, l.At!.Value)));
        await Task.Delay(300);
        Assert.Single(app.Published<TradeStopped>(e => e.TradeId == trade));
        Assert.Equal(HttpStatusCode.Conflict, (await ReportAsync(trade, 0, a, "pickup")).StatusCode);
    }

    [Fact]
    public async Task A_trade_logistics_has_not_heard_of_is_stopped_and_its_late_agreement_creates_nothing()
    {
        var (a, b, _) = Towns.Fresh();
        var trade = Guid.NewGuid();

        var reply = await app.StopTradeAsync(trade);
        await app.PublishAsync(Towns.Swap(trade, a, b));

        Assert.True(reply.Stopped);
        Assert.Empty(reply.LegsOnTheRoad);
        Assert.Empty(reply.DeliveredLegs);
        Assert.Empty(await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth()));
        Assert.Empty(await TransfersAsync(trade));
    }

    [Fact]
    public async Task A_town_operator_or_anonymous_caller_is_refused_and_the_trade_keeps_moving()
    {
        var (trade, a, _, _) = await AgreedSwapAsync();

        // Operators cancel through matching, which asks with its service token; the gateway forwards no gRPC.
        var asOperator = await Assert.ThrowsAsync<RpcException>(() => app.StopTradeAsync(trade, auth: TestSettings.OperatorAuth()));
        var asTown = await Assert.ThrowsAsync<RpcException>(() => app.StopTradeAsync(trade, auth: TestSettings.TownAuth(a)));
        var anonymous = await Assert.ThrowsAsync<RpcException>(() => app.GrpcClient().StopTradeAsync(
            new Contracts.Grpc.StopTradeRequest { TradeId = trade.ToString(), Reason = "stuck" }, deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, asOperator.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, asTown.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ReportAsync(trade, 0, a, "pickup")).StatusCode);
    }

    [Theory]
    [InlineData("gateway")]
    [InlineData("catalog")]
    public async Task Only_matching_stops_a_trade_another_service_is_refused_and_the_trade_keeps_moving(string service)
    {
        var (trade, a, _, _) = await AgreedSwapAsync();

        // Any service's token passed: the gateway (the one exposed at the edge) or catalog cancelled a trade's shipments
        // that matching still held agreed, and matching heard of it only from the outbox.
        var refused = await Assert.ThrowsAsync<RpcException>(() => app.StopTradeAsync(trade, auth: TestSettings.ServiceAuth(service)));

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Contains("matching", refused.Status.Detail);
        Assert.Equal(HttpStatusCode.OK, (await ReportAsync(trade, 0, a, "pickup")).StatusCode);
    }

    [Theory]
    [InlineData("not-a-guid", "stuck", "trade_id")]
    [InlineData("", "stuck", "trade_id")]
    [InlineData("7d1b5a54-2c43-4c6e-9d43-0a2f8d1e0b11", "  ", "reason")]
    [InlineData("7d1b5a54-2c43-4c6e-9d43-0a2f8d1e0b11", "stuck\nINFO forged", "reason")]
    [InlineData("7d1b5a54-2c43-4c6e-9d43-0a2f8d1e0b11", "\u200B", "reason")]
    public async Task A_malformed_trade_id_or_reason_is_an_invalid_argument_naming_it(string tradeId, string reason, string field)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => app.GrpcClient().StopTradeAsync(
            new Contracts.Grpc.StopTradeRequest { TradeId = tradeId, Reason = reason },
            new Metadata { { "authorization", TestSettings.ServiceAuth("matching").ToString() } }, DateTime.UtcNow.AddSeconds(30)).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith(field, error.Status.Detail);
    }

    [Fact]
    public async Task A_pickup_racing_the_stop_either_wins_and_the_stop_is_refused_or_loses_with_a_409_never_both_succeed()
    {
        for (var round = 0; round < 10; round++)
        {
            var (trade, a, _, _) = await AgreedSwapAsync();
            var shipment = (await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth())).Single(s => s.LegIndex == 0);

            var pickup = Task.Run(() => app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{shipment.Id}/pickup", TestSettings.TownAuth(a)));
            var stop = Task.Run(() => app.StopTradeAsync(trade));
            var (picked, stopped) = (await pickup, await stop);

            // The race QA found ended with both: a cancelled trade whose goods were then delivered.
            if (stopped.Stopped)
            {
                Assert.Equal(HttpStatusCode.Conflict, picked.StatusCode);
                Assert.Equal(ShipmentStatus.Cancelled, await StatusOfLegAsync(trade, 0));
            }
            else
            {
                Assert.Equal(HttpStatusCode.OK, picked.StatusCode);
                Assert.Equal([0], stopped.LegsOnTheRoad);
                Assert.Equal(ShipmentStatus.Planned, await StatusOfLegAsync(trade, 1));
            }
        }
    }
}
