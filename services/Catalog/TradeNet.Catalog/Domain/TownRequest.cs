namespace TradeNet.Catalog.Domain;

/// <summary>A registration's <c>Idempotency-Key</c>: the same key and body again, before <paramref name="ExpiresAt"/>, get
/// the town and its API key back instead of a second town (the key is shown once, so a lost answer would otherwise
/// leave the town without it). Registration is anonymous, so the key itself is what tells the caller apart: it is kept
/// only as a hash, and the API key only sealed with it (<see cref="SealedApiKeys"/>), so the store alone gives neither.</summary>
/// <param name="KeyHash">SHA-256 of the Idempotency-Key (<see cref="ApiKeys.Hash"/>); the id.</param>
/// <param name="Fingerprint">Digest of the registration's body: the key sent with another body is refused.</param>
/// <param name="SealedApiKey">The API key the registration answered, sealed with the Idempotency-Key.</param>
public sealed record TownRequest(string KeyHash, string TownId, string Fingerprint, string SealedApiKey, DateTimeOffset At,
    DateTimeOffset ExpiresAt);
