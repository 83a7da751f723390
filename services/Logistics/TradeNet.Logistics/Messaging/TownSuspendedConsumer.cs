using MassTransit;
using TradeNet.Contracts;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Storage;

namespace TradeNet.Logistics.Messaging;

/// <summary>An operator suspended a town (catalog): logistics remembers it and withdraws the town's vehicles, as the
/// operator's <c>DELETE /vehicles/{id}</c> would, so no planning run gives goods of others to a carrier the network no
/// longer trusts (<see cref="TownSuspensions"/>: read and withdrawn in one write, and the town's later registrations
/// refused). Goods already on its routes are left to the operator (<c>docs/operations.md</c>, "Field incidents").</summary>
public sealed class TownSuspendedConsumer(ILogisticsStore store, ILogger<TownSuspendedConsumer> logger) : IConsumer<TownSuspended>
{
    public const string Name = "logistics.town-suspended";

    public async Task Consume(ConsumeContext<TownSuspended> context)
    {
        var (town, ct) = (context.Message.TownId, context.CancellationToken);
        await using var session = await store.BeginAsync(ct);
        if (!await session.TryConsumeAsync(context.MessageId!.Value, Name, ct)) return;
        var withdrawn = await TownSuspensions.SuspendAsync(session, town, context.Message.Reason, context.Message.SuspendedAt, ct);
        await session.CommitAsync(ct);
        if (withdrawn.Count > 0)
            logger.LogInformation("Town {TownId} suspended: {Count} vehicles withdrawn ({Vehicles})", town, withdrawn.Count,
                string.Join(", ", withdrawn.Select(v => v.Id)));
    }
}
