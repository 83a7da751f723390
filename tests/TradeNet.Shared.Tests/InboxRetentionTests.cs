using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TradeNet.Shared.Storage;
using TradeNet.Shared.Storage.Mongo;
using TradeNet.Shared.Storage.Sqlite;
using TradeNet.Testing;

namespace TradeNet.Shared.Tests;

public sealed class InboxRetentionTests : IDisposable
{
    private readonly TestSettings _settings = new();
    private readonly SqliteDatabase _db;
    private readonly SqliteOutboxStore _store;

    public InboxRetentionTests()
    {
        _db = new SqliteDatabase(Path.Combine(_settings.DataDir, "inbox.db"), "");
        _store = new SqliteOutboxStore(_db);
    }

    private sealed class LaterClock(TimeSpan ahead) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + ahead;
    }

    private InboxRetention<SqliteOutboxStore> Retention(TimeSpan ahead, TimeSpan? keep = null) =>
        new(_store, Options.Create(new StorageOptions { InboxRetention = keep ?? TimeSpan.FromDays(14) }), new LaterClock(ahead),
            NullLogger<InboxRetention<SqliteOutboxStore>>.Instance);

    private async Task<bool> ConsumeAsync(Guid messageId)
    {
        await using var scope = await _db.BeginWriteAsync();
        var first = await scope.TryConsumeAsync(messageId, "test-consumer");
        await scope.CommitAsync();
        return first;
    }

    /// <summary>The storage-fault hunt over the inbox retention (docs/operations.md, "Storage-fault hunt"): its write fails at
    /// each step in turn; nothing is forgotten (a redelivery is still turned away), and the next sweep forgets every id.</summary>
    [Fact]
    public async Task A_sweep_whose_write_fails_at_any_step_forgets_nothing_and_the_next_forgets_every_id()
    {
        var plan = new StorageFaultPlan(_db, command => command.CommandText.StartsWith("DELETE FROM inbox", StringComparison.Ordinal));
        foreach (var id in Enumerable.Range(0, 3).Select(_ => Guid.NewGuid())) await ConsumeAsync(id);
        plan.Arm();
        Assert.Equal(3, await Retention(TimeSpan.FromDays(15)).SweepAsync(default));
        var steps = plan.Disarm();
        Assert.NotEmpty(steps);

        foreach (var (step, code) in StorageFaultPlan.Faults(steps.Count))
        {
            var ids = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToList();
            foreach (var id in ids) Assert.True(await ConsumeAsync(id));
            plan.Arm(step, code);
            var failed = await Assert.ThrowsAnyAsync<Exception>(() => Retention(TimeSpan.FromDays(15)).SweepAsync(default));
            plan.Disarm();
            var where = plan.Failed ?? $"step {step} never reached";
            Assert.True(StorageUnavailable.Is(failed), $"{where}: {failed}");
            foreach (var id in ids) Assert.False(await ConsumeAsync(id), $"{where}: an id forgotten by a sweep that failed");

            Assert.Equal(3, await Retention(TimeSpan.FromDays(15)).SweepAsync(default));
            foreach (var id in ids) Assert.True(await ConsumeAsync(id), where);
            Assert.Equal(3, await Retention(TimeSpan.FromDays(15)).SweepAsync(default));
        }
    }

    [Fact]
    public async Task Message_ids_younger_than_the_retention_still_turn_a_redelivery_away()
    {
        var id = Guid.NewGuid();
        Assert.True(await ConsumeAsync(id));

        Assert.Equal(0, await Retention(TimeSpan.FromDays(13)).SweepAsync(default));

        Assert.False(await ConsumeAsync(id));
    }

    [Fact]
    public async Task Message_ids_older_than_the_retention_are_forgotten_so_the_inbox_stops_growing()
    {
        var ids = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToList();
        foreach (var id in ids) Assert.True(await ConsumeAsync(id));

        Assert.Equal(3, await Retention(TimeSpan.FromDays(15)).SweepAsync(default));

        Assert.True(await ConsumeAsync(ids[0])); // forgotten: by now no redelivery of it can come
    }

    [Fact]
    public async Task A_started_inbox_sweep_leaves_old_ids_alone_for_its_first_minutes_so_events_handed_over_again_at_start_are_turned_away()
    {
        // A backup restored weeks later: every id in its inbox is past the retention, and its outboxes hand events over again.
        var id = Guid.NewGuid();
        Assert.True(await ConsumeAsync(id));
        using var sweep = Retention(TimeSpan.FromDays(40));

        await sweep.StartAsync(default);
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        await sweep.StopAsync(default);

        Assert.False(await ConsumeAsync(id));
        Assert.Equal(1, await Retention(TimeSpan.FromDays(40)).SweepAsync(default)); // a sweep itself still forgets it
    }

    [Fact]
    public async Task A_retention_of_zero_keeps_every_message_id()
    {
        var id = Guid.NewGuid();
        Assert.True(await ConsumeAsync(id));

        Assert.Equal(0, await Retention(TimeSpan.FromDays(400), keep: TimeSpan.Zero).SweepAsync(default));

        Assert.False(await ConsumeAsync(id));
    }

    [Fact]
    public void The_mongo_sweep_selects_entries_by_their_consumed_time_over_an_index()
    {
        var before = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

        var filter = MongoRendering.Render(MongoStore.ConsumedBefore(before));

        Assert.Equal("""{ "ConsumedAt" : { "$lt" : { "$date" : "2026-11-01T00:00:00Z" } } }""", filter.ToString());
        Assert.Equal("""{ "ConsumedAt" : 1 }""", MongoRendering.Render(MongoStore.ConsumedInboxIndex.Keys).ToString());
    }

    public void Dispose() => _settings.Dispose();
}
