using MassTransit;
using TradeNet.Contracts;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Storage;

namespace TradeNet.Logistics.Messaging;

/// <summary>A cancelled trade is stopped (<see cref="TradeStops"/>): its transfers and shipments that have not left are
/// cancelled and the routes they were on re-planned. An agreed trade an operator cancelled was stopped already, through
/// gRPC StopTrade, before matching committed the cancellation: then there is nothing left to do here. For a proposal (or
/// a sender that did not ask first) goods already picked up finish their trip (or fail) through the carrier.</summary>
public sealed class TradeCancelledConsumer(ILogisticsStore store, TradeStops stops) : IConsumer<TradeCancelled>
{
    public const string Name = "logistics.trade-cancelled";

    public async Task Consume(ConsumeContext<TradeCancelled> context)
    {
        var trade = context.Message;
        var ct = context.CancellationToken;
        await using var session = await store.BeginAsync(ct);
        if (!await session.TryConsumeAsync(context.MessageId!.Value, Name, ct)) return;
        await stops.StopAsync(session, trade.TradeId, trade.Reason ?? "", refuseWhileMoving: false, ct);
        await session.CommitAsync(ct);
    }
}
