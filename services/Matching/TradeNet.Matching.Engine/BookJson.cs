using System.Text.Json;
using System.Text.Json.Serialization;

namespace TradeNet.Matching.Engine;

/// <summary>The book and result file formats of issue 3 (camelCase JSON, kinds and statuses as lower-case strings).</summary>
public static class BookJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new EnumNames(), new ZonedTimes() },
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
        // Required means given: an empty list is written [], and null is as good as left out.
        if (book.Categories is null) throw new JsonException("categories is null; give a list ([] for none)");
        if (book.Towns is null) throw new JsonException("towns is null; give a list ([] for none)");
        if (book.Listings is null) throw new JsonException("listings is null; give a list ([] for none)");
        return book;
    }

    /// <summary>Fields of a well-formed book that no part of the format has ("min_lot" for "minLot"), as paths such as
    /// <c>listings[3] (L7): min_lot</c>. The reader ignores them; a caller should say so, since a misspelt limit
    /// would otherwise vanish without a word.</summary>
    public static IReadOnlyList<string> UnknownFields(string json)
    {
        var found = new List<string>();
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowDuplicateProperties = true });
        if (document.RootElement.ValueKind != JsonValueKind.Object) return found;
        Check(document.RootElement, Fields<Book>(), "", found);
        foreach (var (list, fields) in new[] { ("categories", Fields<Category>()), ("towns", Fields<Town>()), ("listings", Fields<Listing>()) })
            if (Property(document.RootElement, list) is { ValueKind: JsonValueKind.Array } items)
            {
                var i = 0;
                foreach (var item in items.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.Object)
                    {
                        var id = Property(item, "id") is { ValueKind: JsonValueKind.String } text ? $" ({text.GetString()})" : "";
                        Check(item, fields, $"{list}[{i}]{id}: ", found);
                    }
                    i++;
                }
            }
        if (Property(document.RootElement, "settings") is { ValueKind: JsonValueKind.Object } settings)
            Check(settings, Fields<Settings>(), "settings: ", found);
        return found;
    }

    private static void Check(JsonElement item, HashSet<string> fields, string where, List<string> found)
    {
        foreach (var property in item.EnumerateObject())
            if (!fields.Contains(property.Name)) found.Add(where + property.Name);
    }

    // Matched as the reader matches them: without regard to case.
    private static JsonElement? Property(JsonElement item, string name) =>
        item.EnumerateObject().Where(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).Select(p => (JsonElement?)p.Value).FirstOrDefault();

    private static HashSet<string> Fields<T>() =>
        typeof(T).GetConstructors().OrderByDescending(c => c.GetParameters().Length).First().GetParameters()
            .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name!)).ToHashSet(StringComparer.OrdinalIgnoreCase);

    public static string WriteBook(Book book, bool indented = false) =>
        JsonSerializer.Serialize(book, indented ? new JsonSerializerOptions(Options) { WriteIndented = true } : Options);

    /// <summary>The result file: objective, bound, gap, status, trades and stats.</summary>
    public static string WriteResult(ClearingResult result, bool indented = false) =>
        JsonSerializer.Serialize(result, indented ? new JsonSerializerOptions(Options) { WriteIndented = true } : Options);

    public static ClearingResult ReadResult(string json) =>
        JsonSerializer.Deserialize<ClearingResult>(json, Options) ?? throw new JsonException("empty result");
}
