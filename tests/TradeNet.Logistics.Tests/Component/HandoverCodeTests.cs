using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using TradeNet.Contracts;
using TradeNet.Logistics.Api;
using TradeNet.Logistics.Domain;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.Component;

/// <summary>A delivery is proven by the receiving town: its handover code in the carrier's report, or its own report.</summary>
public class HandoverCodeTests(LogisticsApp app) : IClassFixture<LogisticsApp>
{
    /// <summary>Direct trips: each leg is carried by the town that gives it.</summary>
    private async Task<(string A, string B, ShipmentView Leg)> PickedUpLegAsync()
    {
        var (a, b, _) = Towns.Fresh();
        var trade = Guid.NewGuid();
        await app.PublishAsync(Towns.Swap(trade, a, b));
        var leg = (await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth())).Single(s => s.CarrierTown == a);
        Assert.Equal(HttpStatusCode.OK, (await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{leg.Id}/pickup", TestSettings.TownAuth(a))).StatusCode);
        return (a, b, leg);
    }

    private Task<HttpResponseMessage> DeliverAsync(Guid shipment, string town, object? body = null) =>
        app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{shipment}/delivery", TestSettings.TownAuth(town), body);

    private async Task<ShipmentView> AsSeenByAsync(Guid shipment, System.Net.Http.Headers.AuthenticationHeaderValue auth) =>
        (await (await app.SendAsync(HttpMethod.Get, $"/api/logistics/shipments/{shipment}", auth)).Content.ReadFromJsonAsync<ShipmentView>(LogisticsApp.Json))!;

    private async Task AssertNotDeliveredAsync(ShipmentView leg)
    {
        Assert.Equal(ShipmentStatus.PickedUp, (await AsSeenByAsync(leg.Id, TestSettings.OperatorAuth())).Status);
        await app.OutboxDrainedAsync();
        Assert.Empty(app.Published<ShipmentDelivered>(e => e.ShipmentId == leg.Id));
    }

    [Fact]
    public async Task The_code_is_shown_to_the_receiving_town_and_operators_and_never_to_the_carrier()
    {
        var (a, b, leg) = await PickedUpLegAsync();

        var receiver = await AsSeenByAsync(leg.Id, TestSettings.TownAuth(b));
        var carrier = await AsSeenByAsync(leg.Id, TestSettings.TownAuth(a));
        var carriersList = await app.ShipmentsOfTradeAsync(leg.TradeId, TestSettings.TownAuth(a));

        Assert.Matches("^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$", receiver.HandoverCode);
        Assert.Equal(receiver.HandoverCode, (await AsSeenByAsync(leg.Id, TestSettings.OperatorAuth())).HandoverCode);
        Assert.Null(carrier.HandoverCode);
        Assert.Null(carriersList.Single(s => s.Id == leg.Id).HandoverCode);
        // The other leg is the carrier's own to receive: there it is the one holding the code.
        Assert.NotNull(carriersList.Single(s => s.Id != leg.Id).HandoverCode);
    }

    [Fact]
    public async Task A_carrier_reporting_a_delivery_without_the_code_is_refused_with_a_403_that_says_how_and_nothing_changes()
    {
        var (a, _, leg) = await PickedUpLegAsync();

        var response = await DeliverAsync(leg.Id, a);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var detail = (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail;
        Assert.Contains("handover code", detail);
        // This route's body field, not a stop report's handoverCodes.
        Assert.Contains("(handoverCode)", detail);
        await AssertNotDeliveredAsync(leg);
    }

    [Fact]
    public async Task A_wrong_code_is_a_403_and_one_that_cannot_be_a_code_a_400_naming_handoverCode()
    {
        var (a, _, leg) = await PickedUpLegAsync();
        var right = await app.HandoverCodeAsync(leg.Id);
        var wrong = (right[0] == '0' ? "1" : "0") + right[1..];

        var mismatched = await DeliverAsync(leg.Id, a, new { handoverCode = wrong });
        var malformed = await DeliverAsync(leg.Id, a, new { handoverCode = "12345" });
        var typo = await DeliverAsync(leg.Id, a, new { handoverCode = right + "U" });

        Assert.Equal(HttpStatusCode.Forbidden, mismatched.StatusCode);
        Assert.Contains("does not match", (await mismatched.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
        foreach (var bad in new[] { malformed, typo })
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("handoverCode", (await bad.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys);
        }
        await AssertNotDeliveredAsync(leg);
    }

    [Fact]
    public async Task The_code_as_a_driver_types_it_in_lower_case_without_its_dash_and_with_O_for_0_delivers()
    {
        var (a, _, leg) = await PickedUpLegAsync();
        var typed = (await app.HandoverCodeAsync(leg.Id)).Replace("-", "").Replace('0', 'o').ToLowerInvariant();

        var response = await DeliverAsync(leg.Id, a, new { handoverCode = typed });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await app.PublishedAsync<ShipmentDelivered>(e => e.ShipmentId == leg.Id);
    }

    [Fact]
    public async Task The_receiving_town_reports_its_own_delivery_without_a_code_but_may_not_report_a_pickup()
    {
        var (_, b, leg) = await PickedUpLegAsync();
        var other = (await app.ShipmentsOfTradeAsync(leg.TradeId, TestSettings.OperatorAuth())).Single(s => s.Id != leg.Id);

        var delivered = await DeliverAsync(leg.Id, b);
        var pickup = await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{other.Id}/pickup", TestSettings.TownAuth(leg.FromTown));

        Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
        Assert.Equal(ShipmentStatus.Delivered, (await delivered.Content.ReadFromJsonAsync<ShipmentView>(LogisticsApp.Json))!.Status);
        await app.PublishedAsync<ShipmentDelivered>(e => e.ShipmentId == leg.Id);
        // On the other leg the town is the receiver, not the carrier: receiving proves an arrival, not a departure.
        Assert.Equal(HttpStatusCode.Forbidden, pickup.StatusCode);
    }

    [Fact]
    public async Task After_ten_wrong_codes_no_code_is_taken_for_the_shipment_but_the_receiving_town_may_still_confirm()
    {
        var (a, b, leg) = await PickedUpLegAsync();
        var right = await app.HandoverCodeAsync(leg.Id);
        // Distinct codes: the same wrong code again is no new guess (HandoverRetryTests).
        foreach (var wrong in HandoverRetryTests.WrongCodes(right, HandoverCodes.MaxWrong))
            Assert.Equal(HttpStatusCode.Forbidden, (await DeliverAsync(leg.Id, a, new { handoverCode = wrong })).StatusCode);

        var withTheRightCode = await DeliverAsync(leg.Id, a, new { handoverCode = right });

        Assert.Equal(HttpStatusCode.Forbidden, withTheRightCode.StatusCode);
        Assert.Contains("no code is taken any more", (await withTheRightCode.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
        await AssertNotDeliveredAsync(leg);
        Assert.Equal(HttpStatusCode.OK, (await DeliverAsync(leg.Id, b)).StatusCode);
    }

    [Fact]
    public async Task Shipment_answers_that_may_carry_a_code_are_not_to_be_cached()
    {
        var (_, b, leg) = await PickedUpLegAsync();

        var read = await app.SendAsync(HttpMethod.Get, $"/api/logistics/shipments/{leg.Id}", TestSettings.TownAuth(b));
        var list = await app.SendAsync(HttpMethod.Get, $"/api/logistics/shipments?trade={leg.TradeId}", TestSettings.TownAuth(b));

        Assert.True(read.Headers.CacheControl?.NoStore);
        Assert.True(list.Headers.CacheControl?.NoStore);
    }
}
