using System.Diagnostics;
using MassTransit;
using TradeNet.Contracts;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Planning;
using TradeNet.Logistics.Storage;
using TradeNet.Shared.Hosting;

namespace TradeNet.Logistics.Messaging;

/// <summary>An agreed trade becomes one transfer order per leg: planned at once as direct trips when no vehicle is
/// registered, otherwise left for the next planning run. The inbox row, the transfers, any shipments and their
/// ShipmentPlanned events commit together, so a redelivery adds nothing. An agreement overtaken by the trade's cancellation
/// (the stop call, or TradeCancelled, consumed first) plans nothing, and says so: the trade's goods will not move.</summary>
public sealed class TradeAgreedConsumer(ILogisticsStore store, ShipmentPlanning planning, TimeProvider clock, ILogger<TradeAgreedConsumer> logger)
    : IConsumer<TradeAgreed>
{
    public const string Name = "logistics.trade-agreed";

    public async Task Consume(ConsumeContext<TradeAgreed> context)
    {
        var trade = context.Message;
        var ct = context.CancellationToken;
        Activity.Current?.SetTag(TradeNetTelemetry.TradeId, trade.TradeId.ToString());
        // Refused before anything is written, as a message that cannot be handled (retries, then the error queue): stored,
        // one such leg failed every planning run, and no town's legs were planned while it waited.
        foreach (var leg in trade.Legs ?? [])
            if (TransferOrder.Unplannable(leg) is { } problem)
                throw new InvalidDataException($"TradeAgreed {trade.TradeId}: leg {leg.Index}: {problem}; nothing of the trade is stored.");

        await using var session = await store.BeginAsync(ct);
        if (!await session.TryConsumeAsync(context.MessageId!.Value, Name, ct)) return;
        // An agreement and a cancellation of one trade, consumed at once, must not both decide on what the other has
        // not written yet (transfers planned for a cancelled trade).
        await session.SerializeTradeAsync(trade.TradeId, ct);
        // Carriers' reports start traces of their own; they link back to this one.
        if (Activity.Current?.Id is { } traceParent) await session.RememberTradeTraceAsync(trade.TradeId, traceParent, ct);
        // A cancellation that overtook the agreement wins: nothing to move.
        var cancelled = await session.IsTradeCancelledAsync(trade.TradeId, ct);
        if (!cancelled)
        {
            var now = clock.GetUtcNow();
            var created = new List<TransferOrder>();
            foreach (var leg in trade.Legs ?? [])
            {
                var transfer = TransferOrder.FromLeg(trade.TradeId, leg, now);
                // The same trade agreed twice under different message ids still gets one transfer per leg.
                if (await session.AddTransferAsync(transfer, ct)) created.Add(transfer);
            }
            await planning.PlanAgreedAsync(session, created, ct);
        }
        await session.CommitAsync(ct);
        if (cancelled)
            logger.LogInformation("Agreement of trade {TradeId} arrived after its cancellation: nothing planned", trade.TradeId);
    }
}
