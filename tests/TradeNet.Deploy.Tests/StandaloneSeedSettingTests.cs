using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using TradeNet.Standalone;

namespace TradeNet.Deploy.Tests;

/// <summary><c>Standalone__Seed</c>: a value that is neither true nor false was read as true, and the host seeded five demo
/// towns into a network its operator meant to start empty (<c>Standalone__Seed=no</c>), which no setting undoes.</summary>
public sealed class StandaloneSeedSettingTests
{
    [Theory]
    [InlineData("no")]
    [InlineData("0")]
    [InlineData("off")]
    public void A_seed_setting_that_is_neither_true_nor_false_is_refused_naming_it(string value)
    {
        var refused = Assert.Throws<OptionsValidationException>(() => StandaloneOptions.From(Config(value)));

        Assert.Contains($"Standalone:Seed is '{value}'", Assert.Single(refused.Failures));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("true", true)]
    [InlineData("False", false)]
    [InlineData("false", false)]
    public void The_demo_towns_are_seeded_unless_the_setting_says_false(string? value, bool seeded) =>
        Assert.Equal(seeded, StandaloneOptions.From(Config(value)).Seed);

    private static IConfiguration Config(string? seed) =>
        new ConfigurationBuilder().AddInMemoryCollection([KeyValuePair.Create("Standalone:Seed", seed)]).Build();
}
