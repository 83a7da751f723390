using System.Security.Cryptography;
using System.Text;
using TradeNet.Logistics.Storage;

namespace TradeNet.Logistics.Domain;

/// <summary>
/// The proof that goods reached their receiver. Each shipment has a handover code that only its receiving town (and
/// operators) can read; a carrier reports the delivery with it, given by the receiver at handover, or the receiving town
/// reports the delivery itself. So a carrier — which any town can become by offering a vehicle — cannot complete a trade
/// by claiming goods arrived that never did.
/// </summary>
/// <remarks>Derived, not stored per shipment: an HMAC of the shipment id under a secret logistics makes once in its own
/// store, at start (<see cref="ILogisticsStore.SecretAsync"/>, <see cref="HandoverSecretAtStart"/>), so every replica and every shipment (older ones included) has one,
/// a restart changes none, and a new shipment after a failed trip has a new one. Eight Crockford base32 characters
/// (40 bits) shown as XXXX-XXXX; read without regard to case, dashes or spaces, O as 0, I and L as 1. Guessing is
/// bounded by the shipment, not the caller: after <see cref="MaxWrong"/> distinct wrong codes a carrier's reports are
/// refused (ShipmentTracking), so a guess succeeds with odds of about 1 in 10^11.</remarks>
public sealed class HandoverCodes(Func<CancellationToken, Task<byte[]>> secret)
{
    public const int Length = 8;

    /// <summary>Distinct wrong codes a shipment takes before only its receiving town or an operator may report its delivery
    /// (the same wrong code again is no new guess: <see cref="WrongCodeTagAsync"/>).</summary>
    public const int MaxWrong = 10;

    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private const string SecretName = "handover-codes";

    private byte[]? _key;
    private byte[]? _tagKey;

    public HandoverCodes(ILogisticsStore store) : this(ct => store.SecretAsync(SecretName, ct)) { }

    /// <summary>Reads the secret, making it if the store has none yet (<see cref="HandoverSecretAtStart"/>).</summary>
    public async Task EnsureSecretAsync(CancellationToken ct) => _key ??= await secret(ct);

    public async Task<string> ForAsync(Guid shipmentId, CancellationToken ct)
    {
        // Read once: the secret never changes for the life of the store.
        var key = _key ??= await secret(ct);
        var mac = HMACSHA256.HashData(key, shipmentId.ToByteArray());
        var bits = ((ulong)mac[0] << 32) | ((ulong)mac[1] << 24) | ((ulong)mac[2] << 16) | ((ulong)mac[3] << 8) | mac[4];
        var code = new char[Length];
        for (var i = Length - 1; i >= 0; i--, bits >>= 5) code[i] = Alphabet[(int)(bits & 31)];
        return $"{new string(code, 0, 4)}-{new string(code, 4, 4)}";
    }

    /// <summary>The tag a wrong code is counted by (<see cref="ILogisticsSession.CountWrongHandoverCodesAsync"/>): a keyed
    /// hash of the shipment id and the code in its canonical form, so the same code again — a retry, or typed another
    /// way — is recognised as no new guess, while the store never holds a code tried in clear (nor one usable for another
    /// shipment). Keyed by a key of its own derived from the secret, so a tag is never a code or a code's input.</summary>
    public async Task<string> WrongCodeTagAsync(Guid shipmentId, string code, CancellationToken ct)
    {
        var normal = Normalize(code) ?? throw new ArgumentException("Not a handover code; the caller checks that first (a 400).", nameof(code));
        var key = _tagKey ??= HMACSHA256.HashData(_key ??= await secret(ct), "wrong-handover-code-tags"u8);
        var input = new byte[16 + Length];
        shipmentId.TryWriteBytes(input);
        Encoding.ASCII.GetBytes(normal, input.AsSpan(16));
        return Convert.ToHexString(HMACSHA256.HashData(key, input), 0, 16);
    }

    /// <summary>The code as typed, in its canonical form, or null when it cannot be a code at all (a 400). Separators are
    /// skipped: spaces of any kind (a tab, a line break or a no-break space a phone or a paste adds) and dashes of any kind
    /// (a keyboard's autocorrect makes an en dash of a hyphen).</summary>
    public static string? Normalize(string? typed)
    {
        if (typed is null) return null;
        var chars = new StringBuilder(Length);
        foreach (var c in typed)
        {
            if (char.IsWhiteSpace(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.DashPunctuation || c == '\u2212') continue;
            var upper = char.ToUpperInvariant(c) switch { 'O' => '0', 'I' or 'L' => '1', var u => u };
            if (!Alphabet.Contains(upper) || chars.Length == Length) return null;
            chars.Append(upper);
        }
        return chars.Length == Length ? chars.ToString() : null;
    }

    /// <summary>Whether any of the given codes is the shipment's (compared in constant time).</summary>
    public async Task<bool> MatchesAsync(Guid shipmentId, IEnumerable<string> given, CancellationToken ct)
    {
        var expected = Encoding.ASCII.GetBytes((await ForAsync(shipmentId, ct)).Replace("-", "", StringComparison.Ordinal));
        var found = false;
        foreach (var code in given)
            if (Normalize(code) is { } normal && CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(normal)))
                found = true;
        return found;
    }
}
