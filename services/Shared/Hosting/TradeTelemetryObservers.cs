using System.Diagnostics;
using MassTransit;
using TradeNet.Contracts;

namespace TradeNet.Shared.Hosting;

/// <summary>Tags MassTransit's consume spans with the ids the message carries, and counts failed attempts.</summary>
public sealed class TradeConsumeObserver : IConsumeObserver
{
    public Task PreConsume<T>(ConsumeContext<T> context) where T : class
    {
        // The consume span and its receive parent are both MassTransit's and in this process.
        for (var span = Activity.Current; span is not null && span.Source.Name == "MassTransit"; span = span.Parent)
            TradeNetTelemetry.TagTrade(span, context.Message);
        return Task.CompletedTask;
    }

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class
    {
        TradeNetTelemetry.ConsumeFaults.Add(1, new KeyValuePair<string, object?>("messaging.message.type", typeof(T).Name));
        return Task.CompletedTask;
    }
}

/// <summary>Counts messages that exhausted their retries: MassTransit moves each to the endpoint's _error queue.</summary>
public sealed class ErrorQueueObserver : IReceiveObserver
{
    public Task PreReceive(ReceiveContext context) => Task.CompletedTask;
    public Task PostReceive(ReceiveContext context) => Task.CompletedTask;
    public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType) where T : class => Task.CompletedTask;
    public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception) where T : class
    {
        TradeNetTelemetry.ErrorQueued.Add(1,
            new KeyValuePair<string, object?>("messaging.destination.name", context.ReceiveContext.InputAddress?.AbsolutePath.Trim('/')),
            new KeyValuePair<string, object?>("messaging.message.type", typeof(T).Name));
        return Task.CompletedTask;
    }

    public Task ReceiveFault(ReceiveContext context, Exception exception) => Task.CompletedTask;
}

/// <summary>Counts trades and shipments by the state their published events announce. Every state change
/// of a trade or shipment writes exactly one event to the outbox, so this counts each change once as long as each event is
/// counted at its first publish only: on the in-memory bus an outbox hands an event over again (after a restart, a
/// consumer giving up, a restore), flagged with <see cref="Storage.OutboxMessage.HandedOverAgainHeader"/>, and each was
/// counted again. A publish to RabbitMQ repeated after a crash between its confirm and its mark is not told apart.</summary>
public sealed class TradeStatePublishObserver : IPublishObserver
{
    public Task PrePublish<T>(PublishContext<T> context) where T : class => Task.CompletedTask;
    public Task PublishFault<T>(PublishContext<T> context, Exception exception) where T : class => Task.CompletedTask;

    public Task PostPublish<T>(PublishContext<T> context) where T : class
    {
        if (context.Headers.TryGetHeader(Storage.OutboxMessage.HandedOverAgainHeader, out _)) return Task.CompletedTask;
        switch (context.Message)
        {
            case TradeProposed: Count(TradeNetTelemetry.Trades, "proposed"); break;
            case TradeAgreed:
                Count(TradeNetTelemetry.Trades, "agreed");
                Count(TradeNetTelemetry.Proposals, "accepted");
                break;
            case TradeCancelled cancelled:
                Count(TradeNetTelemetry.Trades, "cancelled");
                if (!cancelled.WasAgreed) Count(TradeNetTelemetry.Proposals, Outcome(cancelled.Reason));
                break;
            case TradeCompleted: Count(TradeNetTelemetry.Trades, "completed"); break;
            case ShipmentPlanned: Count(TradeNetTelemetry.Shipments, "planned"); break;
            case ShipmentPickedUp: Count(TradeNetTelemetry.Shipments, "picked_up"); break;
            case ShipmentDelivered: Count(TradeNetTelemetry.Shipments, "delivered"); break;
            case ShipmentFailed: Count(TradeNetTelemetry.Shipments, "failed"); break;
        }
        return Task.CompletedTask;
    }

    private static string Outcome(string reason) =>
        reason.StartsWith("expired", StringComparison.Ordinal) ? "expired"
        : reason.StartsWith("rejected", StringComparison.Ordinal) ? "rejected"
        : "refused";

    private static void Count(System.Diagnostics.Metrics.Counter<long> counter, string state) =>
        counter.Add(1, new KeyValuePair<string, object?>(TradeNetTelemetry.State, state));
}
