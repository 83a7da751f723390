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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var bus = services.GetRequiredService<IBus>();
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var pending = await store.PendingAsync(100, stoppingToken);
                foreach (var message in pending)
                    await PublishAsync(bus, message, stoppingToken);
                failures = 0;
                if (pending.Count == 100) continue;
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

    private async Task PublishAsync(IBus bus, OutboxMessage message, CancellationToken ct)
    {
        // The relay's span continues the trace of the write that queued the event.
        ActivityContext.TryParse(message.TraceParent, null, out var parent);
        using var activity = TradeNetTelemetry.Source.StartActivity("outbox relay", ActivityKind.Producer, parent);
        activity?.SetTag("messaging.message.id", message.Id);
        activity?.SetTag("tradenet.event_type", message.Type);
        var body = message.Deserialize();
        TradeNetTelemetry.TagTrade(activity, body);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        await bus.Publish(body, body.GetType(), Pipe.Execute<PublishContext>(context =>
        {
            context.MessageId = message.Id;
            context.Durable = true;
        }), timeout.Token);
        await store.MarkSentAsync(message.Id, ct);
    }
}
