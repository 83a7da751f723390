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

    /// <summary>When the in-memory bus was first handed the event (<see cref="IOutboxStore.KeepSentAsync"/>).</summary>
    public DateTime? KeptSince { get; set; }
}

/// <summary>A lease of the <c>leases</c> collection (see <see cref="Leases"/>): the name is the key, so two holders can
/// never both insert it.</summary>
public sealed class LeaseDocument
{
    [BsonId] public string Id { get; set; } = "";
    [BsonElement("holder")] public string Holder { get; set; } = "";
    [BsonElement("expiresAt")] public DateTime ExpiresAt { get; set; }
}

public sealed class InboxDocument
{
    /// <summary>"consumer/messageId": the key itself enforces once-only.</summary>
    [BsonId] public string Id { get; set; } = "";
    public DateTime ConsumedAt { get; set; }
}
