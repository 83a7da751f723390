using MongoDB.Driver;

namespace TradeNet.Shared.Storage.Mongo;

public class MongoOutboxStore(MongoStore store) : IOutboxStore
{
    public async Task<IReadOnlyList<OutboxMessage>> PendingAsync(int max, CancellationToken ct)
    {
        var docs = await store.Outbox.Find(MongoStore.PendingFilter).SortBy(d => d.Seq).Limit(max).ToListAsync(ct);
        return docs.Select(d => new OutboxMessage(d.Id, d.Type, d.Payload, d.TraceParent, new DateTimeOffset(d.CreatedAt, TimeSpan.Zero),
            d.KeptSince is not null)).ToList();
    }

    // A confirmed event has nothing left to do here; keeping it would grow the collection without bound.
    public async Task MarkSentAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return;
        await store.Outbox.DeleteManyAsync(Builders<OutboxDocument>.Filter.In(d => d.Id, ids), ct);
    }

    public async Task KeepSentAsync(IReadOnlyCollection<Guid> ids, DateTimeOffset at, CancellationToken ct)
    {
        if (ids.Count == 0) return;
        var these = Builders<OutboxDocument>.Filter.In(d => d.Id, ids);
        // KeptSince is the first hand-over: handing over again after a restart does not keep an event longer.
        await store.Outbox.UpdateManyAsync(these & Builders<OutboxDocument>.Filter.Eq(d => d.KeptSince, null),
            Builders<OutboxDocument>.Update.Set(d => d.KeptSince, at.UtcDateTime), cancellationToken: ct);
        await store.Outbox.UpdateManyAsync(these, Builders<OutboxDocument>.Update.Set(d => d.SentAt, at.UtcDateTime), cancellationToken: ct);
    }

    public async Task<IReadOnlyList<Guid>> RequeueAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return [];
        var kept = Builders<OutboxDocument>.Filter.In(d => d.Id, ids) & Builders<OutboxDocument>.Filter.Ne(d => d.SentAt, null);
        var found = await store.Outbox.Find(kept).Project(d => d.Id).ToListAsync(ct);
        if (found.Count > 0)
            await store.Outbox.UpdateManyAsync(Builders<OutboxDocument>.Filter.In(d => d.Id, found),
                Builders<OutboxDocument>.Update.Set(d => d.SentAt, null), cancellationToken: ct);
        return found;
    }

    public async Task<int> RequeueSentAsync(CancellationToken ct)
    {
        var result = await store.Outbox.UpdateManyAsync(Builders<OutboxDocument>.Filter.Ne(d => d.SentAt, null),
            Builders<OutboxDocument>.Update.Set(d => d.SentAt, null), cancellationToken: ct);
        return (int)result.ModifiedCount;
    }

    public async Task<int> ForgetSentAsync(DateTimeOffset before, int max, CancellationToken ct)
    {
        var sentBefore = Builders<OutboxDocument>.Filter.Ne(d => d.SentAt, null) & Builders<OutboxDocument>.Filter.Lt(d => d.KeptSince, before.UtcDateTime);
        var ids = await store.Outbox.Find(sentBefore).SortBy(d => d.Seq).Project(d => d.Id).Limit(max).ToListAsync(ct);
        if (ids.Count == 0) return 0;
        var deleted = await store.Outbox.DeleteManyAsync(Builders<OutboxDocument>.Filter.In(d => d.Id, ids), ct);
        return (int)deleted.DeletedCount;
    }

    public async Task<int> ForgetConsumedAsync(DateTimeOffset before, int max, CancellationToken ct)
    {
        // DeleteMany has no limit: take a bounded batch of ids first, so one sweep never holds a huge delete.
        var ids = await store.Inbox.Find(MongoStore.ConsumedBefore(before)).Project(d => d.Id).Limit(max).ToListAsync(ct);
        if (ids.Count == 0) return 0;
        var deleted = await store.Inbox.DeleteManyAsync(Builders<InboxDocument>.Filter.In(d => d.Id, ids), ct);
        return (int)deleted.DeletedCount;
    }

    public Task<bool> TryHoldRelayAsync(string holder, DateTimeOffset now, DateTimeOffset until, CancellationToken ct) =>
        store.TryTakeLeaseAsync(Leases.OutboxRelay, holder, now, until, ct);

    public async Task<OutboxBacklog> BacklogAsync(CancellationToken ct)
    {
        var count = await store.Outbox.CountDocumentsAsync(MongoStore.PendingFilter, cancellationToken: ct);
        var oldest = await store.Outbox.Find(MongoStore.PendingFilter).SortBy(d => d.Seq).Limit(1).FirstOrDefaultAsync(ct);
        return new OutboxBacklog((int)count, oldest is null ? null : new DateTimeOffset(oldest.CreatedAt, TimeSpan.Zero));
    }
}
