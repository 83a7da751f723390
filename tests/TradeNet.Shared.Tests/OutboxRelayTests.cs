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
        var tradeIds = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToList();
        await using (var scope = db.BeginWrite())
        {
            foreach (var id in tradeIds) scope.Publish(new TradeCancelled(id, "expired", false, []));
            await scope.CommitAsync();
        }
        var outboxIds = (await new SqliteOutboxStore(db).PendingAsync(10, default)).Select(m => m.Id).ToHashSet();

        await using var provider = await RelayUntilAsync(db, 0, "outbox drained");
        var harness = provider.GetRequiredService<ITestHarness>();

        var published = harness.Published.Select<TradeCancelled>().ToList();
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
        var tradeIds = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToList();
        await using (var scope = db.BeginWrite())
        {
            foreach (var id in tradeIds) scope.Publish(new TradeCancelled(id, "expired", false, []));
            await scope.CommitAsync();
        }

        await using var provider = await RelayUntilAsync(db, unreadable, "the readable events drained");
        var harness = provider.GetRequiredService<ITestHarness>();

        Assert.Equal(tradeIds, harness.Published.Select<TradeCancelled>().Select(p => p.Context.Message.TradeId));
        Assert.Equal(poisonIds, (await new SqliteOutboxStore(db).PendingAsync(1000, default)).Select(m => m.Id).ToHashSet());
    }

    /// <summary>Runs a relay over <paramref name="db"/>'s outbox into a test harness until <paramref name="pending"/> events are
    /// left; the caller disposes the provider, which holds the harness.</summary>
    private static async Task<ServiceProvider> RelayUntilAsync(SqliteDatabase db, int pending, string what)
    {
        var provider = new ServiceCollection()
            .AddSingleton(new TestOutbox(db))
            .AddMassTransitTestHarness()
            .BuildServiceProvider(true);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        var relay = new OutboxRelay<TestOutbox>(provider.GetRequiredService<TestOutbox>(), provider,
            NullLogger<OutboxRelay<TestOutbox>>.Instance);
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

    public void Dispose() => _settings.Dispose();
}
