using System.Net.Http.Json;
using TradeNet.Contracts;
using TradeNet.Matching.Domain;
using TradeNet.Testing;

namespace TradeNet.Matching.Tests.Component;

/// <summary>Found by the race hunt (a trip's failure fired at the same instant as the operator's cancel): logistics took the
/// failure first, so it let the cancel through, but matching cancelled the trade before it read the ShipmentFailed.</summary>
public class FailedTripAfterCancelTests
{
    [Fact]
    public async Task A_trip_failure_read_after_the_cancellation_undoes_the_pickup_so_the_cancelled_trade_shows_no_goods_on_the_road()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.AgreeAsync(host);
        var shipment = Guid.NewGuid();
        var pickedUpAt = DateTimeOffset.UtcNow.AddMinutes(-10);
        await host.Publish(new ShipmentPickedUp(shipment, trade.Id, 0, pickedUpAt));
        await Eventually.Until(() => host.TradeAsync(trade.Id), t => t.Legs[0].PickedUp, what: "leg 0 picked up");
        // Logistics had the trip failed already, so nothing of the trade is on the road there and it stops the trade.
        (await host.Operator().PostAsJsonAsync($"/api/matching/trades/{trade.Id}/cancel", new { reason = "road closed" }))
            .EnsureSuccessStatusCode();

        await host.Publish(new ShipmentFailed(shipment, trade.Id, 0, "road closed", pickedUpAt.AddMinutes(5)));

        var view = await Eventually.Until(() => host.TradeAsync(trade.Id), t => t.Legs[0].Failure is not null, what: "the failure recorded");
        Assert.Equal(TradeStatus.Cancelled, view.Status);
        Assert.False(view.Legs[0].PickedUp);
        Assert.Contains("road closed", view.Legs[0].Failure);
        Assert.DoesNotContain(host.Harness.ConsumedSoFar<ShipmentFailed>(), m => m.Exception is not null);
    }

    [Fact]
    public async Task A_trip_failure_for_a_proposal_is_still_ignored()
    {
        await using var host = new MatchingHost();
        var proposed = await Swap.ProposeAsync(host);
        var consumed = new ConsumeCounter<ShipmentFailed>();
        using var observing = host.Harness.Bus.ConnectConsumeObserver(consumed);

        await host.Publish(new ShipmentFailed(Guid.NewGuid(), proposed.Id, 0, "no such trip", DateTimeOffset.UtcNow));
        await Eventually.True(() => Task.FromResult(consumed.Count >= 1), what: "consumed");

        var view = await host.TradeAsync(proposed.Id);
        Assert.Equal(proposed.Version, view.Version);
        Assert.Null(view.Legs[0].Failure);
    }
}
