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

        await using var provider = new ServiceCollection()
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
            await Eventually.True(async () => (await new SqliteOutboxStore(db).BacklogAsync(default)).Pending == 0, what: "outbox drained");
        }
        finally
        {
            await relay.StopAsync(default);
        }

        var published = harness.Published.Select<TradeCancelled>().ToList();
        Assert.Equal(tradeIds, published.Select(p => p.Context.Message.TradeId));
        Assert.True(published.All(p => outboxIds.Contains(p.Context.MessageId!.Value)));
    }

    public void Dispose() => _settings.Dispose();
}
