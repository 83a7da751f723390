using MongoDB.Driver;

namespace TradeNet.Shared.Storage.Mongo;

/// <summary>A MongoDB transaction carrying the outbox and inbox documents with the state change.</summary>
public sealed class MongoWriteScope(MongoStore store, IClientSessionHandle session) : IWriteScope
{
    private readonly List<OutboxMessage> _outbox = [];
    private bool _committed;

    public IClientSessionHandle Session => session;

    public void Publish<T>(T message) where T : class => _outbox.Add(OutboxMessage.From(message));

    public async Task<bool> TryConsumeAsync(Guid messageId, string consumer, CancellationToken ct = default)
    {
        var id = $"{consumer}/{messageId}";
        if (await store.Inbox.Find(session, d => d.Id == id).AnyAsync(ct)) return false;
        await store.Inbox.InsertOneAsync(session, new InboxDocument { Id = id, ConsumedAt = DateTime.UtcNow }, cancellationToken: ct);
        return true;
    }

    public async Task CommitAsync(CancellationToken ct = default)
    {
        if (_outbox.Count > 0)
        {
            // Ticks keep relay order stable without a counter document that every write would contend on.
            var seq = DateTime.UtcNow.Ticks;
            await store.Outbox.InsertManyAsync(session, _outbox.Select((m, i) => new OutboxDocument
            {
                Id = m.Id, Seq = seq + i, Type = m.Type, Payload = m.Payload, TraceParent = m.TraceParent,
                CreatedAt = m.CreatedAt.UtcDateTime,
            }), cancellationToken: ct);
        }
        await session.CommitTransactionAsync(ct);
        _committed = true;
        if (_outbox.Count > 0) OutboxSignal.Raise();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_committed && session.IsInTransaction) await session.AbortTransactionAsync();
        session.Dispose();
    }
}
