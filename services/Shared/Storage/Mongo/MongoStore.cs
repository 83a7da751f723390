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
        Leases = Database.GetCollection<LeaseDocument>("leases");
    }

    public IMongoClient Client { get; }
    public IMongoDatabase Database { get; }
    public IMongoCollection<OutboxDocument> Outbox { get; }
    public IMongoCollection<InboxDocument> Inbox { get; }
    public IMongoCollection<LeaseDocument> Leases { get; }

    /// <summary>The lease as <paramref name="holder"/> may take it: run out by <paramref name="now"/>, or already theirs.
    /// An upsert with this filter that matches nothing collides on the name, and the caller knows it is held.</summary>
    public static FilterDefinition<LeaseDocument> LeaseTakeableBy(string name, string holder, DateTimeOffset now)
    {
        var f = Builders<LeaseDocument>.Filter;
        return f.Eq(d => d.Id, name) & (f.Lte(d => d.ExpiresAt, now.UtcDateTime) | f.Eq(d => d.Holder, holder));
    }

    /// <summary>Takes a free lease, one that ran out by <paramref name="now"/>, or renews the holder's own; true when
    /// <paramref name="holder"/> holds it until <paramref name="until"/>.</summary>
    public async Task<bool> TryTakeLeaseAsync(string name, string holder, DateTimeOffset now, DateTimeOffset until, CancellationToken ct)
    {
        var update = Builders<LeaseDocument>.Update.Set(d => d.Holder, holder).Set(d => d.ExpiresAt, until.UtcDateTime);
        try
        {
            await Leases.UpdateOneAsync(LeaseTakeableBy(name, holder, now), update, new UpdateOptions { IsUpsert = true }, ct);
            return true;
        }
        catch (MongoWriteException ex) when (ex.WriteError.Category == ServerErrorCategory.DuplicateKey)
        {
            return false; // held by another holder and still running: the upsert's insert collided on the name
        }
    }

    public static CreateIndexModel<OutboxDocument> PendingOutboxIndex { get; } =
        new(Builders<OutboxDocument>.IndexKeys.Ascending(d => d.SentAt).Ascending(d => d.Seq),
            new CreateIndexOptions { Name = "pending" });

    public static CreateIndexModel<InboxDocument> ConsumedInboxIndex { get; } =
        new(Builders<InboxDocument>.IndexKeys.Ascending(d => d.ConsumedAt), new CreateIndexOptions { Name = "consumed" });

    /// <summary>Each service's first use of its database at start. A server that never answers shows as the driver's
    /// server selection timeout (30 s unless the connection string's <c>serverSelectionTimeoutMS</c> says otherwise); it
    /// is turned into <see cref="MongoUnreachableException"/> naming the settings, without the connection string (it
    /// may hold a password).</summary>
    public async Task EnsureOutboxIndexesAsync(CancellationToken ct = default)
    {
        try
        {
            await Outbox.Indexes.CreateOneAsync(PendingOutboxIndex, cancellationToken: ct);
            await Inbox.Indexes.CreateOneAsync(ConsumedInboxIndex, cancellationToken: ct);
        }
        catch (TimeoutException ex)
        {
            // The driver puts the cause (a refused connection, a name not resolved) into its message's cluster description,
            // with stacks: only an inner exception, when there is one, is short enough to repeat.
            var cause = ex.InnerException is { } inner ? $" ({inner.GetBaseException().Message})" : "";
            var servers = string.Join(", ", Client.Settings.Servers.Select(s => $"{s.Host}:{s.Port}"));
            throw new MongoUnreachableException(
                $"no MongoDB server answered at {servers} within {Client.Settings.ServerSelectionTimeout.TotalSeconds:0.#} s" +
                $"{cause}. Storage:Provider is mongo: start MongoDB (a replica set), correct Storage:MongoConnectionString, " +
                "or leave Storage:Provider unset for SQLite.", ex);
        }
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
