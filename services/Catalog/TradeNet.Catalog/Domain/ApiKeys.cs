using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace TradeNet.Catalog.Domain;

/// <summary>Town API keys: 256 random bits, shown once, stored as a SHA-256 hash. A fast hash is enough
/// because the key has full entropy (nothing to brute-force as with passwords).</summary>
public static class ApiKeys
{
    public const string Prefix = "tn_";

    public static string New() => Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string apiKey) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)));

    /// <summary>Ids for towns registered without a (free) INSEE code; never shaped like one.</summary>
    public static string NewTownId() =>
        "town-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    public static string NewListingId() => Guid.CreateVersion7().ToString("N");
}
