using TradeNet.Contracts;
using TradeNet.Logistics.Domain;

namespace TradeNet.Logistics.Planning;

/// <summary>
/// One trip per transfer, straight from the giving town to the receiving town, with the giving town
/// as carrier (vehicle <c>direct-{fromTown}</c>). It leaves when the leg becomes available (now if
/// the window is already open) and arrives after distance / speed; it costs distance × cost per km.
/// </summary>
public sealed class DirectTripPlanner(TransportModel model) : IShipmentPlanner
{
    public const string PickupAction = "pickup";
    public const string DeliveryAction = "delivery";

    public Task<IReadOnlyList<PlannedShipment>> PlanAsync(IReadOnlyList<TransferOrder> pending, PlanningContext ctx, CancellationToken ct) =>
        PlanAsync(pending, ctx, _ => ctx.NoVehicleReason, ct);

    /// <summary>As <see cref="PlanAsync(IReadOnlyList{TransferOrder}, PlanningContext, CancellationToken)"/>, each trip
    /// with the reason the fleet did not carry its leg.</summary>
    public Task<IReadOnlyList<PlannedShipment>> PlanAsync(IReadOnlyList<TransferOrder> pending, PlanningContext ctx,
        Func<TransferOrder, DirectTripReason> why, CancellationToken ct)
    {
        // Direct trips use no vehicle of the fleet: asked for the fleet only, it places nothing.
        if (ctx.FleetOnly) return Task.FromResult<IReadOnlyList<PlannedShipment>>([]);
        var planned = new List<PlannedShipment>(pending.Count);
        foreach (var transfer in pending)
        {
            ct.ThrowIfCancellationRequested();
            planned.Add(Plan(transfer, ctx.Now, why(transfer)));
        }
        return Task.FromResult<IReadOnlyList<PlannedShipment>>(planned);
    }

    public PlannedShipment Plan(TransferOrder transfer, DateTimeOffset now, DirectTripReason? why = null)
    {
        var trip = model.Estimate(transfer.From, transfer.To);
        var departure = transfer.WindowFrom is { } opens && opens > now ? opens : now;
        // A leg available only at the end of the calendar must not overflow (and fail the whole run).
        var eta = departure <= DateTimeOffset.MaxValue - trip.Duration - TimeSpan.FromSeconds(1)
            ? WholeSecondUp(departure + trip.Duration) : DateTimeOffset.MaxValue;
        ShipmentStop[] stops =
        [
            new(1, transfer.FromTown, PickupAction, departure),
            new(2, transfer.ToTown, DeliveryAction, eta),
        ];
        return new PlannedShipment(transfer, transfer.FromTown, VehicleFor(transfer.FromTown), Guid.NewGuid(),
            trip.DistanceKm, trip.Cost, eta, stops, why);
    }

    // An ETA to the second, as route plans give them (a direct trip's read "13:22:30.5175926": sense QA); up, never early.
    private static DateTimeOffset WholeSecondUp(DateTimeOffset t) =>
        t.UtcTicks % TimeSpan.TicksPerSecond == 0 ? t : t.AddTicks(TimeSpan.TicksPerSecond - t.UtcTicks % TimeSpan.TicksPerSecond);

    public static string VehicleFor(string townId) => $"direct-{townId}";
}
