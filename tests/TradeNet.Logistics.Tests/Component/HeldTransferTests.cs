using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using TradeNet.Contracts;
using TradeNet.Logistics.Api;
using TradeNet.Logistics.Domain;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.Component;

/// <summary>A leg that keeps failing is held after <c>Logistics:MaxDeliveryAttempts</c> (3 here, the default) failed
/// shipments, until an operator releases it. No fleet: each planning run makes direct trips, which is quick.</summary>
public class HeldTransferTests(LogisticsApp app) : IClassFixture<LogisticsApp>
{
    private const string Held = "/api/logistics/transfers?status=held";

    private async Task<(Guid Trade, string A, string B)> AgreedSwapAsync()
    {
        var (a, b, _) = Towns.Fresh();
        var trade = Guid.NewGuid();
        await app.PublishAsync(Towns.Swap(trade, a, b));
        return (trade, a, b);
    }

    private async Task<ShipmentView[]> ShipmentsOfLegAsync(Guid trade, int leg = 0) =>
        (await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth())).Where(s => s.LegIndex == leg).ToArray();

    private async Task<ShipmentView> FailLegAsync(Guid trade, string reason = "the road is closed")
    {
        var shipment = (await ShipmentsOfLegAsync(trade)).Single(s => s.Status == ShipmentStatus.Planned);
        var response = await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{shipment.Id}/failure",
            TestSettings.TownAuth(shipment.CarrierTown), new { reason });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return shipment;
    }

    /// <summary>Fails the leg's current shipment and plans again, <paramref name="times"/> times, ending on a failure.</summary>
    private async Task FailRepeatedlyAsync(Guid trade, int times)
    {
        for (var i = 1; i <= times; i++)
        {
            await FailLegAsync(trade, $"the road is closed ({i})");
            if (i < times) await app.PlanAsync();
        }
    }

    private async Task<TransferView> TransferOfLegAsync(Guid trade, int leg = 0)
    {
        var response = await app.SendAsync(HttpMethod.Get, $"/api/logistics/trades/{trade}/transfers", TestSettings.OperatorAuth());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<TransferView[]>(LogisticsApp.Json))!.Single(t => t.LegIndex == leg);
    }

    private async Task<TransferView[]> HeldTransfersAsync()
    {
        var response = await app.SendAsync(HttpMethod.Get, Held, TestSettings.OperatorAuth());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<TransferView[]>(LogisticsApp.Json))!;
    }

    private Task<HttpResponseMessage> ReleaseAsync(Guid transferId, System.Net.Http.Headers.AuthenticationHeaderValue? auth) =>
        app.SendAsync(HttpMethod.Post, $"/api/logistics/transfers/{transferId}/release", auth);

    [Fact]
    public async Task A_leg_that_fails_three_times_is_held_and_no_planning_run_gives_it_another_shipment()
    {
        var (trade, _, _) = await AgreedSwapAsync();

        await FailRepeatedlyAsync(trade, 3);
        await app.PlanAsync();

        var shipments = await ShipmentsOfLegAsync(trade);
        Assert.Equal(3, shipments.Length);
        Assert.All(shipments, s => Assert.Equal(ShipmentStatus.Failed, s.Status));
        var transfer = await TransferOfLegAsync(trade);
        Assert.Equal((TransferStatus.Held, 3, "the road is closed (3)"), (transfer.Status, transfer.Attempts, transfer.LastFailureReason));
        Assert.NotNull(transfer.LastFailedAt);
        Assert.Equal(TransferStatus.Planned, (await TransferOfLegAsync(trade, 1)).Status);
        Assert.Contains(await HeldTransfersAsync(), t => t.Id == transfer.Id && t.Attempts == 3);
    }

    [Fact]
    public async Task A_leg_that_failed_one_time_fewer_than_the_limit_is_still_planned_again()
    {
        var (trade, _, _) = await AgreedSwapAsync();

        await FailRepeatedlyAsync(trade, 2);
        var waiting = await TransferOfLegAsync(trade);
        await app.PlanAsync();

        Assert.Equal((TransferStatus.Pending, 2), (waiting.Status, waiting.Attempts));
        Assert.Single(await ShipmentsOfLegAsync(trade), s => s.Status == ShipmentStatus.Planned);
        Assert.Equal((TransferStatus.Planned, 2), ((await TransferOfLegAsync(trade)).Status, (await TransferOfLegAsync(trade)).Attempts));
        Assert.DoesNotContain(await HeldTransfersAsync(), t => t.TradeId == trade);
    }

    [Fact]
    public async Task An_operator_releases_a_held_transfer_and_the_next_planning_run_gives_it_a_shipment()
    {
        var (trade, _, _) = await AgreedSwapAsync();
        await FailRepeatedlyAsync(trade, 3);
        var held = await TransferOfLegAsync(trade);

        var response = await ReleaseAsync(held.Id, TestSettings.OperatorAuth());
        await app.PlanAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var released = (await response.Content.ReadFromJsonAsync<TransferView>(LogisticsApp.Json))!;
        Assert.Equal((held.Id, TransferStatus.Pending, 0), (released.Id, released.Status, released.Attempts));
        Assert.Single(await ShipmentsOfLegAsync(trade), s => s.Status == ShipmentStatus.Planned);
        Assert.Equal(TransferStatus.Planned, (await TransferOfLegAsync(trade)).Status);
        Assert.DoesNotContain(await HeldTransfersAsync(), t => t.Id == held.Id);
    }

    [Fact]
    public async Task A_failure_reported_again_per_shipment_or_at_its_stop_counts_as_one_attempt()
    {
        var (trade, _, _) = await AgreedSwapAsync();
        var failed = await FailLegAsync(trade);

        var again = await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{failed.Id}/failure",
            TestSettings.TownAuth(failed.CarrierTown), new { reason = "still closed" });
        var atStop = await app.SendAsync(HttpMethod.Post, $"/api/logistics/routes/{failed.RouteId}/stops/1/failure",
            TestSettings.TownAuth(failed.CarrierTown), new { reason = "still closed" });
        await app.OutboxDrainedAsync();

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(HttpStatusCode.OK, atStop.StatusCode);
        Assert.Equal("repeated", Assert.Single((await atStop.Content.ReadFromJsonAsync<StopReportItem[]>(LogisticsApp.Json))!).Outcome);
        var transfer = await TransferOfLegAsync(trade);
        Assert.Equal((TransferStatus.Pending, 1, "the road is closed"), (transfer.Status, transfer.Attempts, transfer.LastFailureReason));
        Assert.Single(app.Published<ShipmentFailed>(e => e.ShipmentId == failed.Id));
    }

    [Fact]
    public async Task Failures_reported_at_a_route_stop_count_and_hold_the_leg_too()
    {
        var (trade, _, _) = await AgreedSwapAsync();

        for (var i = 1; i <= 3; i++)
        {
            var shipment = (await ShipmentsOfLegAsync(trade)).Single(s => s.Status == ShipmentStatus.Planned);
            var response = await app.SendAsync(HttpMethod.Post, $"/api/logistics/routes/{shipment.RouteId}/stops/2/failure",
                TestSettings.TownAuth(shipment.CarrierTown), new { reason = "the town refuses the goods" });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await app.PlanAsync();
        }

        var transfer = await TransferOfLegAsync(trade);
        Assert.Equal((TransferStatus.Held, 3, "the town refuses the goods"), (transfer.Status, transfer.Attempts, transfer.LastFailureReason));
        Assert.DoesNotContain(await ShipmentsOfLegAsync(trade), s => s.Status == ShipmentStatus.Planned);
    }

    [Fact]
    public async Task A_cancelled_trade_cancels_its_held_transfer_which_then_cannot_be_released()
    {
        var (trade, a, b) = await AgreedSwapAsync();
        await FailRepeatedlyAsync(trade, 3);
        var held = await TransferOfLegAsync(trade);

        await app.PublishAsync(new TradeCancelled(trade, "an operator gave up on it", true, Towns.Swap(trade, a, b).Legs));
        var release = await ReleaseAsync(held.Id, TestSettings.OperatorAuth());
        await app.PlanAsync();

        Assert.Equal(TransferStatus.Cancelled, (await TransferOfLegAsync(trade)).Status);
        Assert.Equal(HttpStatusCode.Conflict, release.StatusCode);
        Assert.DoesNotContain(await ShipmentsOfLegAsync(trade), s => s.Status == ShipmentStatus.Planned);
    }

    [Fact]
    public async Task Only_operators_list_transfers_by_status()
    {
        var (a, _, _) = Towns.Fresh();

        var anonymous = await app.SendAsync(HttpMethod.Get, Held, null);
        var town = await app.SendAsync(HttpMethod.Get, Held, TestSettings.TownAuth(a));
        var service = await app.SendAsync(HttpMethod.Get, Held, TestSettings.ServiceAuth("matching"));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, town.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, service.StatusCode);
        Assert.Equal("application/problem+json", town.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("?status=lost")]
    [InlineData("?status=1")]
    [InlineData("?status=")]
    [InlineData("")]
    public async Task A_missing_or_unknown_status_is_a_bad_request_naming_it(string query)
    {
        var response = await app.SendAsync(HttpMethod.Get, $"/api/logistics/transfers{query}", TestSettings.OperatorAuth());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("status", (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys);
    }

    [Fact]
    public async Task Only_an_operator_releases_a_held_transfer()
    {
        var (trade, a, _) = await AgreedSwapAsync();
        await FailRepeatedlyAsync(trade, 3);
        var held = await TransferOfLegAsync(trade);

        var anonymous = await ReleaseAsync(held.Id, null);
        var townOfTheTrade = await ReleaseAsync(held.Id, TestSettings.TownAuth(a));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, townOfTheTrade.StatusCode);
        Assert.Equal(TransferStatus.Held, (await TransferOfLegAsync(trade)).Status);
    }

    [Fact]
    public async Task Releasing_a_transfer_that_is_not_held_is_a_conflict_and_an_unknown_one_is_not_found()
    {
        var (trade, _, _) = await AgreedSwapAsync();
        var planned = await TransferOfLegAsync(trade);

        var notHeld = await ReleaseAsync(planned.Id, TestSettings.OperatorAuth());
        var unknown = await ReleaseAsync(Guid.NewGuid(), TestSettings.OperatorAuth());
        var malformed = await app.SendAsync(HttpMethod.Post, "/api/logistics/transfers/not-a-transfer/release", TestSettings.OperatorAuth());

        Assert.Equal(HttpStatusCode.Conflict, notHeld.StatusCode);
        Assert.Contains("not held", (await notHeld.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("id", (await malformed.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys);
        Assert.Equal(TransferStatus.Planned, (await TransferOfLegAsync(trade)).Status);
    }
}
