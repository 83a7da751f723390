using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TradeNet.Shared.Hosting;

/// <summary>Writes numbers in API answers to 12 significant digits: a leg's quantity is a value divided by a price,
/// and the float noise of that (9.999999999999995 kg, 0.30000000000000004 credits) is no quantity a town traded. The
/// stored numbers keep full precision; every check on them allows for that noise. Reads JSON numbers as they are.</summary>
public sealed class DisplayedNumbers : JsonConverter<double>
{
    public const int SignificantDigits = 12;

    public static double Round(double value) =>
        double.IsFinite(value) ? double.Parse(value.ToString("G" + SignificantDigits, CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : value;

    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Number ? reader.GetDouble() : throw new JsonException("A number is expected.");

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options) => writer.WriteNumberValue(Round(value));
}
