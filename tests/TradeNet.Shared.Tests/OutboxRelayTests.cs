using System.Diagnostics.Metrics;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using TradeNet.Contracts;
using TradeNet.Shared.Hosting;
using TradeNet.Shared.Messaging;
using TradeNet.Shared.Storage;
using TradeNet.Shared.Storage.Sqlite;
using TradeNet.Testing;

namespace TradeNet.Shared.Tests;

public sealed class OutboxRelayTests : IDisposable
{
    private readonly TestSettings _settings = new();

    private sealed class TestOutbox(SqliteDatabase db) : SqliteOutboxStore(db);

    [Fact]
    public async Task Events_written_while_no_relay_ran_are_published_once_it_starts_with_the_outbox_id_as_message_id()
    {
        var db = new SqliteDatabase(Path.Combine(_settings.DataDir, "relay.db"), "");
        var tradeIds = await WriteEventsAsync(db, 5);
        var outboxIds = (await new SqliteOutboxStore(db).PendingAsync(10, default)).Select(m => m.Id).ToHashSet();

        await using var provider = await RelayUntilAsync(db, 0, "outbox drained");
        var harness = provider.GetRequiredService<ITestHarness>();

        var published = harness.PublishesSoFar<TradeCancelled>();
        Assert.Equal(tradeIds, published.Select(p => p.Context.Message.TradeId));
        Assert.True(published.All(p => outboxIds.Contains(p.Context.MessageId!.Value)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(150)] // more than one batch of the relay: unreadable rows alone must not fill it
    public async Task Outbox_rows_the_relay_cannot_read_stay_pending_without_holding_back_the_events_after_them(int unreadable)
    {
        var db = new SqliteDatabase(Path.Combine(_settings.DataDir, "poison.db"), "");
        var poisonIds = new HashSet<Guid>();
        await using (var connection = db.Open())
            for (var i = 0; i < unreadable; i++)
            {
                await using var command = connection.CreateCommand();
                // An event type a later version renamed: no build of this one can ever publish it.
                command.CommandText = "INSERT INTO outbox(id, type, payload, created_at) VALUES ($id, 'TradeNet.Contracts.TradeRenamed', '{}', $at)";
                var id = Guid.NewGuid();
                poisonIds.Add(id);
                command.Parameters.AddWithValue("$id", id.ToString());
                command.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToString("O"));
                await command.ExecuteNonQueryAsync();
            }
        var tradeIds = await WriteEventsAsync(db, 3);

        await using var provider = await RelayUntilAsync(db, unreadable, "the readable events drained");
        var harness = provider.GetRequiredService<ITestHarness>();

        Assert.Equal(tradeIds, harness.PublishedSoFar<TradeCancelled>().Select(p => p.TradeId));
        Assert.Equal(poisonIds, (await new SqliteOutboxStore(db).PendingAsync(1000, default)).Select(m => m.Id).ToHashSet());
    }

    // Replicas sharing one outbox take turns through its lease (the lease itself is in each store's contract, e.g.
    // MatchingStoreContract).
    [Fact]
    public async Task Two_relays_on_one_outbox_publish_each_event_once_and_in_order()
    {
        var db = new SqliteDatabase(Path.Combine(_settings.DataDir, "two.db"), "");
        await using var provider = await StartHarnessAsync(db);
        var sent = new PublishCount();
        using var _ = provider.GetRequiredService<IBus>().ConnectPublishObserver(sent);
        var relays = new[] { NewRelay(provider), NewRelay(provider) };

        await Task.WhenAll(relays.Select(r => r.StartAsync(default)));
        await Task.Delay(200); // both idle, so the write's signal wakes both at once
        var tradeIds = await WriteEventsAsync(db, 150);
        try
        {
            await Eventually.True(async () => (await new SqliteOutboxStore(db).BacklogAsync(default)).Pending == 0, what: "outbox drained");
        }
        finally
        {
            await Task.WhenAll(relays.Select(r => r.StopAsync(default)));
        }

        // The harness lists a message id once however often it went out, so the publishes are counted on the bus.
        Assert.Equal(tradeIds, sent.TradeIds);
    }

    [Fact]
    public async Task A_standing_by_relay_publishes_as_soon_as_the_holder_stops()
    {
        var db = new SqliteDatabase(Path.Combine(_settings.DataDir, "takeover.db"), "");
        await using var provider = await StartHarnessAsync(db);
        var first = NewRelay(provider);
        await first.StartAsync(default);
        var before = await WriteEventsAsync(db, 3);
        await Eventually.True(async () => (await new SqliteOutboxStore(db).BacklogAsync(default)).Pending == 0, what: "first relay drained");
        var second = NewRelay(provider);
        await second.StartAsync(default);

        await first.StopAsync(default);
        var after = await WriteEventsAsync(db, 3);
        try
        {
            // Well inside the first relay's hold: only its letting go lets the second publish this soon.
            await Eventually.True(async () => (await new SqliteOutboxStore(db).BacklogAsync(default)).Pending == 0,
                timeout: OutboxRelay<TestOutbox>.Hold / 2, what: "second relay drained");
        }
        finally
        {
            await second.StopAsync(default);
        }

        var published = provider.GetRequiredService<ITestHarness>().PublishedSoFar<TradeCancelled>();
        Assert.Equal(before.Concat(after), published.Select(p => p.TradeId));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(30)]
    [InlineData(600)] // a VM resumed from a ten-minute pause, before NTP steps it
    public async Task A_standing_by_replica_whose_clock_runs_behind_the_holders_takes_over_as_soon_as_the_holder_stops(int behindSeconds)
    {
        var db = new SqliteDatabase(Path.Combine(_settings.DataDir, $"skew{behindSeconds}.db"), "");
        await using var provider = await StartHarnessAsync(db);
        var holder = NewRelay(provider);
        await holder.StartAsync(default);
        await WriteEventsAsync(db, 1);
        await Eventually.True(async () => (await new SqliteOutboxStore(db).BacklogAsync(default)).Pending == 0, what: "holder drained");

        await holder.StopAsync(default);

        // The other replica asks with its own clock, behind the holder's: the hold the holder let go of has run out by it.
        var behind = DateTimeOffset.UtcNow - TimeSpan.FromSeconds(behindSeconds);
        Assert.True(await new SqliteOutboxStore(db).TryHoldRelayAsync("replica behind", behind, behind + OutboxRelay<TestOutbox>.Hold, default));
    }

    // What skew a relay tolerates without publishing beside another: it trusts its hold without asking the store only
    // while more than half of it is left, so a replica whose clock runs ahead by more than that takes the hold over and
    // both may publish (the inboxes discard the second copy), for half a hold at most.
    [Fact]
    public async Task A_relay_whose_hold_a_replica_with_a_clock_far_ahead_took_over_publishes_nothing_half_a_hold_after_its_last_renewal()
    {
        var db = new SqliteDatabase(Path.Combine(_settings.DataDir, "ahead.db"), "");
        await using var provider = await StartHarnessAsync(db);
        var holder = NewRelay(provider);
        await holder.StartAsync(default);
        try
        {
            await Eventually.True(() => Task.FromResult(HoldEnd(db) is not null), what: "the relay holds the outbox");
            var first = HoldEnd(db);
            await Eventually.True(() => Task.FromResult(HoldEnd(db) != first), timeout: OutboxRelay<TestOutbox>.Hold * 2, what: "the relay renewed its hold");
            var renewed = System.Diagnostics.Stopwatch.StartNew();
            // Right after the renewal, by the clock of a replica ten minutes ahead, the hold has long run out.
            var ahead = DateTimeOffset.UtcNow.AddMinutes(10);
            Assert.True(await new SqliteOutboxStore(db).TryHoldRelayAsync("replica ahead", ahead, ahead + OutboxRelay<TestOutbox>.Hold, default));

            await Task.Delay(OutboxRelay<TestOutbox>.Hold / 2 + TimeSpan.FromMilliseconds(500) - renewed.Elapsed);
            await WriteEventsAsync(db, 3);
            await Task.Delay(TimeSpan.FromSeconds(2)); // a holder publishes within its idle wait

            // The replica ahead holds the outbox now (and, here, publishes nothing): the events wait for it.
            Assert.Equal(3, (await new SqliteOutboxStore(db).BacklogAsync(default)).Pending);
        }
        finally
        {
            await holder.StopAsync(default);
        }
    }

    [Fact]
    public async Task A_relay_whose_clock_steps_back_stops_publishing_within_half_a_hold_of_another_replica_taking_the_outbox_over()
    {
        var db = new SqliteDatabase(Path.Combine(_settings.DataDir, "stepback.db"), "");
        await using var provider = await StartHarnessAsync(db);
        var clock = new ShiftedClock();
        var holder = NewRelay(provider, clock);
        await holder.StartAsync(default);
        try
        {
            await Eventually.True(() => Task.FromResult(HoldEnd(db) is not null), what: "the relay holds the outbox");
            var first = HoldEnd(db);
            await Eventually.True(() => Task.FromResult(HoldEnd(db) != first), timeout: OutboxRelay<TestOutbox>.Hold * 2, what: "the relay renewed its hold");
            clock.Shift = TimeSpan.FromMinutes(-10); // an NTP step back right after a renewal

            // A replica on the true clock takes the outbox over once the hold has run out by it.
            await Eventually.True(async () =>
            {
                var now = DateTimeOffset.UtcNow;
                return await new SqliteOutboxStore(db).TryHoldRelayAsync("replica", now, now.AddMinutes(30), default);
            }, timeout: OutboxRelay<TestOutbox>.Hold * 2, what: "the other replica took the outbox over");
            await Task.Delay(OutboxRelay<TestOutbox>.Hold / 2 + TimeSpan.FromMilliseconds(500));
            await WriteEventsAsync(db, 3);
            await Task.Delay(TimeSpan.FromSeconds(2)); // a holder publishes within its idle wait

            // The stepped relay asked the store again and stands by: the events wait for the replica holding the outbox.
            Assert.Equal(3, (await new SqliteOutboxStore(db).BacklogAsync(default)).Pending);
        }
        finally
        {
            await holder.StopAsync(default);
        }
    }

    private static long? HoldEnd(SqliteDatabase db)
    {
        using var connection = db.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT expires_at FROM leases WHERE name = 'outbox-relay'";
        return command.ExecuteScalar() as long?;
    }

    [Fact]
    public async Task On_the_in_memory_bus_events_handed_over_are_kept_and_handed_over_again_with_their_ids_when_a_relay_next_starts()
    {
        var db = new SqliteDatabase(Path.Combine(_settings.DataDir, "memory.db"), "");
        var tradeIds = await WriteEventsAsync(db, 3);
        var outboxIds = (await new SqliteOutboxStore(db).PendingAsync(10, default)).Select(m => m.Id).ToList();
        await using var provider = await StartHarnessAsync(db, new BusDurability(Durable: false));
        var sent = new PublishCount();
        using var _ = provider.GetRequiredService<IBus>().ConnectPublishObserver(sent);

        // The process stops (or dies) with the bus holding them: nothing says a consumer finished.
        await RunUntilPublishedAsync(provider, sent, 3);
        Assert.Equal(3, KeptRows(db));
        await RunUntilPublishedAsync(provider, sent, 6);

        Assert.Equal(tradeIds.Concat(tradeIds), sent.TradeIds);
        Assert.Equal(outboxIds.Concat(outboxIds), sent.MessageIds);
        Assert.Equal(0, (await new SqliteOutboxStore(db).BacklogAsync(default)).Pending);
    }

    // Marks this test's flow: the trade counters are static, and other tests publish trade events meanwhile.
    private static readonly AsyncLocal<bool> CountedHere = new();

    /// <summary>Each restart of a standalone host handed the last 15 minutes' events over again, and each was counted
    /// again in tradenet.trades, as was each event a consumer gave up on: the counter told of trades that never were.</summary>
    [Fact]
    public async Task On_the_in_memory_bus_an_event_handed_over_again_is_not_counted_again_in_the_trade_metrics()
    {
        var counted = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == TradeNetTelemetry.Name && instrument.Name == "tradenet.trades") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) =>
        {
            if (CountedHere.Value) Interlocked.Add(ref counted, (int)value);
        });
        listener.Start();
        CountedHere.Value = true;
        var db = new SqliteDatabase(Path.Combine(_settings.DataDir, "counted.db"), "");
        await WriteEventsAsync(db, 3);
        await using var provider = await StartHarnessAsync(db, new BusDurability(Durable: false));
        var bus = provider.GetRequiredService<IBus>();
        var sent = new PublishCount();
        using var _ = bus.ConnectPublishObserver(sent);
        using var __ = bus.ConnectPublishObserver(new TradeStatePublishObserver());

        await RunUntilPublishedAsync(provider, sent, 3);
        Assert.Equal(3, counted);
        // The next start hands the three over again (consumers' inboxes discard them): no trade changed state again.
        await RunUntilPublishedAsync(provider, sent, 6);

        Assert.Equal(3, counted);
    }

    [Fact]
    public async Task Events_kept_in_a_backup_are_handed_over_again_when_it_is_restored_long_after_the_keeping_time()
    {
        // Handed over on the in-memory bus an hour before the restore: a consumer may not have finished them at the cut, and
        // a relay starting on the file as it was copied would forget them first (kept longer than KeptFor).
        var db = new SqliteDatabase(Path.Combine(_settings.DataDir, "kept.db"), "");
        var tradeIds = await WriteEventsAsync(db, 3);
        var outbox = new SqliteOutboxStore(db);
        await outbox.KeepSentAsync((await outbox.PendingAsync(10, default)).Select(m => m.Id).ToList(),
            DateTimeOffset.UtcNow - OutboxRelay<TestOutbox>.KeptFor - TimeSpan.FromHours(1), default);
        var backups = new Storage.Backups.SqliteBackups([new Storage.Backups.BackupSource(db)],
            Microsoft.Extensions.Options.Options.Create(new StorageOptions { DataDir = _settings.DataDir }), TimeProvider.System,
            NullLogger<Storage.Backups.SqliteBackups>.Instance);
        var manifest = await backups.TakeAsync(default);

        var restored = new SqliteDatabase(Path.Combine(backups.Folder, manifest.Id, "kept.db"), "");
        await using var provider = await StartHarnessAsync(restored, new BusDurability(Durable: false));
        var sent = new PublishCount();
        using var _ = provider.GetRequiredService<IBus>().ConnectPublishObserver(sent);
        await RunUntilPublishedAsync(provider, sent, 3);

        Assert.Equal(tradeIds, sent.TradeIds);
        Assert.Equal(3, KeptRows(db)); // the live file keeps its own state: only the copy was changed
    }

    [Fact]
    public async Task A_relay_that_could_not_publish_says_so_once_when_its_events_flow_again()
    {
        // During a broker outage the relay warns on every failed attempt, and MassTransit logs nothing when it reconnects.
        var db = new SqliteDatabase(Path.Combine(_settings.DataDir, "relay.db"), "");
        await WriteEventsAsync(db, 3);
        await using var provider = await StartHarnessAsync(db);
        var broker = new RefusingBroker(failures: 2);
        provider.GetRequiredService<IBus>().ConnectPublishObserver(broker);
        var log = new RecordingLogger<OutboxRelay<TestOutbox>>();
        var relay = new OutboxRelay<TestOutbox>(provider.GetRequiredService<TestOutbox>(), provider, log);

        await relay.StartAsync(default);
        try
        {
            await Eventually.True(async () => (await new SqliteOutboxStore(db).BacklogAsync(default)).Pending == 0, what: "outbox drained");
        }
        finally
        {
            await relay.StopAsync(default);
        }

        Assert.Equal(2, log.Messages.Count(m => m.Contains("could not publish")));
        Assert.Single(log.Messages, m => m.Contains("publishes again after 2 failed attempts"));
    }

    /// <summary>A standalone host (in-memory bus) stopped, then its data folder started over RabbitMQ (the distributed
    /// topology): the outbox still kept the events the in-memory bus had been handed, some perhaps unfinished, and a relay
    /// over a durable bus read only pending rows, so those stayed kept for good and were never delivered.</summary>
    [Fact]
    public async Task Events_an_in_memory_run_kept_are_published_once_when_the_outbox_next_runs_over_a_durable_bus()
    {
        var db = new SqliteDatabase(Path.Combine(_settings.DataDir, "switch.db"), "");
        var tradeIds = await WriteEventsAsync(db, 3);
        var outboxIds = (await new SqliteOutboxStore(db).PendingAsync(10, default)).Select(m => m.Id).ToList();
        await using (var memory = await StartHarnessAsync(db, new BusDurability(Durable: false)))
        {
            var handed = new PublishCount();
            using var _ = memory.GetRequiredService<IBus>().ConnectPublishObserver(handed);
            await RunUntilPublishedAsync(memory, handed, 3);
        }
        Assert.Equal(3, KeptRows(db));

        await using var durable = await StartHarnessAsync(db, new BusDurability(Durable: true));
        var sent = new PublishCount();
        using var __ = durable.GetRequiredService<IBus>().ConnectPublishObserver(sent);
        await RunUntilPublishedAsync(durable, sent, 3);

        // Under their ids, so the consumers' inboxes discard those they had handled; then deleted as any confirmed event.
        Assert.Equal(tradeIds, sent.TradeIds);
        Assert.Equal(outboxIds, sent.MessageIds);
        Assert.Equal(0, OutboxRows(db));
    }

    [Fact]
    public async Task On_a_durable_bus_events_the_broker_confirmed_are_deleted()
    {
        var db = new SqliteDatabase(Path.Combine(_settings.DataDir, "durable.db"), "");
        await WriteEventsAsync(db, 3);
        await using var provider = await StartHarnessAsync(db, new BusDurability(Durable: true));
        var sent = new PublishCount();
        using var _ = provider.GetRequiredService<IBus>().ConnectPublishObserver(sent);

        await RunUntilPublishedAsync(provider, sent, 3);

        Assert.Equal(0, KeptRows(db));
        Assert.Equal(0, OutboxRows(db));
    }

    [Fact]
    public async Task Kept_events_are_forgotten_once_kept_for_longer_than_the_keeping_time_and_not_before()
    {
        var db = new SqliteDatabase(Path.Combine(_settings.DataDir, "forget.db"), "");
        await WriteEventsAsync(db, 2);
        var outbox = new SqliteOutboxStore(db);
        var rows = await outbox.PendingAsync(10, default);
        var now = DateTimeOffset.UtcNow;
        await outbox.KeepSentAsync([rows[0].Id], now - OutboxRelay<TestOutbox>.KeptFor - TimeSpan.FromSeconds(1), default);
        await outbox.KeepSentAsync([rows[1].Id], now - OutboxRelay<TestOutbox>.KeptFor + TimeSpan.FromSeconds(30), default);

        var forgotten = await outbox.ForgetSentAsync(now - OutboxRelay<TestOutbox>.KeptFor, 100, default);

        Assert.Equal(1, forgotten);
        Assert.Equal(1, KeptRows(db));
        Assert.Equal(1, await outbox.RequeueSentAsync(default));
        Assert.Equal([rows[1].Id], (await outbox.PendingAsync(10, default)).Select(m => m.Id));
    }

    [Fact]
    public async Task A_relay_forgets_every_event_kept_past_the_keeping_time_at_once_however_many_there_are()
    {
        // More than the 10,000 a relay once forgot a minute: a busy matching hands over more than that, and what it could
        // not forget stayed kept, minute after minute, and was handed over again at the next start.
        var db = new SqliteDatabase(Path.Combine(_settings.DataDir, "many.db"), "");
        await WriteEventsAsync(db, 12_000);
        using (var connection = db.Open())
        using (var keep = connection.CreateCommand())
        {
            keep.CommandText = "UPDATE outbox SET sent_at = $at, kept_since = $at";
            keep.Parameters.AddWithValue("$at", (DateTimeOffset.UtcNow - OutboxRelay<TestOutbox>.KeptFor - TimeSpan.FromMinutes(1)).ToString("O"));
            keep.ExecuteNonQuery();
        }
        await using var provider = await StartHarnessAsync(db, new BusDurability(Durable: false));
        var sent = new PublishCount();
        using var _ = provider.GetRequiredService<IBus>().ConnectPublishObserver(sent);

        var relay = NewRelay(provider);
        await relay.StartAsync(default);
        try
        {
            await Eventually.True(() => Task.FromResult(OutboxRows(db) == 0), timeout: TimeSpan.FromSeconds(20), what: "every kept event forgotten");
        }
        finally
        {
            await relay.StopAsync(default);
        }

        Assert.Empty(sent.TradeIds);
    }

    /// <summary>The keeping time was measured on the wall clock alone: a clock stepped an hour forward (a paused VM resumed,
    /// an NTP correction) forgot at once events handed over a moment before, and a stop then lost those no consumer had
    /// finished: the next start had nothing to hand over again.</summary>
    [Fact]
    public async Task Events_just_handed_over_stay_kept_when_the_relays_clock_steps_an_hour_forward()
    {
        var db = new SqliteDatabase(Path.Combine(_settings.DataDir, "forward.db"), "");
        await using var provider = await StartHarnessAsync(db, new BusDurability(Durable: false));
        var clock = new ShiftedClock();
        var relay = NewRelay(provider, clock, forgetEvery: TimeSpan.FromMilliseconds(100));
        await relay.StartAsync(default);
        try
        {
            await WriteEventsAsync(db, 3);
            await Eventually.True(() => Task.FromResult(KeptRows(db) == 3), what: "the events handed over and kept");

            clock.Shift = TimeSpan.FromHours(1);
            await Task.Delay(TimeSpan.FromSeconds(2)); // many a forgetting run

            Assert.Equal(3, KeptRows(db));
        }
        finally
        {
            await relay.StopAsync(default);
        }
    }

    /// <summary>The next forgetting run was due at a wall-clock instant: a clock stepped an hour back forgot nothing for an
    /// hour, while a busy service's kept events piled up, all to be handed over again at the next start.</summary>
    [Fact]
    public async Task Events_kept_past_the_keeping_time_are_forgotten_on_schedule_after_the_relays_clock_steps_an_hour_back()
    {
        var db = new SqliteDatabase(Path.Combine(_settings.DataDir, "back.db"), "");
        await using var provider = await StartHarnessAsync(db, new BusDurability(Durable: false));
        var clock = new ShiftedClock();
        var relay = NewRelay(provider, clock, forgetEvery: TimeSpan.FromMilliseconds(100));
        await relay.StartAsync(default);
        try
        {
            await Eventually.True(() => Task.FromResult(HoldEnd(db) is not null), what: "the relay runs");
            await Task.Delay(TimeSpan.FromMilliseconds(300)); // a forgetting run or more on the true clock
            clock.Shift = TimeSpan.FromHours(-1);
            await WriteEventsAsync(db, 3);
            await Eventually.True(() => Task.FromResult(KeptRows(db) == 3), what: "the events handed over and kept");
            // Time passes: they were handed over longer ago than the keeping time, by the stepped clock that stamped them.
            using (var connection = db.Open())
            using (var age = connection.CreateCommand())
            {
                age.CommandText = "UPDATE outbox SET kept_since = $at";
                age.Parameters.AddWithValue("$at", (clock.GetUtcNow() - OutboxRelay<TestOutbox>.KeptFor - TimeSpan.FromMinutes(1)).ToString("O"));
                age.ExecuteNonQuery();
            }

            await Eventually.True(() => Task.FromResult(OutboxRows(db) == 0), timeout: TimeSpan.FromSeconds(5), what: "the kept events forgotten");
        }
        finally
        {
            await relay.StopAsync(default);
        }
    }

    [Fact]
    public async Task An_event_a_consumer_gave_up_on_is_handed_over_again_after_its_rest_by_the_outbox_that_kept_it()
    {
        var db = new SqliteDatabase(Path.Combine(_settings.DataDir, "given-up.db"), "");
        var tradeIds = await WriteEventsAsync(db, 2);
        var outboxIds = (await new SqliteOutboxStore(db).PendingAsync(10, default)).Select(m => m.Id).ToList();
        var givenUp = new GivenUpEvents(TimeProvider.System);
        await using var provider = await StartHarnessAsync(db, new BusDurability(Durable: false), givenUp);
        var sent = new PublishCount();
        using var _ = provider.GetRequiredService<IBus>().ConnectPublishObserver(sent);
        var relay = NewRelay(provider);
        await relay.StartAsync(default);
        try
        {
            await Eventually.True(() => Task.FromResult(sent.TradeIds.Count >= 2), what: "first hand-over");
            // The second event failed every retry half a minute ago; an id no outbox has is left alone.
            givenUp.Add(outboxIds[1], DateTimeOffset.UtcNow - GivenUpEvents.Rest);
            givenUp.Add(Guid.NewGuid(), DateTimeOffset.UtcNow - GivenUpEvents.Rest);

            await Eventually.True(() => Task.FromResult(sent.TradeIds.Count >= 3), what: "the given-up event handed over again");
        }
        finally
        {
            await relay.StopAsync(default);
        }

        Assert.Equal([tradeIds[0], tradeIds[1], tradeIds[1]], sent.TradeIds);
        Assert.Equal(outboxIds[1], sent.MessageIds[2]);
        Assert.Single(givenUp.Due());
    }

    /// <summary>The given-up events' rest and the relay's look at them were timed on the wall clock, as forgetting was: a
    /// clock stepped an hour back held an event a consumer gave up on (a reservation never made, a shipment never planned)
    /// for that hour instead of half a minute.</summary>
    [Fact]
    public async Task An_event_a_consumer_gave_up_on_is_handed_over_again_after_its_rest_when_the_relays_clock_steps_an_hour_back()
    {
        var db = new SqliteDatabase(Path.Combine(_settings.DataDir, "given-up-back.db"), "");
        await WriteEventsAsync(db, 2);
        var outboxIds = (await new SqliteOutboxStore(db).PendingAsync(10, default)).Select(m => m.Id).ToList();
        var clock = new ShiftedClock();
        var givenUp = new GivenUpEvents(clock);
        await using var provider = await StartHarnessAsync(db, new BusDurability(Durable: false), givenUp);
        var sent = new PublishCount();
        using var _ = provider.GetRequiredService<IBus>().ConnectPublishObserver(sent);
        var relay = NewRelay(provider, clock);
        await relay.StartAsync(default);
        try
        {
            await Eventually.True(() => Task.FromResult(sent.TradeIds.Count >= 2), what: "first hand-over");
            // The relay looks at an event no outbox has (so it looks again in 5 s), then the second event fails every
            // retry, its rest over, and the clock steps back.
            givenUp.Add(Guid.NewGuid(), DateTimeOffset.UtcNow - GivenUpEvents.Rest);
            await Task.Delay(TimeSpan.FromSeconds(1.5)); // idle ticks every 0.5 s
            givenUp.Add(outboxIds[1], DateTimeOffset.UtcNow - GivenUpEvents.Rest);
            clock.Shift = TimeSpan.FromHours(-1);

            await Eventually.True(() => Task.FromResult(sent.TradeIds.Count >= 3), timeout: TimeSpan.FromSeconds(15),
                what: "the given-up event handed over again");
        }
        finally
        {
            await relay.StopAsync(default);
        }
    }

    [Fact]
    public async Task Handing_an_event_over_again_after_a_restart_does_not_keep_it_past_its_first_hand_over_plus_the_keeping_time()
    {
        var db = new SqliteDatabase(Path.Combine(_settings.DataDir, "crash-loop.db"), "");
        await WriteEventsAsync(db, 1);
        var outbox = new SqliteOutboxStore(db);
        var id = (await outbox.PendingAsync(10, default)).Single().Id;
        var now = DateTimeOffset.UtcNow;
        await outbox.KeepSentAsync([id], now - OutboxRelay<TestOutbox>.KeptFor - TimeSpan.FromMinutes(1), default);
        // A restart hands it over again just now.
        Assert.Equal(1, await outbox.RequeueSentAsync(default));
        await outbox.KeepSentAsync([id], now, default);

        Assert.Equal(1, await outbox.ForgetSentAsync(now - OutboxRelay<TestOutbox>.KeptFor, 100, default));
        Assert.Equal(0, OutboxRows(db));
    }

    /// <summary>The storage-fault hunt over the relay's requeue at start (docs/operations.md, "Storage-fault hunt"): its
    /// write fails at each step in turn; the relay tries it again and every kept event is handed over once, under its id.</summary>
    [Fact]
    public async Task A_requeue_at_start_whose_write_fails_at_any_step_is_tried_again_and_hands_each_kept_event_over_once()
    {
        static bool IsRequeue(Microsoft.Data.Sqlite.SqliteCommand command) =>
            command.CommandText.StartsWith("UPDATE outbox SET sent_at = NULL", StringComparison.Ordinal);
        var reference = new SqliteDatabase(Path.Combine(_settings.DataDir, "requeue.db"), "");
        await KeptEventsAsync(reference, 2);
        var counted = new StorageFaultPlan(reference, IsRequeue);
        counted.Arm();
        Assert.Equal(2, await new SqliteOutboxStore(reference).RequeueSentAsync(default));
        var steps = counted.Disarm();
        Assert.NotEmpty(steps);

        foreach (var (step, code) in StorageFaultPlan.Faults(steps.Count))
        {
            var db = new SqliteDatabase(Path.Combine(_settings.DataDir, $"requeue-{step}.db"), "");
            var (tradeIds, outboxIds) = await KeptEventsAsync(db, 2);
            var plan = new StorageFaultPlan(db, IsRequeue);
            plan.Arm(step, code);
            await using var provider = await StartHarnessAsync(db, new BusDurability(Durable: false));
            var sent = new PublishCount();
            using var _ = provider.GetRequiredService<IBus>().ConnectPublishObserver(sent);
            var relay = NewRelay(provider);
            await relay.StartAsync(default);
            try
            {
                // Handed over and kept again: nothing is left for the relay to do.
                await Eventually.True(async () => sent.TradeIds.Count >= 2 && (await new SqliteOutboxStore(db).BacklogAsync(default)).Pending == 0
                    && KeptRows(db) == 2, what: "the kept events handed over again");
            }
            finally
            {
                await relay.StopAsync(default);
            }
            var where = plan.Failed ?? $"step {step} never reached (steps: {string.Join(" | ", steps)})";
            Assert.True(plan.Failed is not null, where);
            Assert.True(tradeIds.SequenceEqual(sent.TradeIds), $"{where}: handed over {sent.TradeIds.Count} events for 2");
            Assert.True(outboxIds.SequenceEqual(sent.MessageIds), $"{where}: handed over under other message ids");
        }
    }

    /// <summary>The requeue of events a consumer gave up on, failed at each step: it requeues nothing, so the relay (which
    /// forgets a given-up event only once its requeue returned it) asks again, and that requeues them.</summary>
    [Fact]
    public async Task A_requeue_of_given_up_events_whose_write_fails_at_any_step_requeues_nothing_and_succeeds_when_retried()
    {
        static bool IsRequeue(Microsoft.Data.Sqlite.SqliteCommand command) =>
            command.CommandText.StartsWith("UPDATE outbox SET sent_at = NULL", StringComparison.Ordinal);
        var db = new SqliteDatabase(Path.Combine(_settings.DataDir, "requeue-named.db"), "");
        var outbox = new SqliteOutboxStore(db);
        var plan = new StorageFaultPlan(db, IsRequeue);
        var (_, reference) = await KeptEventsAsync(db, 2);
        plan.Arm();
        Assert.Equal(reference, await outbox.RequeueAsync(reference, default));
        var steps = plan.Disarm();
        Assert.NotEmpty(steps);
        await outbox.MarkSentAsync(reference, default);

        foreach (var (step, code) in StorageFaultPlan.Faults(steps.Count))
        {
            var (_, ids) = await KeptEventsAsync(db, 2);
            plan.Arm(step, code);
            var failed = await Assert.ThrowsAnyAsync<Exception>(() => outbox.RequeueAsync(ids, default));
            plan.Disarm();
            var where = plan.Failed ?? $"step {step} never reached";
            Assert.True(StorageUnavailable.Is(failed), $"{where}: {failed}");
            Assert.True(0 == (await outbox.BacklogAsync(default)).Pending, $"{where}: requeued while failing");
            Assert.Equal(ids, await outbox.RequeueAsync(ids, default));
            Assert.Equal(2, (await outbox.BacklogAsync(default)).Pending);
            await outbox.MarkSentAsync(ids, default);
        }
    }

    /// <summary>Events a relay on the in-memory bus handed over and kept before the process stopped.</summary>
    private static async Task<(List<Guid> TradeIds, List<Guid> OutboxIds)> KeptEventsAsync(SqliteDatabase db, int count)
    {
        var tradeIds = await WriteEventsAsync(db, count);
        var outbox = new SqliteOutboxStore(db);
        var ids = (await outbox.PendingAsync(count, default)).Select(m => m.Id).ToList();
        await outbox.KeepSentAsync(ids, DateTimeOffset.UtcNow, default);
        return (tradeIds, ids);
    }

    [Fact]
    public async Task Requeueing_named_events_answers_those_this_outbox_kept_and_leaves_pending_and_unknown_ones()
    {
        var db = new SqliteDatabase(Path.Combine(_settings.DataDir, "named.db"), "");
        await WriteEventsAsync(db, 2);
        var outbox = new SqliteOutboxStore(db);
        var rows = await outbox.PendingAsync(10, default);
        await outbox.KeepSentAsync([rows[0].Id], DateTimeOffset.UtcNow, default);

        var found = await outbox.RequeueAsync([rows[0].Id, rows[1].Id, Guid.NewGuid()], default);

        Assert.Equal([rows[0].Id], found);
        Assert.Equal(2, (await outbox.BacklogAsync(default)).Pending);
    }

    [Fact]
    public async Task An_outbox_made_before_events_were_kept_gets_the_column_and_keeps_its_rows()
    {
        var path = Path.Combine(_settings.DataDir, "old.db");
        await using (var old = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await old.OpenAsync();
            await using var create = old.CreateCommand();
            create.CommandText = """
                CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, type TEXT NOT NULL,
                    payload TEXT NOT NULL, trace_parent TEXT NULL, created_at TEXT NOT NULL, sent_at TEXT NULL);
                INSERT INTO outbox(id, type, payload, created_at) VALUES ('6f9619ff-8b86-d011-b42d-00c04fc964ff', 't', '{}', '2026-12-01T00:00:00.0000000+00:00');
                """;
            await create.ExecuteNonQueryAsync();
        }

        var db = new SqliteDatabase(path, "");
        _ = new SqliteDatabase(path, ""); // a second process opening it adds nothing twice
        var outbox = new SqliteOutboxStore(db);
        var id = Guid.Parse("6f9619ff-8b86-d011-b42d-00c04fc964ff");
        await outbox.KeepSentAsync([id], DateTimeOffset.UtcNow, default);

        Assert.Equal(1, KeptRows(db));
    }

    [Fact]
    public async Task An_outbox_from_a_release_that_left_sent_events_in_it_hands_over_only_the_unsent_ones_after_the_upgrade()
    {
        // Two real events, the first published and left marked sent as the first releases did, the second not yet sent.
        var current = new SqliteDatabase(Path.Combine(_settings.DataDir, "rows.db"), "");
        var tradeIds = await WriteEventsAsync(current, 2);
        var rows = await new SqliteOutboxStore(current).PendingAsync(10, default);
        var path = Path.Combine(_settings.DataDir, "first-release.db");
        await using (var old = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await old.OpenAsync();
            await using var create = old.CreateCommand();
            create.CommandText = """
                CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, type TEXT NOT NULL,
                    payload TEXT NOT NULL, trace_parent TEXT NULL, created_at TEXT NOT NULL, sent_at TEXT NULL);
                INSERT INTO outbox(id, type, payload, created_at, sent_at) VALUES ($id0, $type0, $payload0, $created0, '2026-11-27T10:00:00.0000000+00:00');
                INSERT INTO outbox(id, type, payload, created_at, sent_at) VALUES ($id1, $type1, $payload1, $created1, NULL);
                """;
            for (var i = 0; i < 2; i++)
            {
                create.Parameters.AddWithValue($"$id{i}", rows[i].Id.ToString());
                create.Parameters.AddWithValue($"$type{i}", rows[i].Type);
                create.Parameters.AddWithValue($"$payload{i}", rows[i].Payload);
                create.Parameters.AddWithValue($"$created{i}", rows[i].CreatedAt.ToString("O"));
            }
            await create.ExecuteNonQueryAsync();
        }

        var db = new SqliteDatabase(path, "");
        await using var provider = await StartHarnessAsync(db, new BusDurability(Durable: false));
        var sent = new PublishCount();
        using var _ = provider.GetRequiredService<IBus>().ConnectPublishObserver(sent);
        await RunUntilPublishedAsync(provider, sent, 1);

        Assert.Equal([tradeIds[1]], sent.TradeIds);
        Assert.Equal(1, OutboxRows(db));
    }

    private static async Task RunUntilPublishedAsync(IServiceProvider provider, PublishCount sent, int count)
    {
        var relay = NewRelay(provider);
        await relay.StartAsync(default);
        try
        {
            await Eventually.True(() => Task.FromResult(sent.TradeIds.Count >= count), what: $"{count} publishes");
        }
        finally
        {
            await relay.StopAsync(default);
        }
    }

    private static long KeptRows(SqliteDatabase db) => Count(db, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL");

    private static long OutboxRows(SqliteDatabase db) => Count(db, "SELECT COUNT(*) FROM outbox");

    private static long Count(SqliteDatabase db, string sql)
    {
        using var connection = db.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Runs a relay over <paramref name="db"/>'s outbox into a test harness until <paramref name="pending"/> events are
    /// left; the caller disposes the provider, which holds the harness.</summary>
    private static async Task<ServiceProvider> RelayUntilAsync(SqliteDatabase db, int pending, string what)
    {
        var provider = await StartHarnessAsync(db);
        var relay = NewRelay(provider);
        await relay.StartAsync(default);
        try
        {
            await Eventually.True(async () => (await new SqliteOutboxStore(db).BacklogAsync(default)).Pending == pending, what: what);
        }
        finally
        {
            await relay.StopAsync(default);
        }
        return provider;
    }

    private sealed class PublishCount : IPublishObserver
    {
        private readonly List<Guid> _tradeIds = [];
        private readonly List<Guid> _messageIds = [];

        public IReadOnlyList<Guid> TradeIds { get { lock (_tradeIds) return [.. _tradeIds]; } }

        public IReadOnlyList<Guid> MessageIds { get { lock (_tradeIds) return [.. _messageIds]; } }

        public Task PostPublish<T>(PublishContext<T> context) where T : class
        {
            if (context.Message is TradeCancelled cancelled)
                lock (_tradeIds)
                {
                    _tradeIds.Add(cancelled.TradeId);
                    _messageIds.Add(context.MessageId!.Value);
                }
            return Task.CompletedTask;
        }

        // A broker's confirm takes a while: without that, one relay drains the outbox before the other wakes.
        public Task PrePublish<T>(PublishContext<T> context) where T : class => Task.Delay(2);

        public Task PublishFault<T>(PublishContext<T> context, Exception exception) where T : class => Task.CompletedTask;
    }

    /// <summary>A broker that refuses the first publishes, as one does while it is down.</summary>
    private sealed class RefusingBroker(int failures) : IPublishObserver
    {
        private int _left = failures;

        public Task PrePublish<T>(PublishContext<T> context) where T : class =>
            Interlocked.Decrement(ref _left) >= 0 ? throw new InvalidOperationException("Broker unreachable") : Task.CompletedTask;

        public Task PostPublish<T>(PublishContext<T> context) where T : class => Task.CompletedTask;

        public Task PublishFault<T>(PublishContext<T> context, Exception exception) where T : class => Task.CompletedTask;
    }

    private sealed class RecordingLogger<T> : Microsoft.Extensions.Logging.ILogger<T>
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _messages = new();

        public IReadOnlyList<string> Messages => [.. _messages];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state,
            Exception? exception, Func<TState, Exception?, string> formatter) => _messages.Enqueue(formatter(state, exception));
    }

    private static async Task<List<Guid>> WriteEventsAsync(SqliteDatabase db, int count)
    {
        var tradeIds = Enumerable.Range(0, count).Select(_ => Guid.NewGuid()).ToList();
        await using var scope = await db.BeginWriteAsync();
        foreach (var id in tradeIds) scope.Publish(new TradeCancelled(id, "expired", false, []));
        await scope.CommitAsync();
        return tradeIds;
    }

    private static async Task<ServiceProvider> StartHarnessAsync(SqliteDatabase db, BusDurability? durability = null, GivenUpEvents? givenUp = null)
    {
        var services = new ServiceCollection().AddSingleton(new TestOutbox(db));
        if (durability is not null) services.AddSingleton(durability);
        if (givenUp is not null) services.AddSingleton(givenUp);
        var provider = services.AddMassTransitTestHarness().BuildServiceProvider(true);
        await provider.GetRequiredService<ITestHarness>().Start();
        return provider;
    }

    private static OutboxRelay<TestOutbox> NewRelay(IServiceProvider provider, TimeProvider? clock = null, TimeSpan? forgetEvery = null) =>
        new(provider.GetRequiredService<TestOutbox>(), provider, NullLogger<OutboxRelay<TestOutbox>>.Instance)
        {
            Clock = clock ?? TimeProvider.System,
            ForgetEvery = forgetEvery ?? TimeSpan.FromMinutes(1),
        };

    public void Dispose() => _settings.Dispose();
}
