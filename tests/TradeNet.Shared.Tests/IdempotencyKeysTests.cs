using TradeNet.Shared.Hosting;

namespace TradeNet.Shared.Tests;

public class IdempotencyKeysTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("roanne-cheese-1")]
    [InlineData("550e8400-e29b-41d4-a716-446655440000")]
    [InlineData("~!#$%&'*+-.^_`|/:;<=>?@[]{}")]
    public void Printable_ascii_without_spaces_or_commas_is_a_key(string key) => Assert.True(IdempotencyKeys.IsWellFormed(key));

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("one,two")] // the header sent twice
    [InlineData("clé")]
    [InlineData("tab\there")]
    public void Anything_else_is_not(string key) => Assert.False(IdempotencyKeys.IsWellFormed(key));

    [Fact]
    public void A_key_is_at_most_255_characters()
    {
        Assert.True(IdempotencyKeys.IsWellFormed(new string('k', 255)));
        Assert.False(IdempotencyKeys.IsWellFormed(new string('k', 256)));
    }

    [Fact]
    public void Terms_digest_by_their_values_and_names()
    {
        var digest = IdempotencyKeys.Fingerprint(new { quantity = 40.0, tags = new[] { "raw" } });

        Assert.Matches("^[0-9A-F]{64}$", digest);
        Assert.Equal(digest, IdempotencyKeys.Fingerprint(new { quantity = 40.0, tags = new[] { "raw" } }));
        Assert.NotEqual(digest, IdempotencyKeys.Fingerprint(new { quantity = 41.0, tags = new[] { "raw" } }));
        Assert.NotEqual(digest, IdempotencyKeys.Fingerprint(new { weight = 40.0, tags = new[] { "raw" } }));
    }
}
