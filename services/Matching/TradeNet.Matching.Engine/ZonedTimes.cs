using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TradeNet.Matching.Engine;

/// <summary>A time in a book without an offset ("2026-01-10T12:00:00") is UTC, as if it ended in Z: the framework would
/// read it in the zone of whichever machine solves the book, and the same book would clear differently in Paris and in
/// UTC. Times with an offset ("+01:00", "Z") are read as written.</summary>
public sealed class ZonedTimes : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String) throw new JsonException("a time must be a string such as \"2026-01-10T12:00:00Z\"");
        var text = reader.GetString()!;
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            throw new JsonException($"'{Shown(text)}' is not a time such as \"2026-01-10T12:00:00Z\"");
        return parsed.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(parsed, TimeSpan.Zero) : time;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    // The caller's text, short and printable, for a one-line message.
    private static string Shown(string text) =>
        new(text.Take(40).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
