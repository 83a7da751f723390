using MongoDB.Bson.Serialization.Attributes;

namespace TradeNet.Shared.Storage.Mongo;

public sealed class OutboxDocument
{
    [BsonId] public Guid Id { get; set; }
    public long Seq { get; set; }
    public string Type { get; set; } = "";
    public string Payload { get; set; } = "";
    public string? TraceParent { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? SentAt { get; set; }
}

/// <summary>Which relay publishes the outbox, until when (one document, <see cref="MongoStore.RelayLeaseId"/>).</summary>
public sealed class RelayLeaseDocument
{
    [BsonId] public string Id { get; set; } = "";
    public string Holder { get; set; } = "";
    public DateTime ExpiresAt { get; set; }
}

public sealed class InboxDocument
{
    /// <summary>"consumer/messageId": the key itself enforces once-only.</summary>
    [BsonId] public string Id { get; set; } = "";
    public DateTime ConsumedAt { get; set; }
}
