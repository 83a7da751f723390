using System.Security.Cryptography;
using System.Text.Json;

namespace TradeNet.Shared.Hosting;

/// <summary>The <c>Idempotency-Key</c> rules every create endpoint shares: a client that lost the answer sends the
/// same request with the same key again and gets the first answer back instead of a second record.</summary>
public static class IdempotencyKeys
{
    public const string Header = "Idempotency-Key";

    /// <summary>Set to <c>true</c> on an answer that an earlier request with the same key created.</summary>
    public const string ReplayedHeader = "Idempotent-Replayed";

    public const int MaxLength = 255;
    public const string Rule = "must be 1 to 255 printable ASCII characters without spaces or commas, sent once";

    // No commas: a header sent twice reaches the endpoint as its values joined by one.
    public static bool IsWellFormed(string key) => TextRules.IsToken(key, MaxLength) && !key.Contains(',');

    /// <summary>Why a key sent again with other terms than its first request's is refused (409).</summary>
    public static string UsedForOtherTerms(string key, string what) =>
        $"{Header} '{key}' was used for a {what} with other terms; send a new key for a new {what}";

    /// <summary>A digest of a request's normalised terms (an anonymous object, serialised with the default options),
    /// stored with the key: a retry must digest alike, so changing how terms serialise orphans the keys stored before.</summary>
    public static string Fingerprint<T>(T terms) => Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(terms)));
}
