using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using TradeNet.Contracts;
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

        public IReadOnlyList<Guid> TradeIds { get { lock (_tradeIds) return [.. _tradeIds]; } }

        public Task PostPublish<T>(PublishContext<T> context) where T : class
        {
            if (context.Message is TradeCancelled cancelled) lock (_tradeIds) _tradeIds.Add(cancelled.TradeId);
            return Task.CompletedTask;
        }

        // A broker's confirm takes a while: without that, one relay drains the outbox before the other wakes.
        public Task PrePublish<T>(PublishContext<T> context) where T : class => Task.Delay(2);

        public Task PublishFault<T>(PublishContext<T> context, Exception exception) where T : class => Task.CompletedTask;
    }

    private static async Task<List<Guid>> WriteEventsAsync(SqliteDatabase db, int count)
    {
        var tradeIds = Enumerable.Range(0, count).Select(_ => Guid.NewGuid()).ToList();
        await using var scope = db.BeginWrite();
        foreach (var id in tradeIds) scope.Publish(new TradeCancelled(id, "expired", false, []));
        await scope.CommitAsync();
        return tradeIds;
    }

    private static async Task<ServiceProvider> StartHarnessAsync(SqliteDatabase db)
    {
        var provider = new ServiceCollection()
            .AddSingleton(new TestOutbox(db))
            .AddMassTransitTestHarness()
            .BuildServiceProvider(true);
        await provider.GetRequiredService<ITestHarness>().Start();
        return provider;
    }

    private static OutboxRelay<TestOutbox> NewRelay(IServiceProvider provider) =>
        new(provider.GetRequiredService<TestOutbox>(), provider, NullLogger<OutboxRelay<TestOutbox>>.Instance);

    public void Dispose() => _settings.Dispose();
}
