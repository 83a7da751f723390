using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TradeNet.Shared.Hosting;

/// <summary>A time in a request carries its offset ("2027-07-01T10:00:00Z", "+02:00"): without one the framework reads
/// it in the zone of whichever server takes the request, so the same listing would open at another instant on another
/// pod. Answers are written as before. (The offline book reader has the same rule, in the pure engine.)</summary>
public sealed class ZonedTimes : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String) throw new FieldMessageException("must be a time such as \"2027-07-01T10:00:00Z\"");
        var text = reader.GetString()!;
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            throw new FieldMessageException("must be a time such as \"2027-07-01T10:00:00Z\"");
        if (parsed.Kind == DateTimeKind.Unspecified)
            throw new FieldMessageException("has no time zone: add Z (UTC) or an offset such as +02:00");
        return time;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

/// <summary>A converter's own words for what is wrong with a field's value; the problem names the field before them.</summary>
public sealed class FieldMessageException(string message) : JsonException(message);
