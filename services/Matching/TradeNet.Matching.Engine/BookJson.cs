using System.Text.Json;
using System.Text.Json.Serialization;

namespace TradeNet.Matching.Engine;

/// <summary>The book and result file formats of issue 3 (camelCase JSON, kinds and statuses as lower-case strings).</summary>
public static class BookJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.Strict,
        // A field without a default (a listing's kind, a town's lat/lon, …) must be present, not silently 0.
        RespectRequiredConstructorParameters = true,
        // A quantity given twice is a mistake (or a trick), not "the last one wins".
        AllowDuplicateProperties = false,
        WriteIndented = false,
    };

    /// <summary>Parses a book; throws <see cref="JsonException"/> on malformed JSON or a missing required field.</summary>
    public static Book ReadBook(string json)
    {
        var book = JsonSerializer.Deserialize<Book>(json, Options) ?? throw new JsonException("empty book");
        // Null arrays become empty so the validator, not a null reference, reports what is wrong.
        return book with
        {
            Categories = book.Categories ?? [],
            Towns = book.Towns ?? [],
            Listings = book.Listings ?? [],
        };
    }

    public static string WriteBook(Book book, bool indented = false) =>
        JsonSerializer.Serialize(book, indented ? new JsonSerializerOptions(Options) { WriteIndented = true } : Options);

    /// <summary>The result file: objective, bound, gap, status, trades and stats.</summary>
    public static string WriteResult(ClearingResult result, bool indented = false) =>
        JsonSerializer.Serialize(result, indented ? new JsonSerializerOptions(Options) { WriteIndented = true } : Options);

    public static ClearingResult ReadResult(string json) =>
        JsonSerializer.Deserialize<ClearingResult>(json, Options) ?? throw new JsonException("empty result");
}
