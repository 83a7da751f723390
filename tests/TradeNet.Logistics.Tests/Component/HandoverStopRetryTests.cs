using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using TradeNet.Contracts;
using TradeNet.Logistics.Api;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Storage;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.Component;

/// <summary>Handover codes in stop reports: a report sent again is no new guess, and a stop with a locked unload reports
/// the rest as usual. A host per test: the fleet is the host's, and each test needs its own van to carry its legs.</summary>
public sealed class HandoverStopRetryTests : IDisposable
{
    private readonly LogisticsApp app = new();

    public void Dispose() => app.Dispose();

    private async Task<int> WrongCountAsync(Guid shipment) =>
        (await app.Services.GetRequiredService<ILogisticsStore>().WrongHandoverCodesAsync([shipment])).GetValueOrDefault(shipment);

    private async Task<StopReportItem[]> ItemsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<StopReportItem[]>(LogisticsApp.Json))!;
    }

    /// <summary>A swap between Roanne and Lyon in Roanne's van, loaded at Roanne: <c>legs[0]</c> is unloaded at
    /// <c>lyonStop</c>, where <c>legs[1]</c> is loaded.</summary>
    private async Task<(string Roanne, string Lyon, Guid Trade, ShipmentView[] Legs, string Stops, int LyonStop)> SwapPickedUpAtRoanneAsync()
    {
        var (roanne, lyon, trade, legs) = await app.PlannedSwapInRoannesVanAsync();
        var stops = $"/api/logistics/routes/{legs[0].RouteId}/stops";
        Assert.Equal(HttpStatusCode.OK, (await app.SendAsync(HttpMethod.Post, $"{stops}/{legs[0].Stops.Single(s => s.Action == "pickup").Sequence}/done",
            TestSettings.TownAuth(roanne))).StatusCode);
        return (roanne, lyon, trade, legs, stops, legs[0].Stops.Single(s => s.Action == "delivery").Sequence);
    }

    /// <summary>Two legs of goods from Roanne to Lyon in Roanne's van, loaded at Roanne: one stop unloads both.</summary>
    private async Task<(string Roanne, string Lyon, Guid Trade, ShipmentView[] Legs, Guid Route, int Unload)> TwoLegsToLyonPickedUpAsync()
    {
        var (roanne, lyon, _) = Towns.Fresh();
        await app.RegisterAsync(TestSettings.TownAuth(roanne), Fleet.Van(Towns.Roanne));
        var trade = Guid.NewGuid();
        await app.PublishAsync(new TradeAgreed(trade,
        [
            new TradeLeg(0, roanne, lyon, "offer-a", "need-b", "cheese", 40, 400, 40, Towns.Roanne, Towns.Lyon, null, null),
            new TradeLeg(1, roanne, lyon, "offer-c", "need-d", "eggs", 10, 400, 10, Towns.Roanne, Towns.Lyon, null, null),
        ]));
        await app.PlanAsync();
        var legs = (await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth())).OrderBy(s => s.LegIndex).ToArray();
        var route = Assert.Single(legs.Select(s => s.RouteId).Distinct());
        var unload = Assert.Single(legs.Select(s => s.Stops.Single(x => x.Action == "delivery").Sequence).Distinct());
        var pickup = Assert.Single(legs.Select(s => s.Stops.Single(x => x.Action == "pickup").Sequence).Distinct());
        Assert.Equal(HttpStatusCode.OK, (await app.SendAsync(HttpMethod.Post, $"/api/logistics/routes/{route}/stops/{pickup}/done", TestSettings.TownAuth(roanne))).StatusCode);
        return (roanne, lyon, trade, legs, route, unload);
    }

    [Fact]
    public async Task The_same_stop_report_with_a_wrong_code_sent_again_spends_one_guess_and_the_right_code_then_delivers()
    {
        var (roanne, lyon, trade, legs, stops, lyonStop) = await SwapPickedUpAtRoanneAsync();
        var right = await app.HandoverCodeAsync(legs[0].Id);
        var wrong = HandoverRetryTests.WrongCodes(right, 1)[0];

        for (var i = 0; i <= HandoverCodes.MaxWrong; i++)
        {
            var items = await ItemsAsync(await app.SendAsync(HttpMethod.Post, $"{stops}/{lyonStop}/done", TestSettings.TownAuth(roanne),
                new { handoverCodes = new[] { wrong } }));
            var unload = items.Single(x => x.ShipmentId == legs[0].Id);
            Assert.Equal("unproven", unload.Outcome);
            Assert.Contains($"({HandoverCodes.MaxWrong - 1} more wrong codes", unload.Why);
            Assert.Equal(i == 0 ? "applied" : "repeated", items.Single(x => x.ShipmentId == legs[1].Id).Outcome);
        }

        Assert.Equal(1, await WrongCountAsync(legs[0].Id));
        var delivered = await ItemsAsync(await app.SendAsync(HttpMethod.Post, $"{stops}/{lyonStop}/done", TestSettings.TownAuth(roanne),
            new { handoverCodes = new[] { right } }));
        Assert.Equal("applied", delivered.Single(x => x.ShipmentId == legs[0].Id).Outcome);
    }

    [Fact]
    public async Task A_stop_report_with_a_wrong_code_sent_again_after_the_receiving_town_confirmed_the_unload_answers_per_shipment_not_400()
    {
        var (roanne, lyon, trade, legs, stops, lyonStop) = await SwapPickedUpAtRoanneAsync();
        var wrong = HandoverRetryTests.WrongCodes(await app.HandoverCodeAsync(legs[0].Id), 1)[0];
        // The driver's report with a mistyped code reaches the service but its answer is lost (a timeout); meanwhile Lyon,
        // having the goods, confirms the delivery itself.
        var first = await ItemsAsync(await app.SendAsync(HttpMethod.Post, $"{stops}/{lyonStop}/done", TestSettings.TownAuth(roanne),
            new { handoverCodes = new[] { wrong } }));
        Assert.Equal("unproven", first.Single(x => x.ShipmentId == legs[0].Id).Outcome);
        Assert.Equal(HttpStatusCode.OK, (await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{legs[0].Id}/delivery", TestSettings.TownAuth(lyon))).StatusCode);

        var again = await app.SendAsync(HttpMethod.Post, $"{stops}/{lyonStop}/done", TestSettings.TownAuth(roanne), new { handoverCodes = new[] { wrong } });

        // No unload is left to try a code against, so the code is no guess: set aside, as the code of an unload made already is.
        var items = await ItemsAsync(again);
        Assert.Equal(("repeated", ShipmentStatus.Delivered), items.Single(x => x.ShipmentId == legs[0].Id) is var unload ? (unload.Outcome, unload.Status) : default);
        Assert.Equal("repeated", items.Single(x => x.ShipmentId == legs[1].Id).Outcome);
        Assert.Equal(1, await WrongCountAsync(legs[0].Id));
    }

    [Fact]
    public async Task A_stop_report_with_wrong_codes_sent_again_after_one_of_its_unloads_was_confirmed_answers_as_before_for_the_other()
    {
        var (roanne, lyon, trade, legs, route, stop) = await TwoLegsToLyonPickedUpAsync();
        var path = $"/api/logistics/routes/{route}/stops/{stop}/done";
        // Two mistyped codes, one per unload: neither is anybody's, so each counts against both.
        var typos = new { handoverCodes = new[] { "AAAA-AAA0", "AAAA-AAA1" } };
        var first = await ItemsAsync(await app.SendAsync(HttpMethod.Post, path, TestSettings.TownAuth(roanne), typos));
        Assert.All(first, x => Assert.Contains($"({HandoverCodes.MaxWrong - 2} more wrong codes", x.Why));
        Assert.Equal(HttpStatusCode.OK, (await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{legs[0].Id}/delivery", TestSettings.TownAuth(lyon))).StatusCode);

        var again = await app.SendAsync(HttpMethod.Post, path, TestSettings.TownAuth(roanne), typos);

        var items = await ItemsAsync(again);
        Assert.Equal("repeated", items.Single(x => x.ShipmentId == legs[0].Id).Outcome);
        var other = items.Single(x => x.ShipmentId == legs[1].Id);
        Assert.Equal("unproven", other.Outcome);
        Assert.Contains($"({HandoverCodes.MaxWrong - 2} more wrong codes", other.Why);
        Assert.Equal(2, await WrongCountAsync(legs[1].Id));
        // New typos with them are guesses again: two new codes for the one unload left are a 400, as ever; one is one guess.
        var twoNew = await app.SendAsync(HttpMethod.Post, path, TestSettings.TownAuth(roanne), new { handoverCodes = new[] { "AAAA-AAA0", "AAAA-AAA2", "AAAA-AAA3" } });
        Assert.Equal(HttpStatusCode.BadRequest, twoNew.StatusCode);
        Assert.Equal(2, await WrongCountAsync(legs[1].Id));
        var oneNew = await ItemsAsync(await app.SendAsync(HttpMethod.Post, path, TestSettings.TownAuth(roanne), new { handoverCodes = new[] { "AAAA-AAA0", "AAAA-AAA1", "AAAA-AAA2" } }));
        Assert.Contains($"({HandoverCodes.MaxWrong - 3} more wrong codes", oneNew.Single(x => x.ShipmentId == legs[1].Id).Why);
    }

    [Fact]
    public async Task Stop_reports_sent_again_racing_per_shipment_reports_with_distinct_wrong_codes_and_the_right_one_deliver_at_most_once_within_the_limit()
    {
        var (roanne, lyon, trade, legs, stops, lyonStop) = await SwapPickedUpAtRoanneAsync();
        var right = await app.HandoverCodeAsync(legs[0].Id);
        var wrong = HandoverRetryTests.WrongCodes(right, 2 * HandoverCodes.MaxWrong);

        // The stop report with one wrong code, sent five times at once (a driver's app retrying), against per-shipment
        // reports of every other wrong code and of the right one, twice.
        var sends = Enumerable.Range(0, 5).Select(_ => app.SendAsync(HttpMethod.Post, $"{stops}/{lyonStop}/done", TestSettings.TownAuth(roanne),
                new { handoverCodes = new[] { wrong[0] } }))
            .Concat(wrong.Skip(1).Append(right).Append(right).Select(code => app.SendAsync(HttpMethod.Post,
                $"/api/logistics/shipments/{legs[0].Id}/delivery", TestSettings.TownAuth(roanne), new { handoverCode = code })));
        var answers = await Task.WhenAll(sends);

        Assert.All(answers, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Forbidden }));
        var wrongCount = await WrongCountAsync(legs[0].Id);
        Assert.True(wrongCount <= HandoverCodes.MaxWrong, $"{wrongCount} wrong codes counted");
        await app.OutboxDrainedAsync();
        var status = (await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth())).Single(s => s.Id == legs[0].Id).Status;
        Assert.Equal(status == ShipmentStatus.Delivered ? 1 : 0, app.Published<ShipmentDelivered>(e => e.ShipmentId == legs[0].Id).Count);
        if (status != ShipmentStatus.Delivered) Assert.Equal((ShipmentStatus.PickedUp, HandoverCodes.MaxWrong), (status, wrongCount));
        // Lyon's load is picked up once, whichever of the five stop reports got there first.
        Assert.Single(app.Published<ShipmentPickedUp>(e => e.ShipmentId == legs[1].Id));
    }

    [Fact]
    public async Task A_stop_with_a_locked_unload_delivers_the_others_with_their_codes_and_an_operator_reports_the_locked_one()
    {
        var (roanne, lyon, trade, legs, route, stop) = await TwoLegsToLyonPickedUpAsync();
        var (locked, open) = (legs[0], legs[1]);
        foreach (var code in HandoverRetryTests.WrongCodes(await app.HandoverCodeAsync(locked.Id), HandoverCodes.MaxWrong))
            await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{locked.Id}/delivery", TestSettings.TownAuth(roanne), new { handoverCode = code });
        var path = $"/api/logistics/routes/{route}/stops/{stop}/done";

        // Both right codes: the locked unload takes none, whoever's code it is; the other is delivered.
        var items = await ItemsAsync(await app.SendAsync(HttpMethod.Post, path, TestSettings.TownAuth(roanne),
            new { handoverCodes = new[] { await app.HandoverCodeAsync(locked.Id), await app.HandoverCodeAsync(open.Id) } }));
        var byOperator = await ItemsAsync(await app.SendAsync(HttpMethod.Post, path, TestSettings.OperatorAuth()));

        Assert.Equal("unproven", items.Single(x => x.ShipmentId == locked.Id).Outcome);
        Assert.Contains("no code is taken any more", items.Single(x => x.ShipmentId == locked.Id).Why);
        Assert.Equal("applied", items.Single(x => x.ShipmentId == open.Id).Outcome);
        Assert.Equal(HandoverCodes.MaxWrong, await WrongCountAsync(locked.Id));
        Assert.Equal(0, await WrongCountAsync(open.Id));
        Assert.Equal(("applied", "repeated"), (byOperator.Single(x => x.ShipmentId == locked.Id).Outcome, byOperator.Single(x => x.ShipmentId == open.Id).Outcome));
        await app.OutboxDrainedAsync();
        Assert.Single(app.Published<ShipmentDelivered>(e => e.ShipmentId == locked.Id));
        Assert.Single(app.Published<ShipmentDelivered>(e => e.ShipmentId == open.Id));
    }

    [Fact]
    public async Task A_sender_that_does_not_carry_its_goods_gets_a_403_for_any_code_and_none_of_them_counts()
    {
        var (roanne, lyon, _, legs) = await app.PlannedSwapInRoannesVanAsync();
        var leg = legs[1]; // from Lyon to Roanne in Roanne's van
        Assert.Equal(HttpStatusCode.OK, (await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{leg.Id}/pickup", TestSettings.TownAuth(roanne))).StatusCode);

        foreach (var code in HandoverRetryTests.WrongCodes(await app.HandoverCodeAsync(leg.Id), HandoverCodes.MaxWrong + 1))
            Assert.Equal(HttpStatusCode.Forbidden, (await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{leg.Id}/delivery",
                TestSettings.TownAuth(lyon), new { handoverCode = code })).StatusCode);
        // Nor its stop reports: the route is its carrier's (other towns read no route, so learn nothing of it).
        var stop = leg.Stops.Single(s => s.Action == "delivery").Sequence;
        Assert.Equal(HttpStatusCode.NotFound, (await app.SendAsync(HttpMethod.Post, $"/api/logistics/routes/{leg.RouteId}/stops/{stop}/done",
            TestSettings.TownAuth(lyon), new { handoverCodes = new[] { "AAAA-AAAA" } })).StatusCode);

        Assert.Equal(0, await WrongCountAsync(leg.Id));
    }
}
