using TradeNet.Contracts;
using TradeNet.Logistics.Domain;

namespace TradeNet.Logistics.Planning;

/// <summary>What a planning run knows besides the transfers: the time, the registered fleet (none: direct trips) and,
/// when smaller than the configured one, the solver's time budget (a re-plan of one route needs little).
/// <paramref name="FleetOnly"/>: transfers the fleet cannot carry are left out of the answer instead of going as direct
/// trips by their giving towns (a re-route after a cancellation keeps the old plan then).
/// <paramref name="Registered"/>: how many vehicles are registered, when the run offers fewer (booked ones left out), so a
/// direct trip can tell "no fleet at all" from "no vehicle free"; null = as many as <paramref name="Fleet"/>.</summary>
public sealed record PlanningContext(DateTimeOffset Now, IReadOnlyList<Vehicle>? Fleet = null, TimeSpan? TimeLimit = null, bool FleetOnly = false,
    int? Registered = null)
{
    public IReadOnlyList<Vehicle> Vehicles => Fleet ?? [];

    /// <summary>Why a leg goes as a direct trip when the fleet was not even tried.</summary>
    public DirectTripReason NoVehicleReason => (Registered ?? Vehicles.Count) == 0
        ? new(DirectTripReason.NoFleet) : new(DirectTripReason.NoVehicleAvailable);
}

/// <summary>One transfer placed on a vehicle's route. Transfers sharing a route share its <see cref="RouteId"/>;
/// <see cref="Cost"/> is this transfer's share of the route's cost; <see cref="DirectTrip"/> why it goes as a direct trip
/// (null on a vehicle's route).</summary>
public sealed record PlannedShipment(
    TransferOrder Transfer,
    string CarrierTown,
    string VehicleId,
    Guid RouteId,
    double DistanceKm,
    double Cost,
    DateTimeOffset Eta,
    IReadOnlyList<ShipmentStop> Stops,
    DirectTripReason? DirectTrip = null);

/// <summary>
/// The seam where route planning happens. The foundation plans direct trips; the pickup-and-delivery
/// planner replaces it by registering another implementation. Transfers it leaves out stay pending
/// for the next planning run.
/// </summary>
public interface IShipmentPlanner
{
    Task<IReadOnlyList<PlannedShipment>> PlanAsync(IReadOnlyList<TransferOrder> pending, PlanningContext ctx, CancellationToken ct);

    /// <summary>The legs a run in <paramref name="ctx"/> can place: those whose goods are ready before this (null: all).
    /// A planning run reads only these, so legs it would leave pending do not take its <c>Logistics:MaxTransfersPerRun</c>
    /// places from legs it can plan.</summary>
    DateTimeOffset? ReadyBefore(PlanningContext ctx) => null;
}
