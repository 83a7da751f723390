using System.Reflection;
using System.Diagnostics;
using TradeNet.Contracts;
using TradeNet.Shared.Storage.Sqlite;
using TradeNet.Testing;

namespace TradeNet.Shared.Tests;

public sealed class SqliteWriteScopeTests : IDisposable
{
    private readonly TestSettings _settings = new();
    private readonly SqliteDatabase _db;
    private readonly SqliteOutboxStore _outbox;

    public SqliteWriteScopeTests()
    {
        _db = new SqliteDatabase(Path.Combine(_settings.DataDir, "t.db"), "CREATE TABLE IF NOT EXISTS things(id TEXT PRIMARY KEY);");
        _outbox = new SqliteOutboxStore(_db);
    }

    [Fact]
    public async Task A_committed_write_stores_its_state_and_its_events_together()
    {
        await using (var scope = await _db.BeginWriteAsync())
        {
            await scope.ExecuteAsync("INSERT INTO things(id) VALUES ('a')");
            scope.Publish(new TradeCancelled(Guid.NewGuid(), "test", false, []));
            await scope.CommitAsync();
        }

        var pending = await _outbox.PendingAsync(10, default);
        Assert.Single(pending);
        Assert.Equal(typeof(TradeCancelled).FullName, pending[0].Type);
        Assert.Equal(1, await CountThings());
    }

    [Fact]
    public async Task A_write_that_is_not_committed_leaves_neither_state_nor_events()
    {
        await using (var scope = await _db.BeginWriteAsync())
        {
            await scope.ExecuteAsync("INSERT INTO things(id) VALUES ('b')");
            scope.Publish(new TradeCancelled(Guid.NewGuid(), "test", false, []));
        }

        Assert.Empty(await _outbox.PendingAsync(10, default));
        Assert.Equal(0, await CountThings());
    }

    [Fact]
    public async Task A_message_is_consumed_once_per_consumer()
    {
        var id = Guid.NewGuid();
        await using (var first = await _db.BeginWriteAsync())
        {
            Assert.True(await first.TryConsumeAsync(id, "catalog-x"));
            await first.CommitAsync();
        }
        await using var second = await _db.BeginWriteAsync();
        Assert.False(await second.TryConsumeAsync(id, "catalog-x"));
        Assert.True(await second.TryConsumeAsync(id, "logistics-y"));
    }

    // SQLite answers a second writer "busy" at once, and Microsoft.Data.Sqlite then sleeps that thread 150 ms and tries
    // again, for up to 30 s: under load writers waited in 150 ms steps, each holding a thread, and a long write (a
    // clearing round's) could lose to a stream of short ones for seconds (docs/benchmarks.md, "Running system").
    [Fact]
    public async Task A_write_waiting_for_another_does_not_hold_up_its_callers_thread()
    {
        await using var first = await _db.BeginWriteAsync();
        await first.ExecuteAsync("INSERT INTO things(id) VALUES ('first')");

        var asked = Stopwatch.StartNew();
        var waiting = _db.BeginWriteAsync();

        Assert.True(asked.Elapsed < TimeSpan.FromSeconds(5), $"asking for the write took {asked.Elapsed} while another write was open");
        Assert.False(waiting.IsCompleted);
        await first.CommitAsync();
        await first.DisposeAsync();
        await using (var scope = await waiting.WaitAsync(TimeSpan.FromSeconds(10)))
        {
            await scope.ExecuteAsync("INSERT INTO things(id) VALUES ('waiting')");
            await scope.CommitAsync();
        }
        Assert.Equal(2, await CountThings());
    }

    [Fact]
    public async Task Writers_waiting_for_the_database_get_it_in_the_order_they_asked()
    {
        var order = new List<int>();
        async Task WriteInTurn(int i)
        {
            await using var scope = await _db.BeginWriteAsync();
            lock (order) order.Add(i);
            await scope.CommitAsync();
        }

        Task[] writers;
        await using (var first = await _db.BeginWriteAsync())
        {
            // One after the other: each joins the queue before BeginWriteAsync returns its task (no delays to race).
            writers = [.. Enumerable.Range(0, 5).Select(WriteInTurn)];
            Assert.All(writers, w => Assert.False(w.IsCompleted));
            await first.CommitAsync();
        }
        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal([0, 1, 2, 3, 4], order);
    }

    [Fact]
    public async Task Sent_events_leave_the_backlog()
    {
        await using (var scope = await _db.BeginWriteAsync())
        {
            scope.Publish(new TradeCancelled(Guid.NewGuid(), "one", false, []));
            scope.Publish(new TradeCancelled(Guid.NewGuid(), "two", false, []));
            await scope.CommitAsync();
        }
        var pending = await _outbox.PendingAsync(10, default);
        Assert.Equal(2, (await _outbox.BacklogAsync(default)).Pending);

        await _outbox.MarkSentAsync([pending[0].Id], default);

        var backlog = await _outbox.BacklogAsync(default);
        Assert.Equal(1, backlog.Pending);
        Assert.NotNull(backlog.OldestPendingAt);
        Assert.Equal(pending[1].Id, (await _outbox.PendingAsync(10, default)).Single().Id);
    }

    [Fact]
    public async Task The_sent_events_of_a_batch_leave_the_outbox_in_one_call_and_the_others_stay()
    {
        await using (var scope = await _db.BeginWriteAsync())
        {
            foreach (var reason in new[] { "one", "two", "three" }) scope.Publish(new TradeCancelled(Guid.NewGuid(), reason, false, []));
            await scope.CommitAsync();
        }
        var pending = await _outbox.PendingAsync(10, default);

        await _outbox.MarkSentAsync([pending[0].Id, pending[2].Id], default);

        Assert.Equal(pending[1].Id, (await _outbox.PendingAsync(10, default)).Single().Id);
        Assert.Equal(1, await Count("outbox"));
    }

    [Fact]
    public async Task A_sent_event_does_not_stay_in_the_outbox_table()
    {
        await using (var scope = await _db.BeginWriteAsync())
        {
            scope.Publish(new TradeCancelled(Guid.NewGuid(), "one", false, []));
            await scope.CommitAsync();
        }

        await _outbox.MarkSentAsync([(await _outbox.PendingAsync(10, default)).Single().Id], default);

        Assert.Equal(0, await Count("outbox"));
    }

    [Fact]
    public void The_storage_fault_hook_is_not_part_of_what_services_and_hosts_can_set()
    {
        // Only the tests' StorageFaultPlan (TradeNet.Testing, InternalsVisibleTo) arms it; a public setter would let any
        // code a host loads fail every write of a file.
        var faults = typeof(SqliteDatabase).GetProperty("Faults", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);

        Assert.NotNull(faults);
        Assert.False(faults.GetMethod!.IsPublic || faults.SetMethod!.IsPublic, "SqliteDatabase.Faults is public");
    }

    private Task<long> CountThings() => Count("things");

    private async Task<long> Count(string table)
    {
        await using var connection = _db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table}";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public void Dispose() => _settings.Dispose();
}
