using Microsoft.Extensions.Options;
using TradeNet.Logistics.Domain;
using TradeNet.Shared.Auth;

namespace TradeNet.Logistics.Tests.Domain;

public class HandoverCodesTests
{
    private static HandoverCodes With(string key) => new(Options.Create(new InternalTokenOptions { InternalTokenKey = key }));

    private static readonly HandoverCodes Codes = With(new string('k', 40));

    [Fact]
    public void A_code_is_eight_unambiguous_characters_in_two_groups_the_same_for_a_shipment_every_time()
    {
        var shipment = Guid.NewGuid();

        var code = Codes.For(shipment);

        Assert.Matches("^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$", code);
        Assert.Equal(code, Codes.For(shipment));
        Assert.Equal(code, With(new string('k', 40)).For(shipment));
    }

    [Fact]
    public void Codes_differ_between_shipments_and_between_secrets()
    {
        var shipments = Enumerable.Range(0, 2000).Select(_ => Guid.NewGuid()).ToList();

        Assert.Equal(2000, shipments.Select(Codes.For).Distinct().Count());
        Assert.NotEqual(Codes.For(shipments[0]), With(new string('j', 40)).For(shipments[0]));
    }

    [Theory]
    [InlineData("ab12-cd34", "AB12CD34")]
    [InlineData(" AB12 CD34 ", "AB12CD34")]
    [InlineData("oOiIlL01", "00111101")]
    [InlineData("AB12-CD3", null)]
    [InlineData("AB12-CD345", null)]
    [InlineData("AB12-CD3U", null)]
    [InlineData("", null)]
    public void A_typed_code_is_read_without_regard_to_case_dashes_spaces_or_look_alike_letters(string typed, string? normal) =>
        Assert.Equal(normal, HandoverCodes.Normalize(typed));

    [Fact]
    public void Any_of_several_given_codes_may_match_and_none_of_another_shipments_does()
    {
        var shipment = Guid.NewGuid();
        var other = Guid.NewGuid();

        Assert.True(Codes.Matches(shipment, [Codes.For(other), Codes.For(shipment).ToLowerInvariant()]));
        Assert.False(Codes.Matches(shipment, [Codes.For(other), "not a code"]));
        Assert.False(Codes.Matches(shipment, []));
    }
}
