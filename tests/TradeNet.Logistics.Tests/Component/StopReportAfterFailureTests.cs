using System.Net;
using System.Net.Http.Json;
using TradeNet.Logistics.Api;
using TradeNet.Logistics.Domain;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.Component;

/// <summary>A stop report racing a failure: the random fleet scenario (integration tests, <c>RandomFleet</c>) reports a
/// stop done with the codes the receiving towns gave while another report fails one of its unloads.</summary>
public sealed class StopReportAfterFailureTests : IDisposable
{
    private readonly LogisticsApp app = new();

    public void Dispose() => app.Dispose();

    [Fact]
    public async Task A_stop_reported_done_with_the_code_of_an_unload_that_failed_meanwhile_is_answered_per_shipment_not_refused_as_guesses()
    {
        var (roanne, lyon, trade, shipments) = await app.PlannedSwapInRoannesVanAsync();
        var toLyon = shipments.Single(s => s.LegIndex == 0);
        var fromLyon = shipments.Single(s => s.LegIndex == 1);
        var route = $"/api/logistics/routes/{toLyon.RouteId}/stops";
        var lyonStop = toLyon.Stops.Single(s => s.Action == "delivery").Sequence;
        Assert.Equal(lyonStop, fromLyon.Stops.Single(s => s.Action == "pickup").Sequence); // unload leg 0, load leg 1
        await app.SendAsync(HttpMethod.Post, $"{route}/{toLyon.Stops.Single(s => s.Action == "pickup").Sequence}/done", TestSettings.TownAuth(roanne));
        // The driver has Lyon's code for the unload; just before the report, the trip is reported failed (by an operator).
        var code = await app.HandoverCodeAsync(toLyon.Id);
        var failed = await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{toLyon.Id}/failure", TestSettings.OperatorAuth(),
            new { reason = "the pallet fell off" });
        Assert.Equal(HttpStatusCode.OK, failed.StatusCode);

        var report = await app.SendAsync(HttpMethod.Post, $"{route}/{lyonStop}/done", TestSettings.TownAuth(roanne), new { handoverCodes = new[] { code } });

        // The right code of an unload that is no longer to be made is no guess: the stop is reported, each shipment says
        // what became of it (the failed unload illegal, Lyon's load picked up), as the same report without codes would.
        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        var items = (await report.Content.ReadFromJsonAsync<StopReportItem[]>(LogisticsApp.Json))!;
        Assert.Equal("illegal", Assert.Single(items, i => i.ShipmentId == toLyon.Id).Outcome);
        Assert.Equal(("applied", ShipmentStatus.PickedUp), Assert.Single(items, i => i.ShipmentId == fromLyon.Id) is var load ? (load.Outcome, load.Status) : default);
    }
}
