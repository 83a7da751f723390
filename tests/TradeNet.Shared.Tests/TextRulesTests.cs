using TradeNet.Shared.Hosting;

namespace TradeNet.Shared.Tests;

public class TextRulesTests
{
    [Theory]
    [InlineData("Roanne")]
    [InlineData("Saint-Étienne")]
    [InlineData("Ville d'Avray 🚲")] // a surrogate pair is one character, not half of one
    [InlineData("قم‌شهر")] // a zero-width non-joiner belongs to Persian spelling
    public void Ordinary_names_in_any_script_are_safe(string text) => Assert.False(TextRules.HasUnsafeCharacters(text));

    [Theory]
    [InlineData("Roanne\nINFO forged")]
    [InlineData("Roanne\u0085")]
    [InlineData("Roanne\u2028INFO forged")]
    [InlineData("Roanne\u2029")]
    [InlineData("Lyon \u202Ennaor")]
    [InlineData("\u2066Roanne\u2069")]
    [InlineData("Roanne\u200F")]
    public void Line_breaks_controls_direction_overrides_and_half_surrogates_are_not(string text) =>
        Assert.True(TextRules.HasUnsafeCharacters(text));

    [Theory]
    [InlineData("van-42187", true)]
    [InlineData(" ", false)]     // a blank id would read as a missing word in the answer
    [InlineData("", false)]
    [InlineData("van\n2", false)]
    public void An_id_is_repeated_in_an_answer_only_when_it_could_be_one(string id, bool quotable) =>
        Assert.Equal(quotable, TextRules.IsQuotableId(id));

    [Fact]
    public void Half_a_surrogate_pair_is_not_text()
    {
        // Built here: test data passing through xunit's serialisation would turn it into U+FFFD.
        Assert.True(TextRules.HasUnsafeCharacters("Roanne" + (char)0xD800));
        Assert.True(TextRules.HasUnsafeCharacters((char)0xDC00 + "Roanne"));
    }

    [Fact]
    public void A_required_line_names_what_is_wrong_with_it()
    {
        Assert.Equal("is required", TextRules.RequiredLineError("", 10));
        Assert.Equal("must be at most 3 characters", TextRules.RequiredLineError("four", 3));
        Assert.Equal("must not contain control characters", TextRules.RequiredLineError("a\u202Eb", 10));
        Assert.Equal("must contain a letter or digit", TextRules.RequiredLineError("\u200B\uFEFF\u00AD\u0301", 10));
        Assert.Null(TextRules.RequiredLineError("the van broke down", 40));
    }
}
