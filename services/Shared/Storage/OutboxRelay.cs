using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TradeNet.Shared.Hosting;

namespace TradeNet.Shared.Storage;

/// <summary>
/// Publishes a service's pending outbox events in order, waits for the broker's confirm, then marks
/// them sent, a batch at a time. A crash between publish and mark re-publishes with the same message id, which the
/// consumers' inboxes discard. Resumes from the table after any restart. The in-memory bus confirms nothing a crash
/// spares (its queues and retries live in the process), so there an event is kept for <see cref="KeptFor"/> after it
/// was handed over, and everything kept is handed over again when the relay starts: what a consumer had not finished
/// when the process stopped arrives after all, and what it had is discarded by its inbox. Replicas sharing one outbox take turns
/// through a lease in it: one relay publishes, the others stand by and take over once its hold runs out (or at once
/// when it stops cleanly), so events go out once and in order rather than once per replica.
/// </summary>
public sealed class OutboxRelay<TStore>(TStore store, IServiceProvider services, ILogger<OutboxRelay<TStore>> logger)
    : BackgroundService where TStore : IOutboxStore
{
    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(30);
    private const int Batch = 100;

    /// <summary>How long a hold lasts: a relay that dies holds up its outbox's events this long at most.</summary>
    public static readonly TimeSpan Hold = TimeSpan.FromSeconds(10);

    // Renewed when less than half is left, so a store call every few seconds, not one per event.
    private static readonly TimeSpan Renew = Hold / 2;

    /// <summary>How long after taking or renewing its hold a relay publishes without asking the store again; a takeover
    /// comes no sooner than <see cref="Hold"/> after it, so the two never meet (<see cref="Renew"/> to spare).</summary>
    public static readonly TimeSpan Trusted = Hold - Renew;
    private static readonly TimeSpan StandBy = TimeSpan.FromSeconds(1);

    /// <summary>How long the in-memory bus's events stay kept: far past its retries (seconds) and queues, well within
    /// the inboxes' memory of what they handled (<see cref="StorageOptions.InboxRetention"/>, days).</summary>
    public static readonly TimeSpan KeptFor = TimeSpan.FromMinutes(15);

    /// <summary>How often kept events past <see cref="KeptFor"/> are forgotten (a test's shorter).</summary>
    internal TimeSpan ForgetEvery { get; init; } = TimeSpan.FromMinutes(1);

    // Each delete a short write; a minute's events are forgotten in as many as they need (MindKeptAsync).
    private const int ForgetBatch = 1_000;

    private readonly string _holder = $"{Environment.MachineName}/{Guid.NewGuid():N}";
    private bool _keepSent;
    private Messaging.GivenUpEvents? _givenUp;
    private bool _requeued;
    // When kept events were last forgotten, on the monotonic clock (null: not yet). Due by the wall clock, a clock stepped
    // back an hour forgot nothing for that hour, while a busy service's kept events piled up.
    private long? _forgotAt;
    // The wall clock when the relay started and the monotonic instant it was read: with the time since, a wall clock no
    // step moves (see KeptBefore).
    private DateTimeOffset _startedAt;
    private long _startedTs;
    // When the given-up events were last handed over, on the monotonic clock (null: not yet); by the wall clock, a clock
    // stepped back an hour held them that hour.
    private long? _givenUpAt;

    // Looked for now and then, not on every idle tick: such events are rare and rest half a minute anyway.
    private static readonly TimeSpan GivenUpEvery = TimeSpan.FromSeconds(5);
    // When the hold was last taken or renewed, on the monotonic clock (null: not held). The wall clock is what the store's
    // lease compares, but a wall clock stepped back by an NTP correction would have kept this relay trusting its hold,
    // and publishing beside the replica that took it over, for as long as the step.
    private long? _heldSince;

    /// <summary>The relay's clock: the system's; a test's to step it.</summary>
    internal TimeProvider Clock { get; init; } = TimeProvider.System;
    private bool? _held; // what was last logged: each change, and the first answer, is worth a line

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var bus = services.GetRequiredService<IBus>();
        // Events published before this process's bus has started could reach an exchange nothing is bound to yet.
        if (services.GetService<Messaging.BusReadiness>() is { Started: false } readiness)
        {
            logger.LogInformation("Outbox relay {Store} waits for the message bus to start", typeof(TStore).Name);
            try { await readiness.WaitAsync(stoppingToken); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
        }
        _keepSent = services.GetService<Messaging.BusDurability>() is { Durable: false };
        (_startedAt, _startedTs) = (Clock.GetUtcNow(), Clock.GetTimestamp());
        _givenUp = services.GetService<Messaging.GivenUpEvents>();
        var failures = 0;
        var failingSince = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            // A publish waits up to 30 s for a broker that is away before it fails: the outage began when that attempt did.
            var attempt = DateTimeOffset.UtcNow;
            try
            {
                if (!await HoldAsync(stoppingToken))
                {
                    await Task.Delay(StandBy, stoppingToken);
                    continue;
                }
                // Over a durable bus too, once: a standalone host's folder started over RabbitMQ still keeps what its
                // in-memory bus was handed, which a relay reading pending rows alone left kept for good, never delivered.
                if (_keepSent || !_requeued) await MindKeptAsync(stoppingToken);
                // The unreadable rows stay pending in order among the others: asking for that many more keeps a
                // batch's worth of rows the relay can still act on, however many of them there are.
                var batch = Batch + _unreadable.Count;
                var pending = await store.PendingAsync(batch, stoppingToken);
                var published = new List<Guid>(pending.Count);
                try
                {
                    foreach (var message in pending)
                    {
                        if (!await HoldAsync(stoppingToken)) break; // another relay took over: it publishes the rest
                        if (await PublishAsync(bus, message, stoppingToken)) published.Add(message.Id);
                    }
                }
                finally
                {
                    // What went out is marked in one write, also when a publish failed or the relay stops: a write per
                    // event doubled a busy service's writes. After a crash before it, these go out again (same message ids).
                    await MarkAsync(published);
                }
                // MassTransit says nothing when it reconnects: without this line an operator reading the log during a
                // broker outage sees the warnings stop, never that the events flow again.
                if (failures > 0 && published.Count > 0)
                    logger.LogInformation("Outbox relay {Store} publishes again after {Failures} failed attempts since {Since:u}",
                        typeof(TStore).Name, failures, failingSince);
                failures = 0;
                if (pending.Count == batch && published.Count > 0) continue;
                await OutboxSignal.WaitAsync(Idle, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                if (failures++ == 0) failingSince = attempt;
                var delay = TimeSpan.FromMilliseconds(Math.Min(5000, 200 * Math.Pow(2, Math.Min(failures, 5))));
                logger.LogWarning(ex, "Outbox relay {Store} could not publish; retrying in {Delay}", typeof(TStore).Name, delay);
                await Task.Delay(delay, stoppingToken).ContinueWith(_ => { }, CancellationToken.None);
            }
        }
        await LetGoAsync();
    }

    /// <summary>Forgets what has been kept long enough, hands over again, once, what was kept when the process last stopped
    /// (on a durable bus only that, at the start: what an earlier run on the in-memory bus kept), and hands over again
    /// what a consumer gave up on after its retries (in-memory bus only).</summary>
    private async Task MindKeptAsync(CancellationToken ct)
    {
        var now = Clock.GetUtcNow();
        if (_forgotAt is not { } forgotAt || Clock.GetElapsedTime(forgotAt) >= ForgetEvery)
        {
            // Counted from the first hand-over, so handing over again (after each restart of a crash loop) ends too.
            // Everything past the keeping time, a batch per write until one comes back short: one batch of 10,000 a
            // minute fell behind a busy matching (12,000–16,000 events a minute in the soak run, docs/benchmarks.md), and
            // the kept events then grew without bound, all of them handed over again at the next start.
            var before = KeptBefore(now);
            await Batches.DeleteUntilShortAsync((max, token) => store.ForgetSentAsync(before, max, token), ForgetBatch, ct);
            _givenUp?.ForgetBefore(before);
            _forgotAt = Clock.GetTimestamp();
        }
        if (!_requeued)
        {
            var again = await store.RequeueSentAsync(ct);
            _requeued = true;
            if (again > 0)
                logger.LogInformation("Outbox relay {Store} hands {Count} events over again that the in-memory bus had before the last stop; consumers discard those they handled",
                    typeof(TStore).Name, again);
        }
        if (_givenUpAt is { } givenUpAt && Clock.GetElapsedTime(givenUpAt) < GivenUpEvery) return;
        if (_givenUp is not { } givenUp || givenUp.Due() is not { Count: > 0 } due) return;
        _givenUpAt = Clock.GetTimestamp();
        var mine = await store.RequeueAsync(due, ct);
        if (mine.Count == 0) return;
        givenUp.Remove(mine);
        logger.LogWarning("Outbox relay {Store} hands {Count} events over again that a consumer gave up on after its retries", typeof(TStore).Name, mine.Count);
    }

    /// <summary>Where forgetting stops: events kept since before it are forgotten. Their stamps are the wall clock's (they
    /// outlive the process: a restart's relay judges them too), so the cut is the wall clock's less <see cref="KeptFor"/>, but
    /// never later than the cut on the relay's own steady clock (the wall clock at its start plus the monotonic time since):
    /// a wall clock stepped an hour forward forgot at once events handed over a moment before, and a stop then lost those a
    /// consumer had not finished. Stepped back, the wall clock's cut is the earlier: the events stamped before the step are
    /// kept that much longer (handed over again at a restart meanwhile, and discarded by the inboxes), none too early.</summary>
    private DateTimeOffset KeptBefore(DateTimeOffset now)
    {
        var steady = _startedAt + Clock.GetElapsedTime(_startedTs);
        return (now < steady ? now : steady) - KeptFor;
    }

    /// <summary>True while this relay holds the outbox, renewing or taking the hold when it is due.</summary>
    private async Task<bool> HoldAsync(CancellationToken ct)
    {
        if (_heldSince is { } since && Clock.GetElapsedTime(since) < Trusted) return true;
        var asked = Clock.GetTimestamp();
        var now = Clock.GetUtcNow();
        var held = await store.TryHoldRelayAsync(_holder, now, now + Hold, ct);
        if (held != _held)
            logger.LogInformation(held ? "Outbox relay {Store} ({Holder}) publishes this outbox" : "Outbox relay {Store} ({Holder}) stands by: another relay holds this outbox",
                typeof(TStore).Name, _holder);
        // At Debug: each renewal opens another Trusted of publishing, so a test reading timestamped logs can tell
        // when each relay may have published (ReplicaKillTradingTests: no two holders at once).
        else if (held)
            logger.LogDebug("Outbox relay {Store} ({Holder}) renews its hold on this outbox", typeof(TStore).Name, _holder);
        _heldSince = held ? asked : null;
        _held = held;
        return held;
    }

    /// <summary>A relay that stops cleanly hands the outbox over at once instead of making the others wait out its hold.</summary>
    private async Task LetGoAsync()
    {
        if (_heldSince is not { } since || Clock.GetElapsedTime(since) >= Hold) return;
        try
        {
            var now = Clock.GetUtcNow();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            // Run out since the epoch, not at this relay's now: a replica whose clock is behind this one's would read "now"
            // as still to come and wait out the difference (minutes after a paused VM resumed) instead of taking over at once.
            await store.TryHoldRelayAsync(_holder, now, DateTimeOffset.UnixEpoch, timeout.Token);
        }
        catch (Exception ex)
        {
            logger.LogDebug(ex, "Outbox relay {Store} could not let go of its hold; it runs out by itself", typeof(TStore).Name);
        }
        _heldSince = null;
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
        timeout.CancelAfter(PublishTimeout);
        try
        {
            var mandatory = Messaging.ConsumedEvents.All.Contains(body.GetType());
            await bus.Publish(body, body.GetType(), Pipe.Execute<PublishContext>(context =>
            {
                context.MessageId = message.Id;
                context.Durable = true;
                if (message.HandedOverBefore) context.Headers.Set(OutboxMessage.HandedOverAgainHeader, true);
                // A consumed event no queue takes comes back (the publish fails and the event stays pending) instead of
                // being confirmed and dropped: a broker rebuilt empty, a queue deleted by hand (ConsumedEvents).
                if (mandatory && context.TryGetPayload(out RabbitMqSendContext? rabbit)) rabbit.Mandatory = true;
            }), timeout.Token);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // The loop logs and retries outside any trace: without this the failed attempt (up to 30 s waiting for a
            // broker that is down) would look like a slow success in the trade's trace, and no error filter would find it.
            // The 30 s timeout surfaces as a bare "A task was canceled."; say what it means.
            activity?.SetStatus(ActivityStatusCode.Error,
                ex is OperationCanceledException ? $"not confirmed by the broker within {PublishTimeout.TotalSeconds:0} s" : ex.Message);
            activity?.AddException(ex);
            throw;
        }
        return true;
    }

    private async Task MarkAsync(IReadOnlyCollection<Guid> published)
    {
        if (published.Count == 0) return;
        // Not cancelled with the relay: a stop must not leave what was published pending, to go out again at the next start.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        if (_keepSent) await store.KeepSentAsync(published, Clock.GetUtcNow(), timeout.Token);
        else await store.MarkSentAsync(published, timeout.Token);
    }
}
