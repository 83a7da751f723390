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

    [Fact]
    public async Task An_outbox_row_the_relay_cannot_read_stays_pending_without_holding_back_the_events_after_it()
    {
        var db = new SqliteDatabase(Path.Combine(_settings.DataDir, "poison.db"), "");
        var poisonId = Guid.NewGuid();
        await using (var connection = db.Open())
        await using (var command = connection.CreateCommand())
        {
            // An event type a later version renamed: no build of this one can ever publish it.
            command.CommandText = "INSERT INTO outbox(id, type, payload, created_at) VALUES ($id, 'TradeNet.Contracts.TradeRenamed', '{}', $at)";
            command.Parameters.AddWithValue("$id", poisonId.ToString());
            command.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToString("O"));
            await command.ExecuteNonQueryAsync();
        }
        var tradeIds = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToList();
        await using (var scope = db.BeginWrite())
        {
            foreach (var id in tradeIds) scope.Publish(new TradeCancelled(id, "expired", false, []));
            await scope.CommitAsync();
        }

        await using var provider = await RelayUntilAsync(db, 1, "the readable events drained");
        var harness = provider.GetRequiredService<ITestHarness>();

        Assert.Equal(tradeIds, harness.Published.Select<TradeCancelled>().Select(p => p.Context.Message.TradeId));
        Assert.Equal(poisonId, (await new SqliteOutboxStore(db).PendingAsync(10, default)).Single().Id);
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
