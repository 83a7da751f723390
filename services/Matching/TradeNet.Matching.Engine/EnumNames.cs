using System.Text.Json;
using System.Text.Json.Serialization;

namespace TradeNet.Matching.Engine;

/// <summary>
/// Enums (a listing's kind, a result's status) as one camelCase name each, read without regard to case as the fields'
/// names are. The framework's string enum reader also takes a comma-separated list and ORs the values: "offer, need"
/// was read as a need (0 | 1) and " offer" as an offer, where the format knows only "offer" and "need".
/// </summary>
public sealed class EnumNames : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Names<>).MakeGenericType(typeToConvert))!;

    private sealed class Names<T> : JsonConverter<T> where T : struct, Enum
    {
        private static readonly (string Name, T Value)[] All =
            Enum.GetValues<T>().Select(v => (JsonNamingPolicy.CamelCase.ConvertName(v.ToString()), v)).ToArray();

        // A JsonException without a message gets the framework's, which names the field's path and line.
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String) throw new JsonException();
            var text = reader.GetString();
            foreach (var (name, value) in All)
                if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase)) return value;
            throw new JsonException();
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
        {
            foreach (var (name, v) in All)
                if (EqualityComparer<T>.Default.Equals(v, value)) { writer.WriteStringValue(name); return; }
            throw new JsonException($"{typeof(T).Name} {value} has no name");
        }
    }
}
