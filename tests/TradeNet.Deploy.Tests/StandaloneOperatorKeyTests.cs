using Microsoft.Extensions.Configuration;
using TradeNet.Standalone;

namespace TradeNet.Deploy.Tests;

/// <summary>The operator key's replacement in docs/operations.md ("The operator key leaked"): add a second entry, move the
/// operators to it, remove the leaked one. Once only <c>Gateway__Operators__1__…</c> was left, the standalone host found no
/// entry 0, generated a key there and printed it: two operator keys worked, one of them nobody had asked for, and the
/// console said the key was generated (seen Dec 2026 walking the docs).</summary>
public sealed class StandaloneOperatorKeyTests
{
    private const string Kept = "op_kept-key-0123456789abcdef";

    [Fact]
    public void An_operator_key_configured_only_at_a_later_index_is_the_only_one_with_none_generated_beside_it()
    {
        var options = StandaloneOptions.From(Config(("Gateway:Operators:1:Name", "new"), ("Gateway:Operators:1:Key", Kept)));

        Assert.False(options.OperatorKeyGenerated);
        var settings = options.SharedSettings();
        Assert.DoesNotContain(settings, s => s.Key.StartsWith("Gateway:Operators:", StringComparison.Ordinal));
    }

    [Fact]
    public void With_no_operator_key_configured_one_is_generated_for_the_run()
    {
        var options = StandaloneOptions.From(Config());

        Assert.True(options.OperatorKeyGenerated);
        Assert.StartsWith("op_", options.SharedSettings()["Gateway:Operators:0:Key"]);
        Assert.Equal("operator", options.SharedSettings()["Gateway:Operators:0:Name"]);
    }

    [Fact]
    public void A_key_configured_at_index_zero_without_a_name_is_used_under_the_default_name()
    {
        var options = StandaloneOptions.From(Config(("Gateway:Operators:0:Key", Kept)));

        Assert.False(options.OperatorKeyGenerated);
        Assert.Equal(Kept, options.SharedSettings()["Gateway:Operators:0:Key"]);
        Assert.Equal("operator", options.SharedSettings()["Gateway:Operators:0:Name"]);
    }

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();
}
