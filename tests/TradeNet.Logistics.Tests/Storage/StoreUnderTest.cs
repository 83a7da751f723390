using MongoDB.Driver;
using TradeNet.Logistics.Storage;
using TradeNet.Logistics.Storage.Mongo;
using TradeNet.Logistics.Storage.Sqlite;
using TradeNet.Shared.Storage;
using TradeNet.Shared.Storage.Sqlite;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.Storage;

/// <summary>The adapters the contract suite runs against: SQLite always, MongoDB when TRADENET_TEST_MONGO names a server.</summary>
public static class Adapters
{
    public const string MongoVariable = "TRADENET_TEST_MONGO";

    public static TheoryData<string> All
    {
        get
        {
            var adapters = new TheoryData<string> { "sqlite" };
            if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(MongoVariable))) adapters.Add("mongo");
            return adapters;
        }
    }
}

/// <summary>A fresh, empty store of one adapter, thrown away afterwards.</summary>
public sealed class StoreUnderTest : IAsyncDisposable
{
    private readonly Func<Task> _cleanup;

    private StoreUnderTest(ILogisticsStore store, IOutboxStore outbox, Func<Task> cleanup)
    {
        Store = store;
        Outbox = outbox;
        _cleanup = cleanup;
    }

    public ILogisticsStore Store { get; }
    public IOutboxStore Outbox { get; }

    public static StoreUnderTest Create(string adapter)
    {
        switch (adapter)
        {
            case "sqlite":
                var settings = new TestSettings();
                var sqlite = new LogisticsSqliteStore(Path.Combine(settings.DataDir, "logistics.db"));
                return new(sqlite, sqlite.OutboxStore, () =>
                {
                    SqliteDatabase.ClearPool(Path.Combine(settings.DataDir, "logistics.db"));
                    settings.Dispose();
                    return Task.CompletedTask;
                });
            case "mongo":
                var client = new MongoClient(Environment.GetEnvironmentVariable(Adapters.MongoVariable));
                var database = $"logistics-test-{Guid.NewGuid():N}";
                var mongo = new LogisticsMongoStore(client, database);
                return new(mongo, mongo.OutboxStore, () => client.DropDatabaseAsync(database));
            default:
                throw new ArgumentOutOfRangeException(nameof(adapter), adapter, "unknown adapter");
        }
    }

    public async Task<IReadOnlyList<OutboxMessage>> PendingEventsAsync() => await Outbox.PendingAsync(10_000, CancellationToken.None);

    public ValueTask DisposeAsync() => new(_cleanup());
}
