namespace TradeNet.Logistics.Storage;

/// <summary>A shipment's wrong handover codes: how many distinct ones were given, and the tags (keyed hashes, never the
/// codes) of those counted since tags were kept. <paramref name="Wrong"/> may exceed the tags: a store from before them
/// kept the count alone.</summary>
public sealed record HandoverAttempts(int Wrong, IReadOnlySet<string> Tags)
{
    public static HandoverAttempts None { get; } = new(0, new HashSet<string>());
}
