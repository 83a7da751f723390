using MassTransit;
using TradeNet.Contracts;
using TradeNet.Logistics.Storage;

namespace TradeNet.Logistics.Messaging;

/// <summary>An operator suspended a town (catalog): its vehicles are withdrawn, as the operator's
/// <c>DELETE /vehicles/{id}</c> would, so the next planning run gives no goods of others to a carrier the network no
/// longer trusts (security review: planning kept using them until an operator deleted each one). Goods already on its
/// routes are left to the operator (<c>docs/operations.md</c>, "Field incidents"); a vehicle the town registers in the
/// seconds its key still passes a gateway is not seen here.</summary>
public sealed class TownSuspendedConsumer(ILogisticsStore store, ILogger<TownSuspendedConsumer> logger) : IConsumer<TownSuspended>
{
    public const string Name = "logistics.town-suspended";

    public async Task Consume(ConsumeContext<TownSuspended> context)
    {
        var town = context.Message.TownId;
        var ct = context.CancellationToken;
        var vehicles = await store.VehiclesAsync(town, ct);
        await using var session = await store.BeginAsync(ct);
        if (!await session.TryConsumeAsync(context.MessageId!.Value, Name, ct)) return;
        foreach (var vehicle in vehicles) await session.DeleteVehicleAsync(vehicle.Id, ct);
        await session.CommitAsync(ct);
        if (vehicles.Count > 0)
            logger.LogInformation("Town {TownId} suspended: {Count} vehicles withdrawn ({Vehicles})", town, vehicles.Count,
                string.Join(", ", vehicles.Select(v => v.Id)));
    }
}
