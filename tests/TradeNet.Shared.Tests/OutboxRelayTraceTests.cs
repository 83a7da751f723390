using System.Diagnostics;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using TradeNet.Contracts;
using TradeNet.Shared.Hosting;
using TradeNet.Shared.Storage;
using TradeNet.Shared.Storage.Sqlite;
using TradeNet.Testing;

namespace TradeNet.Shared.Tests;

public sealed class OutboxRelayTraceTests : IDisposable
{
    private readonly TestSettings _settings = new();
    private readonly SpanRecorder _spans = new(TradeNetTelemetry.Name);

    private sealed class TraceOutbox(SqliteDatabase db) : SqliteOutboxStore(db);

    [Fact]
    public async Task A_publish_the_bus_refuses_ends_its_relay_span_as_an_error_with_the_exception()
    {
        var db = new SqliteDatabase(Path.Combine(_settings.DataDir, "refused.db"), "");
        var tradeId = Guid.NewGuid();
        await using (var scope = await db.BeginWriteAsync())
        {
            scope.Publish(new TradeCancelled(tradeId, "expired", false, []));
            await scope.CommitAsync();
        }
        await using var provider = new ServiceCollection()
            .AddSingleton(new TraceOutbox(db))
            .AddMassTransitTestHarness()
            .AddPublishObserver<RefusingBroker>()
            .BuildServiceProvider(true);
        await provider.GetRequiredService<ITestHarness>().Start();
        var relay = new OutboxRelay<TraceOutbox>(provider.GetRequiredService<TraceOutbox>(), provider,
            NullLogger<OutboxRelay<TraceOutbox>>.Instance);

        await relay.StartAsync(default);
        try
        {
            await Eventually.True(() => Task.FromResult(Attempts(tradeId).Any()), what: "a relay span for the refused event");
        }
        finally
        {
            await relay.StopAsync(default);
        }

        var attempt = Attempts(tradeId).First();
        Assert.Equal(ActivityStatusCode.Error, attempt.Status);
        Assert.Contains(attempt.Events, e => e.Name == "exception");
    }

    private IEnumerable<Activity> Attempts(Guid tradeId) =>
        _spans.Named("outbox relay").Where(a => (string?)a.GetTagItem(TradeNetTelemetry.TradeId) == tradeId.ToString());

    /// <summary>Stands in for a broker that is down: every publish fails before it leaves.</summary>
    private sealed class RefusingBroker : IPublishObserver
    {
        public Task PrePublish<T>(PublishContext<T> context) where T : class =>
            throw new InvalidOperationException("broker unreachable");

        public Task PostPublish<T>(PublishContext<T> context) where T : class => Task.CompletedTask;

        public Task PublishFault<T>(PublishContext<T> context, Exception exception) where T : class => Task.CompletedTask;
    }

    public void Dispose()
    {
        _spans.Dispose();
        _settings.Dispose();
    }
}
