using System.Net;
using TradeNet.Contracts;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.Component;

/// <summary>A TradeAgreed leg no route planner can take — a negative weight, a point off the globe, no town — used to be
/// stored as a pending transfer: the planner refuses the whole request over it, so every planning run after failed (a 500
/// on <c>POST /plans</c>, an error each scheduled run) and no town's legs were planned again while it waited. The
/// agreement is now refused as it arrives, naming the leg, with nothing of it stored (the message goes to the error queue).</summary>
public class UnplannableLegTests(LogisticsApp app) : IClassFixture<LogisticsApp>
{
    public static TheoryData<string, double, double, double, string> Legs => new()
    {
        { "a negative weight", -5, 46.0367, 4.0683, "weightKg" },
        { "a latitude off the globe", 40, 200, 4.0683, "from.lat" },
        { "a longitude off the globe", 40, 46.0367, -181, "from.lon" },
    };

    [Theory]
    [MemberData(nameof(Legs))]
    public async Task An_agreement_with_a_leg_no_planner_can_take_stores_nothing_and_planning_runs_go_on_planning_the_others(
        string what, double weightKg, double lat, double lon, string field)
    {
        var (a, b, _) = Towns.Fresh();
        await app.RegisterAsync(TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne));
        var bad = Guid.NewGuid();
        var agreed = new TradeAgreed(bad,
        [
            new TradeLeg(0, a, b, "offer-a", "need-b", "cheese", 40, 400, 40, Towns.Roanne, Towns.Lyon, null, null),
            new TradeLeg(1, b, a, "offer-b", "need-a", "firewood", 2, 400, weightKg, new TradePoint(lat, lon), Towns.Roanne, null, null),
        ]);

        var fault = await app.PublishFaultingAsync(agreed);

        Assert.Contains($"leg 1: {field}", fault.Message);
        var transfers = await app.SendAsync(HttpMethod.Get, $"/api/logistics/trades/{bad}/transfers", TestSettings.OperatorAuth());
        Assert.Equal(HttpStatusCode.NotFound, transfers.StatusCode);
        var good = Guid.NewGuid();
        await app.PublishAsync(Towns.Swap(good, a, b));
        await app.PlanAsync();
        Assert.True((await app.ShipmentsOfTradeAsync(good, TestSettings.OperatorAuth())).Length == 2, $"after {what}, the next trade was not planned");
    }
}
