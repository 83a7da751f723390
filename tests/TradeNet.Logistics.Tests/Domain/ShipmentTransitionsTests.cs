using TradeNet.Contracts;
using TradeNet.Logistics.Domain;

namespace TradeNet.Logistics.Tests.Domain;

public class ShipmentTransitionsTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    private static Shipment In(ShipmentStatus status) => new(Guid.NewGuid(), Guid.NewGuid(), 1, Guid.NewGuid(), "roanne", "lyon",
        "roanne", "direct-roanne", Guid.NewGuid(), status, 86, 43, At.AddHours(2), [], At.AddHours(-1), Version: 3);

    public static TheoryData<ShipmentStatus, ShipmentAction, TransitionKind, ShipmentStatus> Table => new()
    {
        { ShipmentStatus.Planned, ShipmentAction.PickUp, TransitionKind.Applied, ShipmentStatus.PickedUp },
        { ShipmentStatus.Planned, ShipmentAction.Deliver, TransitionKind.Illegal, ShipmentStatus.Planned },
        { ShipmentStatus.Planned, ShipmentAction.Fail, TransitionKind.Applied, ShipmentStatus.Failed },
        { ShipmentStatus.Planned, ShipmentAction.Cancel, TransitionKind.Applied, ShipmentStatus.Cancelled },
        { ShipmentStatus.PickedUp, ShipmentAction.PickUp, TransitionKind.Repeated, ShipmentStatus.PickedUp },
        { ShipmentStatus.PickedUp, ShipmentAction.Deliver, TransitionKind.Applied, ShipmentStatus.Delivered },
        { ShipmentStatus.PickedUp, ShipmentAction.Fail, TransitionKind.Applied, ShipmentStatus.Failed },
        { ShipmentStatus.PickedUp, ShipmentAction.Cancel, TransitionKind.Illegal, ShipmentStatus.PickedUp },
        { ShipmentStatus.Delivered, ShipmentAction.PickUp, TransitionKind.Illegal, ShipmentStatus.Delivered },
        { ShipmentStatus.Delivered, ShipmentAction.Deliver, TransitionKind.Repeated, ShipmentStatus.Delivered },
        { ShipmentStatus.Delivered, ShipmentAction.Fail, TransitionKind.Illegal, ShipmentStatus.Delivered },
        { ShipmentStatus.Delivered, ShipmentAction.Cancel, TransitionKind.Illegal, ShipmentStatus.Delivered },
        { ShipmentStatus.Failed, ShipmentAction.PickUp, TransitionKind.Illegal, ShipmentStatus.Failed },
        { ShipmentStatus.Failed, ShipmentAction.Deliver, TransitionKind.Illegal, ShipmentStatus.Failed },
        { ShipmentStatus.Failed, ShipmentAction.Fail, TransitionKind.Repeated, ShipmentStatus.Failed },
        { ShipmentStatus.Failed, ShipmentAction.Cancel, TransitionKind.Illegal, ShipmentStatus.Failed },
        { ShipmentStatus.Cancelled, ShipmentAction.PickUp, TransitionKind.Illegal, ShipmentStatus.Cancelled },
        { ShipmentStatus.Cancelled, ShipmentAction.Deliver, TransitionKind.Illegal, ShipmentStatus.Cancelled },
        { ShipmentStatus.Cancelled, ShipmentAction.Fail, TransitionKind.Illegal, ShipmentStatus.Cancelled },
        { ShipmentStatus.Cancelled, ShipmentAction.Cancel, TransitionKind.Repeated, ShipmentStatus.Cancelled },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Each_status_allows_only_its_own_next_steps(ShipmentStatus from, ShipmentAction action, TransitionKind kind, ShipmentStatus to)
    {
        var shipment = In(from);

        var transition = ShipmentTransitions.Apply(shipment, action, At, "axle broke");

        Assert.Equal(kind, transition.Kind);
        Assert.Equal(to, transition.Shipment.Status);
        Assert.Equal(kind == TransitionKind.Applied ? shipment.Version + 1 : shipment.Version, transition.Shipment.Version);
        if (kind == TransitionKind.Illegal) Assert.False(string.IsNullOrWhiteSpace(transition.Why));
        if (kind != TransitionKind.Applied) Assert.Null(transition.Event);
    }

    [Fact]
    public void Pickup_records_the_time_and_announces_it()
    {
        var shipment = In(ShipmentStatus.Planned);

        var transition = ShipmentTransitions.Apply(shipment, ShipmentAction.PickUp, At);

        Assert.Equal(At, transition.Shipment.PickedUpAt);
        Assert.Equal(new ShipmentPickedUp(shipment.Id, shipment.TradeId, shipment.LegIndex, At), transition.Event);
    }

    [Fact]
    public void Delivery_records_the_time_and_announces_it()
    {
        var shipment = In(ShipmentStatus.PickedUp);

        var transition = ShipmentTransitions.Apply(shipment, ShipmentAction.Deliver, At);

        Assert.Equal(At, transition.Shipment.DeliveredAt);
        Assert.Equal(new ShipmentDelivered(shipment.Id, shipment.TradeId, shipment.LegIndex, At), transition.Event);
    }

    [Fact]
    public void A_failure_keeps_its_reason_and_announces_it()
    {
        var shipment = In(ShipmentStatus.PickedUp);

        var transition = ShipmentTransitions.Apply(shipment, ShipmentAction.Fail, At, "axle broke");

        Assert.Equal("axle broke", transition.Shipment.FailureReason);
        Assert.Equal(new ShipmentFailed(shipment.Id, shipment.TradeId, shipment.LegIndex, "axle broke", At), transition.Event);
    }

    [Fact]
    public void Cancelling_before_pickup_changes_the_shipment_without_an_event()
    {
        var transition = ShipmentTransitions.Apply(In(ShipmentStatus.Planned), ShipmentAction.Cancel, At);

        Assert.Equal(At, transition.Shipment.CancelledAt);
        Assert.Null(transition.Event);
    }

    [Fact]
    public void A_delivery_before_pickup_says_why_it_is_refused()
    {
        var transition = ShipmentTransitions.Apply(In(ShipmentStatus.Planned), ShipmentAction.Deliver, At);

        Assert.Contains("not been picked up", transition.Why);
        Assert.Contains("its carrier town (roanne) or an operator reports the pickup first", transition.Why);
    }

    [Theory]
    [InlineData(ShipmentStatus.Failed, ShipmentAction.PickUp)]
    [InlineData(ShipmentStatus.Failed, ShipmentAction.Deliver)]
    [InlineData(ShipmentStatus.Cancelled, ShipmentAction.PickUp)]
    [InlineData(ShipmentStatus.Cancelled, ShipmentAction.Deliver)]
    public void A_report_on_a_failed_or_cancelled_shipment_points_to_where_the_legs_goods_travel_now(ShipmentStatus status, ShipmentAction action)
    {
        var shipment = In(status);

        var transition = ShipmentTransitions.Apply(shipment, action, At);

        Assert.Equal(TransitionKind.Illegal, transition.Kind);
        Assert.Contains("new shipment", transition.Why);
        Assert.Contains($"GET /api/logistics/shipments?trade={shipment.TradeId}", transition.Why);
    }
}
