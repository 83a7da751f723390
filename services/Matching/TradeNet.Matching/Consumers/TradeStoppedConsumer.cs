using MassTransit;
using TradeNet.Contracts;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Storage;
using TradeNet.Matching.Trades;
using TradeNet.Shared.Hosting;

namespace TradeNet.Matching.Consumers;

/// <summary>Logistics stopped an agreed trade's goods at an operator's request. The operator's call cancels the trade
/// itself right after; this finishes it when that call did not (matching crashed or the call timed out between the
/// two writes), so a trade whose goods can no longer move never stays agreed holding its reservation.</summary>
public sealed class TradeStoppedConsumer(IMatchingStore store, TimeProvider clock, ILogger<TradeStoppedConsumer> logger) : IConsumer<TradeStopped>
{
    public async Task Consume(ConsumeContext<TradeStopped> context)
    {
        var message = context.Message;
        var ct = context.CancellationToken;
        await using var session = await store.BeginAsync(ct);
        if (!await session.TryConsumeAsync(context.RequireMessageId(), "matching.trade-stopped", ct)) return;
        var trade = await session.GetTradeAsync(message.TradeId, ct);
        TradeNetTelemetry.LinkTo(System.Diagnostics.Activity.Current, trade?.TraceParent);
        if (trade is not { Status: TradeStatus.Agreed })
            // The usual case: the operator's call wrote the cancellation before this arrived.
            logger.LogInformation("Stop of trade {TradeId} needs nothing more: trade is {Status}", message.TradeId, trade?.Status.ToString() ?? "unknown");
        else
        {
            var (end, _) = await StoppedTrades.EndAsync(session, trade, message.ArrivedLegs, message.Reason, clock.GetUtcNow(), ct);
            if (end == StoppedEnd.Changed)
                throw new TradeChangedException($"Trade {trade.Id} changed while ending it after its stop; the message will be retried.");
            // Information, not a warning: on the in-memory bus this event usually overtakes the operator's own call,
            // which then answers the same end (QA: 15 of 20 cancels); only a call that died leaves this the sole writer.
            logger.LogInformation("Trade {TradeId} {End} on logistics' report that its goods were stopped ({Reason}); the operator's call, if still running, answers the same",
                trade.Id, end == StoppedEnd.Completed ? "completed" : "cancelled", message.Reason);
        }
        await session.CommitAsync(ct);
    }
}
