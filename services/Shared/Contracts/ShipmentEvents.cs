namespace TradeNet.Contracts;

public sealed record ShipmentStop(int Sequence, string TownId, string Action, DateTimeOffset Eta);

/// <summary>A leg of a trade has a vehicle and a place in a route.</summary>
public sealed record ShipmentPlanned(
    Guid ShipmentId,
    Guid TradeId,
    int LegIndex,
    string VehicleId,
    Guid RouteId,
    ShipmentStop[] Stops,
    DateTimeOffset EstimatedDelivery);

public sealed record ShipmentPickedUp(Guid ShipmentId, Guid TradeId, int LegIndex, DateTimeOffset At);

public sealed record ShipmentDelivered(Guid ShipmentId, Guid TradeId, int LegIndex, DateTimeOffset At);

public sealed record ShipmentFailed(Guid ShipmentId, Guid TradeId, int LegIndex, string Reason, DateTimeOffset At);
