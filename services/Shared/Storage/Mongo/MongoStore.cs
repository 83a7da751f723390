using MongoDB.Driver;

namespace TradeNet.Shared.Storage.Mongo;

/// <summary>One service's MongoDB database with its outbox and inbox collections.
/// Multi-document writes use transactions, so the server must be a replica set (one node is enough).</summary>
public class MongoStore
{
    static MongoStore()
    {
        MongoGuids.UseStandard();
    }

    public MongoStore(IMongoClient client, string databaseName)
    {
        Client = client;
        Database = client.GetDatabase(databaseName);
        Outbox = Database.GetCollection<OutboxDocument>("outbox");
        Inbox = Database.GetCollection<InboxDocument>("inbox");
        RelayLease = Database.GetCollection<RelayLeaseDocument>("outboxRelay");
    }

    public IMongoClient Client { get; }
    public IMongoDatabase Database { get; }
    public IMongoCollection<OutboxDocument> Outbox { get; }
    public IMongoCollection<InboxDocument> Inbox { get; }
    public IMongoCollection<RelayLeaseDocument> RelayLease { get; }

    public const string RelayLeaseId = "outbox-relay";

    /// <summary>The relay lease as <paramref name="holder"/> may take it: run out at <paramref name="now"/>, or its own.</summary>
    public static FilterDefinition<RelayLeaseDocument> RelayHoldableBy(string holder, DateTimeOffset now)
    {
        var f = Builders<RelayLeaseDocument>.Filter;
        return f.Eq(d => d.Id, RelayLeaseId) & (f.Lte(d => d.ExpiresAt, now.UtcDateTime) | f.Eq(d => d.Holder, holder));
    }

    public static CreateIndexModel<OutboxDocument> PendingOutboxIndex { get; } =
        new(Builders<OutboxDocument>.IndexKeys.Ascending(d => d.SentAt).Ascending(d => d.Seq),
            new CreateIndexOptions { Name = "pending" });

    public static CreateIndexModel<InboxDocument> ConsumedInboxIndex { get; } =
        new(Builders<InboxDocument>.IndexKeys.Ascending(d => d.ConsumedAt), new CreateIndexOptions { Name = "consumed" });

    public async Task EnsureOutboxIndexesAsync(CancellationToken ct = default)
    {
        await Outbox.Indexes.CreateOneAsync(PendingOutboxIndex, cancellationToken: ct);
        await Inbox.Indexes.CreateOneAsync(ConsumedInboxIndex, cancellationToken: ct);
    }

    /// <summary>Inbox entries recorded before <paramref name="before"/> (what <see cref="InboxRetention{TStore}"/> forgets).</summary>
    public static FilterDefinition<InboxDocument> ConsumedBefore(DateTimeOffset before) =>
        Builders<InboxDocument>.Filter.Lt(d => d.ConsumedAt, before.UtcDateTime);

    public async Task<MongoWriteScope> BeginWriteAsync(CancellationToken ct = default)
    {
        var session = await Client.StartSessionAsync(cancellationToken: ct);
        session.StartTransaction(new TransactionOptions(writeConcern: WriteConcern.WMajority));
        return new MongoWriteScope(this, session);
    }

    public static FilterDefinition<OutboxDocument> PendingFilter => Builders<OutboxDocument>.Filter.Eq(d => d.SentAt, null);
}
