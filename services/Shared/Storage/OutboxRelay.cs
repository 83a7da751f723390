using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TradeNet.Shared.Hosting;

namespace TradeNet.Shared.Storage;

/// <summary>
/// Publishes a service's pending outbox events in order, waits for the broker's confirm, then marks
/// them sent. A crash between publish and mark re-publishes with the same message id, which the
/// consumers' inboxes discard. Resumes from the table after any restart.
/// </summary>
public sealed class OutboxRelay<TStore>(TStore store, IServiceProvider services, ILogger<OutboxRelay<TStore>> logger)
    : BackgroundService where TStore : IOutboxStore
{
    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(500);
    private const int Batch = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var bus = services.GetRequiredService<IBus>();
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // The unreadable rows stay pending in order among the others: asking for that many more keeps a
                // batch's worth of rows the relay can still act on, however many of them there are.
                var batch = Batch + _unreadable.Count;
                var pending = await store.PendingAsync(batch, stoppingToken);
                var published = 0;
                foreach (var message in pending)
                    if (await PublishAsync(bus, message, stoppingToken)) published++;
                failures = 0;
                if (pending.Count == batch && published > 0) continue;
                await OutboxSignal.WaitAsync(Idle, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                var delay = TimeSpan.FromMilliseconds(Math.Min(5000, 200 * Math.Pow(2, Math.Min(failures, 5))));
                logger.LogWarning(ex, "Outbox relay {Store} could not publish; retrying in {Delay}", typeof(TStore).Name, delay);
                await Task.Delay(delay, stoppingToken).ContinueWith(_ => { }, CancellationToken.None);
            }
        }
    }

    // Rows no build of this service can read (a renamed or removed event type, a corrupt payload) stay pending,
    // visible in the backlog gauges, instead of holding back every event behind them; each is logged once.
    private readonly HashSet<Guid> _unreadable = [];

    private async Task<bool> PublishAsync(IBus bus, OutboxMessage message, CancellationToken ct)
    {
        object body;
        try
        {
            body = message.Deserialize() ?? throw new InvalidOperationException("The payload is null.");
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.Text.Json.JsonException or NotSupportedException)
        {
            if (_unreadable.Add(message.Id))
                logger.LogError(ex, "Outbox relay {Store} skips unreadable event {MessageId} of type {Type}; it stays pending",
                    typeof(TStore).Name, message.Id, message.Type);
            return false;
        }

        // The relay's span continues the trace of the write that queued the event.
        ActivityContext.TryParse(message.TraceParent, null, out var parent);
        using var activity = TradeNetTelemetry.Source.StartActivity("outbox relay", ActivityKind.Producer, parent);
        activity?.SetTag("messaging.message.id", message.Id);
        activity?.SetTag("tradenet.event_type", message.Type);
        TradeNetTelemetry.TagTrade(activity, body);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        await bus.Publish(body, body.GetType(), Pipe.Execute<PublishContext>(context =>
        {
            context.MessageId = message.Id;
            context.Durable = true;
        }), timeout.Token);
        await store.MarkSentAsync(message.Id, ct);
        return true;
    }
}
