using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TradeNet.Integration.Tests.Scenarios;

/// <summary>
/// What an older release answered (a fixture's answers.json) against what today's answers on the same files: every
/// field the old answer has must still be there with the same value. New fields may appear; lists are matched by their
/// items' ids (or a route stop's sequence), so order may change but no item may vanish or appear. Numbers agree to the
/// 12 significant digits answers carry, timestamps as instants. An <see cref="Allowance"/> names a difference the docs
/// announce, for the releases it applies to.
/// </summary>
public static class ReleaseAnswers
{
    /// <summary>A documented difference: at a place whose path matches, the old value may read as the new one.</summary>
    public sealed record Allowance(string PathContains, string Field, string Was, string Now, string Why);

    /// <summary>docs/operations.md, Upgrading, "Legs settled at start": a release without the transfer status
    /// <c>delivered</c> (before 5 Dec) answered a delivered leg's transfer as planned.</summary>
    public static IReadOnlyList<Allowance> BeforeDeliveredTransfers { get; } =
    [
        new("/api/logistics/transfers", "status", "planned", "delivered", "a delivered leg read planned before 5 Dec"),
        new("/api/logistics/trades/", "status", "planned", "delivered", "a delivered leg read planned before 5 Dec"),
    ];

    /// <summary>docs/catalog.md, "Numbers", and docs/operations.md, Upgrading: a listing an older release left active or
    /// ended although spent (less than its min lot left, nothing reserved) is settled at start — exhausted, its version
    /// one more, in matching's copy too. The old answers as today's release announces them.</summary>
    public static IReadOnlyDictionary<string, JsonElement> WithSpentListingsSettled(IReadOnlyDictionary<string, JsonElement> old)
    {
        var spent = old.Where(p => p.Key.StartsWith(CatalogListings, StringComparison.Ordinal) && p.Value.ValueKind == JsonValueKind.Array)
            .SelectMany(p => p.Value.EnumerateArray()).Where(IsSpent).Select(l => l.GetProperty("id").GetString()!)
            .ToHashSet(StringComparer.Ordinal);
        if (spent.Count == 0) return old;
        return old.ToDictionary(p => p.Key, p =>
        {
            var answer = JsonNode.Parse(p.Value.GetRawText());
            foreach (var item in (answer as JsonArray ?? []).OfType<JsonObject>())
            {
                if (item["id"]?.GetValue<string>() is not { } id || !spent.Contains(id)) continue;
                if (item["version"] is { } version) item["version"] = version.GetValue<long>() + 1;
                if (p.Key.StartsWith(CatalogListings, StringComparison.Ordinal)) item["status"] = "exhausted";
            }
            return JsonSerializer.SerializeToElement(answer);
        }, StringComparer.Ordinal);
    }

    private const string CatalogListings = "/api/catalog/listings";

    private static bool IsSpent(JsonElement listing) =>
        listing.GetProperty("status").GetString() is "active" or "ended" && listing.GetProperty("reserved").GetDouble() <= 1e-6 &&
        listing.GetProperty("remaining").GetDouble() is var remaining && (remaining <= 1e-6 || remaining < listing.GetProperty("minLot").GetDouble());

    public static IEnumerable<string> Differences(string path, JsonElement was, JsonElement now, IReadOnlyList<Allowance> allowed) =>
        new Comparison(allowed).Compare(path, was, now);

    private sealed class Comparison(IReadOnlyList<Allowance> Allowed)
    {
        public IEnumerable<string> Compare(string at, JsonElement was, JsonElement now)
        {
            switch (was.ValueKind)
            {
                case JsonValueKind.Object when now.ValueKind == JsonValueKind.Object:
                    foreach (var property in was.EnumerateObject())
                    {
                        if (!now.TryGetProperty(property.Name, out var value))
                            yield return $"{at}.{property.Name}: was {property.Value.GetRawText()}, now missing";
                        else if (!(AllowedChange(at, property.Name, property.Value, value)))
                            foreach (var difference in Compare($"{at}.{property.Name}", property.Value, value)) yield return difference;
                    }
                    break;
                case JsonValueKind.Array when now.ValueKind == JsonValueKind.Array:
                    foreach (var difference in CompareItems(at, [.. was.EnumerateArray()], [.. now.EnumerateArray()])) yield return difference;
                    break;
                case JsonValueKind.Number when now.ValueKind == JsonValueKind.Number:
                    double a = was.GetDouble(), b = now.GetDouble();
                    if (Math.Abs(a - b) > 1e-11 * Math.Max(1, Math.Abs(a))) yield return $"{at}: was {a.ToString(CultureInfo.InvariantCulture)}, now {b.ToString(CultureInfo.InvariantCulture)}";
                    break;
                case JsonValueKind.String when now.ValueKind == JsonValueKind.String:
                    string s = was.GetString()!, t = now.GetString()!;
                    if (s != t && !(Instant(s) is { } i && Instant(t) is { } j && i == j)) yield return $"{at}: was \"{s}\", now \"{t}\"";
                    break;
                default:
                    if (was.ValueKind != now.ValueKind || (was.ValueKind is not (JsonValueKind.Null or JsonValueKind.True or JsonValueKind.False)))
                        yield return $"{at}: was {was.GetRawText()}, now {now.GetRawText()}";
                    break;
            }
        }

        private IEnumerable<string> CompareItems(string at, List<JsonElement> was, List<JsonElement> now)
        {
            if (was.Count > 0 && Key(was[0]) is not null)
            {
                var current = now.Where(n => Key(n) is not null).ToDictionary(n => Key(n)!, StringComparer.Ordinal);
                foreach (var item in was)
                {
                    var key = Key(item)!;
                    if (!current.Remove(key, out var match)) yield return $"{at}[{key}]: vanished";
                    else foreach (var difference in Compare($"{at}[{key}]", item, match)) yield return difference;
                }
                foreach (var extra in current.Keys) yield return $"{at}[{extra}]: appeared";
                yield break;
            }
            if (was.Count != now.Count) yield return $"{at}: was {was.Count} items, now {now.Count}";
            for (var i = 0; i < Math.Min(was.Count, now.Count); i++)
                foreach (var difference in Compare($"{at}[{i}]", was[i], now[i])) yield return difference;
        }

        /// <summary>What names an item of a list: its id, a route's goods by shipment, a stop by its sequence.</summary>
        private static string? Key(JsonElement item) =>
            item.ValueKind != JsonValueKind.Object ? null
            : item.TryGetProperty("id", out var id) ? id.ToString()
            : item.TryGetProperty("shipmentId", out var shipment) ? shipment.ToString()
            : item.TryGetProperty("sequence", out var sequence) ? sequence.ToString()
            : null;

        private bool AllowedChange(string at, string field, JsonElement was, JsonElement now) =>
            was.ValueKind == JsonValueKind.String && now.ValueKind == JsonValueKind.String &&
            Allowed.Any(a => at.Contains(a.PathContains, StringComparison.Ordinal) && a.Field == field && a.Was == was.GetString() && a.Now == now.GetString());
    }

    private static DateTimeOffset? Instant(string text) =>
        text.Length >= 20 && text[10] == 'T' && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at : null;
}
