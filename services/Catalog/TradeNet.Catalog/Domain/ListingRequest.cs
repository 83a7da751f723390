namespace TradeNet.Catalog.Domain;

/// <summary>A town's <c>Idempotency-Key</c> on a listing it published: the same key again gets that listing back
/// instead of a second one (a retry after a lost answer must not offer the goods twice).</summary>
/// <param name="Fingerprint">Digest of the request's terms: the key reused for other terms is refused.</param>
public sealed record ListingRequest(string TownId, string Key, string ListingId, string Fingerprint, DateTimeOffset At)
{
    /// <summary>One document per town and key (MongoDB's id).</summary>
    public string Id => IdOf(TownId, Key);

    public static string IdOf(string townId, string key) => $"{townId}/{key}";
}
