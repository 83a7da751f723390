using TradeNet.Contracts;

namespace TradeNet.Logistics.Domain;

public enum ShipmentAction { PickUp, Deliver, Fail, Cancel }

public enum TransitionKind
{
    /// <summary>The shipment moved to a new status; <see cref="Transition.Event"/> says so to the others.</summary>
    Applied,
    /// <summary>The shipment already is where the action leads: nothing changes, nothing is published.</summary>
    Repeated,
    /// <summary>The action makes no sense from the current status.</summary>
    Illegal,
}

public sealed record Transition(TransitionKind Kind, Shipment Shipment, object? Event = null, string? Why = null);

/// <summary>
/// The shipment state machine: planned → pickedUp → delivered; failure from planned or pickedUp;
/// cancellation only before pickup (goods on the road finish their trip or fail).
/// </summary>
public static class ShipmentTransitions
{
    public static Transition Apply(Shipment s, ShipmentAction action, DateTimeOffset at, string? reason = null) =>
        (action, s.Status) switch
        {
            (ShipmentAction.PickUp, ShipmentStatus.Planned) =>
                Applied(s with { Status = ShipmentStatus.PickedUp, PickedUpAt = at },
                    new ShipmentPickedUp(s.Id, s.TradeId, s.LegIndex, at)),
            (ShipmentAction.PickUp, ShipmentStatus.PickedUp) => new(TransitionKind.Repeated, s),

            (ShipmentAction.Deliver, ShipmentStatus.PickedUp) =>
                Applied(s with { Status = ShipmentStatus.Delivered, DeliveredAt = at },
                    new ShipmentDelivered(s.Id, s.TradeId, s.LegIndex, at)),
            (ShipmentAction.Deliver, ShipmentStatus.Delivered) => new(TransitionKind.Repeated, s),
            // Says who unblocks it: a receiving town holding its goods cannot report the pickup itself.
            (ShipmentAction.Deliver, ShipmentStatus.Planned) => Illegal(s,
                $"the shipment has not been picked up yet; its carrier town ({s.CarrierTown}) or an operator reports the pickup first"),

            (ShipmentAction.Fail, ShipmentStatus.Planned or ShipmentStatus.PickedUp) =>
                Applied(s with { Status = ShipmentStatus.Failed, FailedAt = at, FailureReason = reason },
                    new ShipmentFailed(s.Id, s.TradeId, s.LegIndex, reason ?? "", at)),
            (ShipmentAction.Fail, ShipmentStatus.Failed) => new(TransitionKind.Repeated, s),

            (ShipmentAction.Cancel, ShipmentStatus.Planned) =>
                Applied(s with { Status = ShipmentStatus.Cancelled, CancelledAt = at }, null),
            (ShipmentAction.Cancel, ShipmentStatus.Cancelled) => new(TransitionKind.Repeated, s),

            // A failed or cancelled trip is over: a town reporting on it must find the shipment its leg goes out on now.
            (ShipmentAction.PickUp or ShipmentAction.Deliver, ShipmentStatus.Failed or ShipmentStatus.Cancelled) => Illegal(s,
                $"a {Describe(s.Status)} shipment cannot be {Describe(action)}; if its trade still owes the goods, the leg goes out " +
                $"on a new shipment once planning takes it again (a leg held after failed trips once an operator releases it): " +
                $"report on that one, found with GET /api/logistics/shipments?trade={s.TradeId}"),
            _ => Illegal(s, $"a {Describe(s.Status)} shipment cannot be {Describe(action)}"),
        };

    private static Transition Applied(Shipment next, object? evt) =>
        new(TransitionKind.Applied, next with { Version = next.Version + 1 }, evt);

    private static Transition Illegal(Shipment s, string why) => new(TransitionKind.Illegal, s, Why: why);

    public static string Describe(ShipmentStatus status) => status switch
    {
        ShipmentStatus.Planned => "planned",
        ShipmentStatus.PickedUp => "picked-up",
        ShipmentStatus.Delivered => "delivered",
        ShipmentStatus.Failed => "failed",
        ShipmentStatus.Cancelled => "cancelled",
        _ => status.ToString(),
    };

    private static string Describe(ShipmentAction action) => action switch
    {
        ShipmentAction.PickUp => "picked up",
        ShipmentAction.Deliver => "delivered",
        ShipmentAction.Fail => "marked failed",
        ShipmentAction.Cancel => "cancelled",
        _ => action.ToString(),
    };
}
