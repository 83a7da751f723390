using TradeNet.Matching.Storage;
using TradeNet.Matching.Storage.Mongo;
using TradeNet.Shared.Storage;
using TradeNet.Shared.Storage.Mongo;
using TradeNet.Testing;

namespace TradeNet.Matching.Tests.Storage;

/// <summary>The adapters the contract runs against: SQLite always, MongoDB when TRADENET_TEST_MONGO holds a connection string.</summary>
public static class StoreAdapters
{
    public static string? MongoConnectionString => Environment.GetEnvironmentVariable("TRADENET_TEST_MONGO") is { Length: > 0 } s ? s : null;

    public static TheoryData<string> Available
    {
        get
        {
            var adapters = new TheoryData<string> { "sqlite" };
            if (MongoConnectionString is not null) adapters.Add("mongo");
            return adapters;
        }
    }

    public static MatchingStorage Create(string adapter, TestSettings settings)
    {
        if (adapter == "sqlite") return MatchingStorage.Create(new StorageOptions { DataDir = settings.DataDir });
        // A database per test, so runs never see each other's documents.
        var mongo = MongoMatchingStore.Connect(MongoConnectionString!, $"tradenet-matching-test-{Guid.NewGuid():N}");
        return new MatchingStorage(mongo, new MongoOutboxStore(mongo.Mongo));
    }
}
