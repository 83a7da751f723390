using System.Text.Json;
using System.Text.Json.Serialization;

namespace TradeNet.Shared.Hosting;

/// <summary>Writes numbers in API answers to 12 significant digits, never coarser than 7 decimals: a leg's quantity is
/// a value divided by a price, and the float noise of that (9.999999999999995 kg, 0.30000000000000004 credits) is no
/// quantity a town traded. The stored numbers keep full precision; the checks on them allow 1e-6 (catalog's
/// <c>Listing.Epsilon</c>), more than this rounding moves a number, so one read from an answer and sent back passes
/// them. Reads JSON numbers as they are.</summary>
public sealed class DisplayedNumbers : JsonConverter<double>
{
    public const int SignificantDigits = 12;
    public const int MinDecimals = 7;

    public static double Round(double value)
    {
        if (!double.IsFinite(value) || value == 0) return value;
        var integerDigits = (int)Math.Floor(Math.Log10(Math.Abs(value))) + 1; // 0 or less below 1
        return Math.Round(value, Math.Clamp(SignificantDigits - integerDigits, MinDecimals, 15), MidpointRounding.AwayFromZero);
    }

    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Number ? reader.GetDouble() : throw new JsonException("A number is expected.");

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options) => writer.WriteNumberValue(Round(value));
}
