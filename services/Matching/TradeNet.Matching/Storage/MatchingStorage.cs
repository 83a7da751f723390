using TradeNet.Matching.Storage.Mongo;
using TradeNet.Matching.Storage.Sqlite;
using TradeNet.Shared.Storage;
using TradeNet.Shared.Storage.Mongo;
using TradeNet.Shared.Storage.Sqlite;

namespace TradeNet.Matching.Storage;

/// <summary>The adapter chosen by <see cref="StorageOptions"/>, with the outbox that lives beside it.</summary>
public sealed class MatchingStorage(IMatchingStore store, IOutboxStore outbox)
{
    public const string Service = "matching";
    public const string MongoDatabase = "tradenet-matching";

    public IMatchingStore Store { get; } = store;
    public IOutboxStore Outbox { get; } = outbox;

    public static MatchingStorage Create(StorageOptions options)
    {
        if (options.UseMongo)
        {
            var mongo = MongoMatchingStore.Connect(options.MongoConnectionString!, MongoDatabase);
            return new MatchingStorage(mongo, new MongoOutboxStore(mongo.Mongo));
        }
        var sqlite = new SqliteMatchingStore(options.SqlitePath(Service));
        return new MatchingStorage(sqlite, new SqliteOutboxStore(sqlite.Database));
    }
}

/// <summary>Matching's outbox under a type of its own, so its relay never collides with another service's
/// in a process that hosts them all.</summary>
public sealed class MatchingOutbox(MatchingStorage storage) : IOutboxStore
{
    public Task<IReadOnlyList<OutboxMessage>> PendingAsync(int max, CancellationToken ct) => storage.Outbox.PendingAsync(max, ct);

    public Task MarkSentAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct) => storage.Outbox.MarkSentAsync(ids, ct);

    public Task KeepSentAsync(IReadOnlyCollection<Guid> ids, DateTimeOffset at, CancellationToken ct) => storage.Outbox.KeepSentAsync(ids, at, ct);

    public Task<int> RequeueSentAsync(CancellationToken ct) => storage.Outbox.RequeueSentAsync(ct);

    public Task<IReadOnlyList<Guid>> RequeueAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct) => storage.Outbox.RequeueAsync(ids, ct);

    public Task<int> ForgetSentAsync(DateTimeOffset before, int max, CancellationToken ct) => storage.Outbox.ForgetSentAsync(before, max, ct);

    public Task<OutboxBacklog> BacklogAsync(CancellationToken ct) => storage.Outbox.BacklogAsync(ct);

    public Task<int> ForgetConsumedAsync(DateTimeOffset before, int max, CancellationToken ct) =>
        storage.Outbox.ForgetConsumedAsync(before, max, ct);

    public Task<bool> TryHoldRelayAsync(string holder, DateTimeOffset now, DateTimeOffset until, CancellationToken ct) =>
        storage.Outbox.TryHoldRelayAsync(holder, now, until, ct);
}
