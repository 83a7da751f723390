using System.Buffers.Text;
using TradeNet.Catalog.Domain;

namespace TradeNet.Catalog.Tests;

public sealed class ApiKeyTests
{
    [Fact]
    public void A_new_key_carries_256_random_bits_behind_its_prefix()
    {
        var key = ApiKeys.New();

        Assert.StartsWith("tn_", key);
        Assert.Equal(32, Base64Url.DecodeFromChars(key.AsSpan(3)).Length);
    }

    [Fact]
    public void Every_key_is_different()
    {
        var keys = Enumerable.Range(0, 1000).Select(_ => ApiKeys.New()).ToHashSet();

        Assert.Equal(1000, keys.Count);
    }

    [Fact]
    public void A_key_hashes_to_the_same_sha256_hex_every_time_and_never_to_itself()
    {
        var key = ApiKeys.New();

        var hash = ApiKeys.Hash(key);

        Assert.Equal(hash, ApiKeys.Hash(key));
        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.NotEqual(hash, ApiKeys.Hash(key + "x"));
        // The well-known SHA-256 of "abc", so the hash is the standard one the gateway can rely on.
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ApiKeys.Hash("abc"));
    }

    [Fact]
    public void Generated_town_ids_never_look_like_insee_codes()
    {
        var id = ApiKeys.NewTownId();

        Assert.Matches("^town-[0-9a-f]{12}$", id);
    }
}
