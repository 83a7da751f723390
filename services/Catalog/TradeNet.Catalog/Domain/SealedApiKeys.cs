using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace TradeNet.Catalog.Domain;

/// <summary>An API key kept, for a registration's replay, so that only the holder of its <c>Idempotency-Key</c> can read
/// it: AES-GCM under a key derived (HKDF-SHA256, a random salt each) from the Idempotency-Key, which the store keeps
/// only as a hash. A wrong Idempotency-Key, or a sealed value altered in the store, opens nothing.</summary>
public static class SealedApiKeys
{
    private const string Version = "v1.";
    private const int SaltSize = 16, NonceSize = 12, TagSize = 16;
    private static readonly byte[] Purpose = "tradenet town registration replay v1"u8.ToArray();

    public static string Seal(string apiKey, string idempotencyKey)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltSize);
        var nonce = RandomNumberGenerator.GetBytes(NonceSize);
        var plain = Encoding.UTF8.GetBytes(apiKey);
        var sealedBytes = new byte[SaltSize + NonceSize + TagSize + plain.Length];
        salt.CopyTo(sealedBytes, 0);
        nonce.CopyTo(sealedBytes, SaltSize);
        using var aes = new AesGcm(KeyOf(idempotencyKey, salt), TagSize);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(SaltSize + NonceSize + TagSize), sealedBytes.AsSpan(SaltSize + NonceSize, TagSize));
        return Version + Base64Url.EncodeToString(sealedBytes);
    }

    /// <summary>The API key, or null when <paramref name="idempotencyKey"/> is not the one it was sealed with (or the value
    /// is not one <see cref="Seal"/> wrote).</summary>
    public static string? Open(string sealedKey, string idempotencyKey)
    {
        if (!sealedKey.StartsWith(Version, StringComparison.Ordinal)) return null;
        byte[] bytes;
        try { bytes = Base64Url.DecodeFromChars(sealedKey.AsSpan(Version.Length)); }
        catch (FormatException) { return null; }
        if (bytes.Length < SaltSize + NonceSize + TagSize) return null;
        var plain = new byte[bytes.Length - SaltSize - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(KeyOf(idempotencyKey, bytes.AsSpan(0, SaltSize).ToArray()), TagSize);
            aes.Decrypt(bytes.AsSpan(SaltSize, NonceSize), bytes.AsSpan(SaltSize + NonceSize + TagSize), bytes.AsSpan(SaltSize + NonceSize, TagSize), plain);
        }
        catch (AuthenticationTagMismatchException) { return null; }
        return Encoding.UTF8.GetString(plain);
    }

    private static byte[] KeyOf(string idempotencyKey, byte[] salt) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(idempotencyKey), 32, salt, Purpose);
}
