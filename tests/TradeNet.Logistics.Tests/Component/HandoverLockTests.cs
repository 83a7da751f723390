using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using TradeNet.Logistics.Api;
using TradeNet.Logistics.Domain;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.Component;

/// <summary>What a receiving town needs to unblock its own delivery: the shipment view says when its handover code takes
/// no more codes (it used to be learnt only from the carrier's 403), and a delivery before the pickup says who reports it.</summary>
public class HandoverLockTests(LogisticsApp app) : IClassFixture<LogisticsApp>
{
    /// <summary>Direct trips: leg 0 is carried by <c>A</c>, the town that gives it, to <c>B</c>.</summary>
    private async Task<(string A, string B, ShipmentView Leg)> LegAsync()
    {
        var (a, b, _) = Towns.Fresh();
        var trade = Guid.NewGuid();
        await app.PublishAsync(Towns.Swap(trade, a, b));
        return (a, b, (await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth())).Single(s => s.CarrierTown == a));
    }

    private async Task<ShipmentView> AsSeenByAsync(Guid shipment, AuthenticationHeaderValue auth) =>
        (await (await app.SendAsync(HttpMethod.Get, $"/api/logistics/shipments/{shipment}", auth)).Content.ReadFromJsonAsync<ShipmentView>(LogisticsApp.Json))!;

    [Fact]
    public async Task After_ten_wrong_codes_the_receiving_town_and_operators_read_that_the_code_is_locked_and_the_carrier_and_sender_do_not()
    {
        var (a, b, leg) = await LegAsync();
        Assert.Equal(HttpStatusCode.OK, (await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{leg.Id}/pickup", TestSettings.TownAuth(a))).StatusCode);
        var right = await app.HandoverCodeAsync(leg.Id);
        // Distinct codes: the same wrong code again is no new guess (HandoverRetryTests).
        var wrong = HandoverRetryTests.WrongCodes(right, HandoverCodes.MaxWrong);
        Assert.False((await AsSeenByAsync(leg.Id, TestSettings.TownAuth(b))).HandoverLocked);

        foreach (var code in wrong[..^1])
            await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{leg.Id}/delivery", TestSettings.TownAuth(a), new { handoverCode = code });
        Assert.False((await AsSeenByAsync(leg.Id, TestSettings.TownAuth(b))).HandoverLocked);
        await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{leg.Id}/delivery", TestSettings.TownAuth(a), new { handoverCode = wrong[^1] });

        Assert.True((await AsSeenByAsync(leg.Id, TestSettings.TownAuth(b))).HandoverLocked);
        Assert.True((await AsSeenByAsync(leg.Id, TestSettings.OperatorAuth())).HandoverLocked);
        Assert.Contains(await app.ShipmentsOfTradeAsync(leg.TradeId, TestSettings.TownAuth(b)), s => s.Id == leg.Id && s.HandoverLocked == true);
        Assert.Null((await AsSeenByAsync(leg.Id, TestSettings.TownAuth(a))).HandoverLocked); // the carrier, and here the sender too
        Assert.Null((await app.ShipmentsOfTradeAsync(leg.TradeId, TestSettings.TownAuth(a))).Single(s => s.Id == leg.Id).HandoverLocked);
    }

    [Fact]
    public async Task A_delivery_reported_before_the_pickup_is_a_409_naming_the_carrier_town_or_an_operator_as_who_reports_the_pickup()
    {
        var (a, b, leg) = await LegAsync();

        var response = await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{leg.Id}/delivery", TestSettings.TownAuth(b));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var detail = (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail;
        Assert.Contains("not been picked up yet", detail);
        Assert.Contains($"carrier town ({a}) or an operator reports the pickup", detail);
    }
}
