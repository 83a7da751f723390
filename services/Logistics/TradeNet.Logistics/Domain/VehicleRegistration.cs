namespace TradeNet.Logistics.Domain;

/// <summary>A caller's <c>Idempotency-Key</c> on a vehicle it registered: the same key again gets that vehicle back
/// instead of a second one (a carrier retrying after a lost answer would otherwise double the fleet planning sees).
/// Kept when the vehicle is withdrawn, so a late retry does not bring it back.</summary>
/// <param name="Caller">Whose key it is, role and name (<see cref="CallerOf"/>): keys are each caller's own.</param>
/// <param name="Fingerprint">Digest of the request's terms: the key reused for other terms is refused.</param>
public sealed record VehicleRegistration(string Caller, string Key, string VehicleId, string Fingerprint, DateTimeOffset At)
{
    /// <summary>One document per caller and key (MongoDB's id). A key has no spaces, so the last space splits them
    /// back and no two pairs share an id, whatever an operator's name holds.</summary>
    public string Id => IdOf(Caller, Key);

    public static string IdOf(string caller, string key) => $"{caller} {key}";

    /// <summary>"town:42187" or "operator:alice": a town's id comes from catalog and an operator's name from the
    /// gateway's settings, so the two may be spelled alike and must not share keys.</summary>
    public static string CallerOf(string role, string name) => $"{role}:{name}";
}
