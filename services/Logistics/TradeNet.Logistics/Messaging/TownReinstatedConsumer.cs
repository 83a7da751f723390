using MassTransit;
using TradeNet.Contracts;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Storage;

namespace TradeNet.Logistics.Messaging;

/// <summary>An operator lifted a town's suspension (catalog): it may register vehicles again, and planning uses them.
/// Its vehicles withdrawn at the suspension stay withdrawn. A reinstatement older than a suspension already heard of
/// changes nothing (<see cref="TownSuspensions"/>).</summary>
public sealed class TownReinstatedConsumer(ILogisticsStore store, ILogger<TownReinstatedConsumer> logger) : IConsumer<TownReinstated>
{
    public const string Name = "logistics.town-reinstated";

    public async Task Consume(ConsumeContext<TownReinstated> context)
    {
        var (town, ct) = (context.Message.TownId, context.CancellationToken);
        await using var session = await store.BeginAsync(ct);
        if (!await session.TryConsumeAsync(context.MessageId!.Value, Name, ct)) return;
        var lifted = await TownSuspensions.ReinstateAsync(session, town, context.Message.ReinstatedAt, ct);
        await session.CommitAsync(ct);
        if (lifted) logger.LogInformation("Town {TownId} reinstated: it may register vehicles again", town);
        else logger.LogWarning("Town {TownId}'s reinstatement of {At:o} is older than its suspension known here: it stays suspended",
            town, context.Message.ReinstatedAt);
    }
}
