using TradeNet.Contracts;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Tests.Component;
using TradeNet.Testing;

namespace TradeNet.Matching.Tests.EventOrder;

/// <summary>The reorderings of a leg's shipment events the event-order hunt found wrong, one each: a leg's trips follow one
/// another (picked up, failed, planned again, picked up, delivered), but their reports do not arrive in that order.</summary>
public class ShipmentReorderTests
{
    private static readonly DateTimeOffset Start =
        DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddHours(-3).ToUnixTimeMilliseconds());

    [Fact]
    public async Task The_second_trips_pickup_arriving_before_the_first_trips_failure_keeps_the_leg_picked_up()
    {
        await using var host = new MatchingHost();
        using var delivery = new EventDelivery(host.Harness);
        var trade = await Swap.AgreeAsync(host);
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());

        await delivery.DeliverAsync(new ShipmentPickedUp(first, trade.Id, 0, Start.AddMinutes(10)));
        await delivery.DeliverAsync(new ShipmentPickedUp(second, trade.Id, 0, Start.AddMinutes(30)));
        await delivery.DeliverAsync(new ShipmentFailed(first, trade.Id, 0, "axle broke", Start.AddMinutes(20)));

        // The second trip's goods are on the road: the leg must say so.
        var leg = (await host.TradeAsync(trade.Id)).Legs[0];
        Assert.True(leg.PickedUp);
        Assert.Equal(Start.AddMinutes(30), leg.PickedUpAt);
    }

    [Fact]
    public async Task An_earlier_trips_failure_arriving_after_a_later_ones_leaves_the_later_failure_on_the_leg()
    {
        await using var host = new MatchingHost();
        using var delivery = new EventDelivery(host.Harness);
        var trade = await Swap.AgreeAsync(host);

        await delivery.DeliverAsync(new ShipmentFailed(Guid.NewGuid(), trade.Id, 0, "road closed", Start.AddMinutes(28)));
        await delivery.DeliverAsync(new ShipmentFailed(Guid.NewGuid(), trade.Id, 0, "axle broke", Start.AddMinutes(20)));

        var failure = (await host.TradeAsync(trade.Id)).Legs[0].Failure;
        Assert.EndsWith(": road closed", failure);
    }

    [Fact]
    public async Task An_earlier_trips_failure_arriving_after_the_delivery_that_completed_the_trade_is_recorded_on_its_leg()
    {
        await using var host = new MatchingHost();
        using var delivery = new EventDelivery(host.Harness);
        var trade = await Swap.AgreeAsync(host);
        await delivery.DeliverAsync(new ShipmentDelivered(Guid.NewGuid(), trade.Id, 0, Start.AddMinutes(40)));
        await delivery.DeliverAsync(new ShipmentDelivered(Guid.NewGuid(), trade.Id, 1, Start.AddMinutes(50)));
        await host.Published<TradeCompleted>(c => c.TradeId == trade.Id);

        await delivery.DeliverAsync(new ShipmentFailed(Guid.NewGuid(), trade.Id, 0, "axle broke", Start.AddMinutes(20)));

        // In order the failure came first and is on the leg; late, it is the same history, and the trade stays completed.
        var view = await host.TradeAsync(trade.Id);
        Assert.Equal(TradeStatus.Completed, view.Status);
        Assert.EndsWith(": axle broke", view.Legs[0].Failure);
        Assert.True(view.Legs[0].Delivered);
        Assert.Equal(1, host.PublishedCount<TradeCompleted>(c => c.TradeId == trade.Id));
    }
}
