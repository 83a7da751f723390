using System.Net.Http.Json;
using TradeNet.Contracts;
using TradeNet.Matching.Domain;
using TradeNet.Testing;

namespace TradeNet.Matching.Tests.Component;

public class ShipmentTests
{
    [Fact]
    public async Task When_every_leg_is_delivered_the_trade_is_completed()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.AgreeAsync(host);

        await host.Publish(new ShipmentDelivered(Guid.NewGuid(), trade.Id, 0, DateTimeOffset.UtcNow));
        await Eventually.True(async () => (await host.TradeAsync(trade.Id)).Legs[0].Delivered, what: "leg 0 delivered");
        Assert.Equal(TradeStatus.Agreed, (await host.TradeAsync(trade.Id)).Status);
        Assert.Equal(0, host.PublishedCount<TradeCompleted>());

        await host.Publish(new ShipmentDelivered(Guid.NewGuid(), trade.Id, 1, DateTimeOffset.UtcNow));

        var completed = await host.Published<TradeCompleted>(c => c.TradeId == trade.Id);
        Assert.Equal(2, completed.Legs.Length);
        var view = await host.TradeAsync(trade.Id);
        Assert.Equal(TradeStatus.Completed, view.Status);
        Assert.All(view.Legs, l => Assert.True(l.Delivered));
    }

    [Fact]
    public async Task A_redelivered_ShipmentDelivered_changes_nothing()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.AgreeAsync(host);
        var messageId = Guid.NewGuid();
        var delivered = new ShipmentDelivered(Guid.NewGuid(), trade.Id, 0, DateTimeOffset.UtcNow);
        var consumed = new ConsumeCounter<ShipmentDelivered>();
        using var observing = host.Harness.Bus.ConnectConsumeObserver(consumed);
        await host.Publish(delivered, messageId);
        var after = await Eventually.Until(() => host.TradeAsync(trade.Id), t => t.Legs[0].Delivered, what: "leg 0 delivered");

        await host.Publish(delivered, messageId);
        // Same message id, other content: the inbox must drop it before looking at the content.
        await host.Publish(delivered with { LegIndex = 1 }, messageId);
        await Eventually.True(() => Task.FromResult(consumed.Count >= 3), what: "all three consumed");

        var now = await host.TradeAsync(trade.Id);
        Assert.Equal(after.Version, now.Version);
        Assert.False(now.Legs[1].Delivered);
        Assert.Equal(TradeStatus.Agreed, now.Status);
        Assert.Equal(0, host.PublishedCount<TradeCompleted>());
    }

    [Fact]
    public async Task A_failed_shipment_is_recorded_on_its_leg_and_the_trade_stays_agreed()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.AgreeAsync(host);

        await host.Publish(new ShipmentFailed(Guid.NewGuid(), trade.Id, 1, "van broke down", DateTimeOffset.UtcNow));

        var view = await Eventually.Until(() => host.TradeAsync(trade.Id), t => t.Legs[1].Failure is not null, what: "failure recorded");
        Assert.Contains("van broke down", view.Legs[1].Failure);
        Assert.Equal(TradeStatus.Agreed, view.Status);
        Assert.Equal(0, host.PublishedCount<TradeCancelled>());
    }

    [Fact]
    public async Task A_pickup_is_recorded_on_its_leg_and_the_trade_stays_agreed()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.AgreeAsync(host);
        var at = DateTimeOffset.UtcNow.AddMinutes(-3);

        await host.Publish(new ShipmentPickedUp(Guid.NewGuid(), trade.Id, 1, at));

        var view = await Eventually.Until(() => host.TradeAsync(trade.Id), t => t.Legs[1].PickedUp, what: "leg 1 picked up");
        Assert.Equal(at.ToUnixTimeMilliseconds(), view.Legs[1].PickedUpAt?.ToUnixTimeMilliseconds());
        Assert.False(view.Legs[0].PickedUp);
        Assert.Equal(TradeStatus.Agreed, view.Status);
    }

    [Fact]
    public async Task A_pickup_that_arrives_after_the_delivery_completed_the_trade_is_still_recorded_on_its_leg()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.AgreeAsync(host);
        var pickedUpAt = DateTimeOffset.UtcNow.AddMinutes(-30);
        await host.Publish(new ShipmentDelivered(Guid.NewGuid(), trade.Id, 0, DateTimeOffset.UtcNow));
        await host.Publish(new ShipmentDelivered(Guid.NewGuid(), trade.Id, 1, DateTimeOffset.UtcNow));
        await host.Published<TradeCompleted>(c => c.TradeId == trade.Id);

        await host.Publish(new ShipmentPickedUp(Guid.NewGuid(), trade.Id, 1, pickedUpAt));

        var view = await Eventually.Until(() => host.TradeAsync(trade.Id), t => t.Legs[1].PickedUp, what: "leg 1 picked up");
        Assert.Equal(pickedUpAt.ToUnixTimeMilliseconds(), view.Legs[1].PickedUpAt?.ToUnixTimeMilliseconds());
        Assert.Equal(TradeStatus.Completed, view.Status);
    }

    [Fact]
    public async Task A_redelivered_ShipmentPickedUp_changes_nothing()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.AgreeAsync(host);
        var messageId = Guid.NewGuid();
        var pickedUp = new ShipmentPickedUp(Guid.NewGuid(), trade.Id, 0, DateTimeOffset.UtcNow);
        var consumed = new ConsumeCounter<ShipmentPickedUp>();
        using var observing = host.Harness.Bus.ConnectConsumeObserver(consumed);
        await host.Publish(pickedUp, messageId);
        var after = await Eventually.Until(() => host.TradeAsync(trade.Id), t => t.Legs[0].PickedUp, what: "leg 0 picked up");

        await host.Publish(pickedUp, messageId);
        // Same message id, other content: the inbox must drop it before looking at the content.
        await host.Publish(pickedUp with { LegIndex = 1 }, messageId);
        await Eventually.True(() => Task.FromResult(consumed.Count >= 3), what: "all three consumed");

        var now = await host.TradeAsync(trade.Id);
        Assert.Equal(after.Version, now.Version);
        Assert.False(now.Legs[1].PickedUp);
    }

    [Fact]
    public async Task A_pickup_for_an_unknown_or_proposed_trade_is_ignored()
    {
        await using var host = new MatchingHost();
        var proposed = await Swap.ProposeAsync(host);
        var consumed = new ConsumeCounter<ShipmentPickedUp>();
        using var observing = host.Harness.Bus.ConnectConsumeObserver(consumed);

        await host.Publish(new ShipmentPickedUp(Guid.NewGuid(), Guid.NewGuid(), 0, DateTimeOffset.UtcNow));
        await host.Publish(new ShipmentPickedUp(Guid.NewGuid(), proposed.Id, 0, DateTimeOffset.UtcNow));
        await host.Publish(new ShipmentPickedUp(Guid.NewGuid(), proposed.Id, 7, DateTimeOffset.UtcNow));
        await Eventually.True(() => Task.FromResult(consumed.Count >= 3), what: "all three consumed");

        var view = await host.TradeAsync(proposed.Id);
        Assert.Equal(proposed.Version, view.Version);
        Assert.All(view.Legs, l => Assert.False(l.PickedUp));
        await Eventually.True(() => Task.FromResult(host.Harness.ConsumedSoFar<ShipmentPickedUp>().Count >= 3), what: "all three recorded");
        Assert.DoesNotContain(host.Harness.ConsumedSoFar<ShipmentPickedUp>(), m => m.Exception is not null);
    }

    [Fact]
    public async Task A_delivery_reported_after_the_cancellation_is_recorded_and_the_trade_stays_cancelled()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.AgreeAsync(host);
        (await host.Operator().PostAsJsonAsync($"/api/matching/trades/{trade.Id}/cancel", new { reason = "stuck" })).EnsureSuccessStatusCode();
        var at = DateTimeOffset.UtcNow;

        // Logistics saw the pickup before it heard of the cancellation, so the goods arrived anyway.
        await host.Publish(new ShipmentDelivered(Guid.NewGuid(), trade.Id, 0, at));

        var view = await Eventually.Until(() => host.TradeAsync(trade.Id), t => t.Legs[0].Delivered, what: "late delivery recorded");
        Assert.Equal(TradeStatus.Cancelled, view.Status);
        Assert.Equal(at.ToUnixTimeMilliseconds(), view.Legs[0].DeliveredAt?.ToUnixTimeMilliseconds());
        Assert.False(view.Legs[1].Delivered);
        Assert.Equal(0, host.PublishedCount<TradeCompleted>());
    }

    [Fact]
    public async Task A_trip_that_failed_after_its_pickup_leaves_the_leg_not_picked_up_so_an_operator_can_still_cancel()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.AgreeAsync(host);
        var shipment = Guid.NewGuid();
        var pickedUpAt = DateTimeOffset.UtcNow.AddMinutes(-10);
        await host.Publish(new ShipmentPickedUp(shipment, trade.Id, 0, pickedUpAt));
        await Eventually.Until(() => host.TradeAsync(trade.Id), t => t.Legs[0].PickedUp, what: "leg 0 picked up");

        // A failed trip carries nothing: logistics plans the leg again from the giving town.
        await host.Publish(new ShipmentFailed(shipment, trade.Id, 0, "road closed", pickedUpAt.AddMinutes(5)));

        await Eventually.Until(() => host.TradeAsync(trade.Id), t => !t.Legs[0].PickedUp, what: "pickup undone by the failure");
        (await host.Operator().PostAsJsonAsync($"/api/matching/trades/{trade.Id}/cancel", new { reason = "road stays closed" }))
            .EnsureSuccessStatusCode();
        Assert.Equal(TradeStatus.Cancelled, (await host.TradeAsync(trade.Id)).Status);
    }

    [Fact]
    public async Task A_pickup_that_arrives_after_the_failure_of_its_trip_is_not_recorded()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.AgreeAsync(host);
        var shipment = Guid.NewGuid();
        var pickedUpAt = DateTimeOffset.UtcNow.AddMinutes(-10);
        await host.Publish(new ShipmentFailed(shipment, trade.Id, 0, "road closed", pickedUpAt.AddMinutes(5)));
        await Eventually.Until(() => host.TradeAsync(trade.Id), t => t.Legs[0].Failure is not null, what: "failure recorded");
        var consumed = new ConsumeCounter<ShipmentPickedUp>();
        using var observing = host.Harness.Bus.ConnectConsumeObserver(consumed);

        await host.Publish(new ShipmentPickedUp(shipment, trade.Id, 0, pickedUpAt));
        await Eventually.True(() => Task.FromResult(consumed.Count >= 1), what: "late pickup consumed");

        Assert.False((await host.TradeAsync(trade.Id)).Legs[0].PickedUp);
    }

    [Fact]
    public async Task The_pickup_of_the_next_trip_after_a_failure_counts_again()
    {
        await using var host = new MatchingHost();
        var trade = await Swap.AgreeAsync(host);
        var failedAt = DateTimeOffset.UtcNow.AddMinutes(-10);
        await host.Publish(new ShipmentFailed(Guid.NewGuid(), trade.Id, 0, "road closed", failedAt));
        await Eventually.Until(() => host.TradeAsync(trade.Id), t => t.Legs[0].Failure is not null, what: "failure recorded");

        await host.Publish(new ShipmentPickedUp(Guid.NewGuid(), trade.Id, 0, failedAt.AddMinutes(5)));

        await Eventually.Until(() => host.TradeAsync(trade.Id), t => t.Legs[0].PickedUp, what: "second trip picked up");
    }
}
