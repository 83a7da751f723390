using TradeNet.Logistics.Domain;

namespace TradeNet.Logistics.Tests.Domain;

public class HandoverCodesTests
{
    private static HandoverCodes With(byte seed) => new(_ => Task.FromResult(Enumerable.Repeat(seed, 32).ToArray()));

    private static readonly HandoverCodes Codes = With(7);

    [Fact]
    public async Task A_code_is_eight_unambiguous_characters_in_two_groups_the_same_for_a_shipment_every_time()
    {
        var shipment = Guid.NewGuid();

        var code = await Codes.ForAsync(shipment, default);

        Assert.Matches("^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$", code);
        Assert.Equal(code, await Codes.ForAsync(shipment, default));
        Assert.Equal(code, await With(7).ForAsync(shipment, default));
    }

    [Fact]
    public async Task Codes_differ_between_shipments_and_between_secrets()
    {
        var shipments = Enumerable.Range(0, 2000).Select(_ => Guid.NewGuid()).ToList();

        var codes = await Task.WhenAll(shipments.Select(s => Codes.ForAsync(s, default)));

        Assert.Equal(2000, codes.Distinct().Count());
        Assert.NotEqual(codes[0], await With(8).ForAsync(shipments[0], default));
    }

    [Theory]
    [InlineData("ab12-cd34", "AB12CD34")]
    [InlineData(" AB12 CD34 ", "AB12CD34")]
    [InlineData("oOiIlL01", "00111101")]
    // Pasted or typed on a phone: a tab or a line break around it, a no-break space, an en dash or a minus for the dash.
    [InlineData("\tAB12-CD34\r\n", "AB12CD34")]
    [InlineData("AB12\u00A0CD34", "AB12CD34")]
    [InlineData("AB12\u2013CD34", "AB12CD34")]
    [InlineData("AB12\u2212CD34", "AB12CD34")]
    [InlineData("AB12_CD34", null)]
    [InlineData("AB12.CD34", null)]
    [InlineData("AB12-CD3", null)]
    [InlineData("AB12-CD345", null)]
    [InlineData("AB12-CD3U", null)]
    [InlineData("", null)]
    public void A_typed_code_is_read_without_regard_to_case_dashes_spaces_or_look_alike_letters(string typed, string? normal) =>
        Assert.Equal(normal, HandoverCodes.Normalize(typed));

    [Fact]
    public async Task Any_of_several_given_codes_may_match_and_none_of_another_shipments_does()
    {
        var shipment = Guid.NewGuid();
        var other = await Codes.ForAsync(Guid.NewGuid(), default);
        var own = await Codes.ForAsync(shipment, default);

        Assert.True(await Codes.MatchesAsync(shipment, [other, own.ToLowerInvariant()], default));
        Assert.False(await Codes.MatchesAsync(shipment, [other, "not a code"], default));
        Assert.False(await Codes.MatchesAsync(shipment, [], default));
    }

    [Fact]
    public async Task A_wrong_codes_tag_is_the_same_however_the_code_was_typed_and_differs_by_shipment_and_secret_and_is_not_the_code()
    {
        var (shipment, other) = (Guid.NewGuid(), Guid.NewGuid());
        var tag = await Codes.WrongCodeTagAsync(shipment, "ab12-cd34", default);

        Assert.Equal(tag, await Codes.WrongCodeTagAsync(shipment, " AB12CD34 ", default));
        await Assert.ThrowsAsync<ArgumentException>(() => Codes.WrongCodeTagAsync(shipment, "AB12-CD3", default));
        Assert.NotEqual(tag, await Codes.WrongCodeTagAsync(shipment, "AB12CD35", default));
        Assert.NotEqual(tag, await Codes.WrongCodeTagAsync(other, "AB12CD34", default));
        Assert.NotEqual(tag, await With(8).WrongCodeTagAsync(shipment, "AB12CD34", default));
        Assert.DoesNotContain("AB12CD34", tag);
        Assert.Matches("^[0-9A-F]{32}$", tag);
    }
}
