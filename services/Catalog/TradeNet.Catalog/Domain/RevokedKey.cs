namespace TradeNet.Catalog.Domain;

/// <summary>A key the catalog stopped accepting (its town's key was rotated away), as the revoked-key feed lists it for
/// the gateways, which cache a key's identity: its SHA-256 (<see cref="ApiKeys.Hash"/>), its place in the feed, and when.</summary>
/// <param name="Sequence">1, 2, 3… in the order the revocations committed, without gaps (each comes from one committed
/// rotation), so a reader that knows the last one it read can tell when some after it are gone.</param>
public sealed record RevokedKey(long Sequence, string KeyHash, DateTimeOffset RevokedAt)
{
    /// <summary>How long the feed keeps an entry: far longer than a gateway caches a key's identity (30 s by default),
    /// so only a gateway cut off from the catalog for about a day finds entries gone, and then it forgets every key.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(1);
}

/// <summary>Revocations after a point in the feed, oldest first, and the feed's newest sequence, read before them.</summary>
public sealed record RevokedKeyPage(IReadOnlyList<RevokedKey> Keys, long Newest)
{
    /// <summary>Whether revocations right after <paramref name="after"/> were pruned before the reader got them: the page
    /// does not start at the next sequence, or it is empty though the feed went further.</summary>
    public bool LostAfter(long after) => Keys.Count > 0 ? Keys[0].Sequence > after + 1 : Newest > after;
}
