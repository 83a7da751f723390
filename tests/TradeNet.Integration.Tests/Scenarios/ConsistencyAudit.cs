using System.Globalization;
using System.Text.Json;

namespace TradeNet.Integration.Tests.Scenarios;

/// <summary>
/// What catalog, matching and logistics hold about some towns must tell one story once the events between them have
/// been handled. Read through the gateway with the operator's key; each broken rule is one line naming what breaks it.
/// <list type="bullet">
/// <item>catalog: a listing's <c>reserved</c> is what its agreed trades take from it, its <c>fulfilled</c> what its
/// completed trades took (and the delivered legs of trades cancelled after they arrived), and
/// <c>remaining = quantity − reserved − fulfilled ≥ 0</c>;</item>
/// <item>matching's copy of the book: each open listing at catalog's version and remaining quantity;</item>
/// <item>trades: an agreed trade's legs all accepted, a completed trade's all delivered, a proposal's none picked up;</item>
/// <item>logistics: one live shipment (planned, picked up or delivered) per leg of an agreed trade, a delivered one per
/// leg of a completed trade, none planned or on the road for a cancelled one, none at all for a proposal.</item>
/// </list>
/// </summary>
public static class ConsistencyAudit
{
    private const double Epsilon = 1e-6;

    public static async Task<IReadOnlyList<string>> CheckAsync(TradeNetClient ops, IReadOnlyCollection<string> towns)
    {
        var problems = new List<string>();
        var listings = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var trades = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var town in towns)
        {
            foreach (var l in await PagesAsync(ops, $"/api/catalog/listings?town={town}&limit=1000")) listings[Id(l)] = l;
            foreach (var t in await PagesAsync(ops, $"/api/matching/trades?town={town}&limit=1000")) trades[Id(t)] = t;
        }

        // What trades take from each listing, by their status.
        var reserved = new Dictionary<string, double>(StringComparer.Ordinal);
        var fulfilled = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var trade in trades.Values)
        {
            var status = Text(trade, "status");
            foreach (var leg in trade.GetProperty("legs").EnumerateArray())
            {
                var quantity = leg.GetProperty("quantity").GetDouble();
                var into = status switch
                {
                    "agreed" => reserved,
                    "completed" => fulfilled,
                    "cancelled" when leg.GetProperty("delivered").GetBoolean() => fulfilled,
                    _ => null,
                };
                if (into is null) continue;
                foreach (var listing in new[] { Text(leg, "offerId"), Text(leg, "needId") })
                    into[listing] = into.GetValueOrDefault(listing) + quantity;
            }
        }

        foreach (var (id, listing) in listings)
        {
            double quantity = listing.GetProperty("quantity").GetDouble(), r = listing.GetProperty("reserved").GetDouble(),
                f = listing.GetProperty("fulfilled").GetDouble(), remaining = listing.GetProperty("remaining").GetDouble();
            if (!Near(r, reserved.GetValueOrDefault(id)))
                problems.Add(Line($"listing {id}: catalog has {r} reserved, its agreed trades take {reserved.GetValueOrDefault(id)}"));
            if (!Near(f, fulfilled.GetValueOrDefault(id)))
                problems.Add(Line($"listing {id}: catalog has {f} fulfilled, its completed trades took {fulfilled.GetValueOrDefault(id)}"));
            if (!Near(remaining, quantity - r - f) || remaining < -Epsilon)
                problems.Add(Line($"listing {id}: remaining {remaining} is not quantity {quantity} - reserved {r} - fulfilled {f} (or is negative)"));
        }
        foreach (var id in reserved.Keys.Concat(fulfilled.Keys).Where(id => !listings.ContainsKey(id)).Distinct())
            problems.Add($"listing {id}: a trade of these towns uses it, catalog does not list it");

        await CheckBookAsync(ops, listings, problems);
        foreach (var trade in trades.Values) await CheckTradeAsync(ops, trade, problems);
        return problems;
    }

    /// <summary>Matching's copy of each listing still open at catalog: same version, same remaining quantity.</summary>
    private static async Task CheckBookAsync(TradeNetClient ops, Dictionary<string, JsonElement> listings, List<string> problems)
    {
        var book = (await PagesAsync(ops, "/api/matching/book?limit=1000")).ToDictionary(Id, StringComparer.Ordinal);
        foreach (var (id, listing) in listings.Where(l => Text(l.Value, "status") is "active" or "exhausted"))
        {
            if (!book.TryGetValue(id, out var copy))
            {
                problems.Add($"listing {id}: {Text(listing, "status")} at catalog, not in matching's book");
                continue;
            }
            long version = listing.GetProperty("version").GetInt64(), copied = copy.GetProperty("version").GetInt64();
            double remaining = listing.GetProperty("remaining").GetDouble(), copiedRemaining = copy.GetProperty("remaining").GetDouble();
            if (version != copied || !Near(remaining, copiedRemaining))
                problems.Add(Line($"listing {id}: catalog has version {version} remaining {remaining}, matching's copy version {copied} remaining {copiedRemaining}"));
        }
        foreach (var id in listings.Where(l => Text(l.Value, "status") == "withdrawn").Select(l => l.Key).Where(book.ContainsKey))
            problems.Add($"listing {id}: withdrawn at catalog, still in matching's book");
    }

    private static async Task CheckTradeAsync(TradeNetClient ops, JsonElement trade, List<string> problems)
    {
        var id = Id(trade);
        var status = Text(trade, "status");
        var legs = trade.GetProperty("legs").EnumerateArray().ToList();
        if (status == "agreed" && legs.Any(l => Text(l, "response") != "accepted"))
            problems.Add($"trade {id}: agreed with a leg not accepted");
        if (status == "completed" && legs.Any(l => !l.GetProperty("delivered").GetBoolean()))
            problems.Add($"trade {id}: completed with a leg not delivered");
        if (status == "proposed" && legs.Any(l => l.GetProperty("pickedUp").GetBoolean()))
            problems.Add($"trade {id}: proposed with a leg picked up");

        var shipments = await PagesAsync(ops, $"/api/logistics/shipments?trade={id}&limit=1000");
        foreach (var leg in legs)
        {
            var index = leg.GetProperty("index").GetInt32();
            var ofLeg = shipments.Where(s => s.GetProperty("legIndex").GetInt32() == index).Select(s => Text(s, "status")).ToList();
            var live = ofLeg.Count(s => s is "planned" or "pickedUp" or "delivered");
            var what = status switch
            {
                "agreed" when live != 1 => $"{live} live shipments",
                "completed" when !ofLeg.Contains("delivered") || live != 1 => $"{live} live shipments, {(ofLeg.Contains("delivered") ? "one" : "none")} delivered",
                "cancelled" when ofLeg.Any(s => s is "planned" or "pickedUp") => "a shipment still planned or on the road",
                "proposed" when ofLeg.Count > 0 => $"{ofLeg.Count} shipments",
                _ => null,
            };
            if (what is not null) problems.Add($"trade {id} ({status}), leg {index}: {what} ({string.Join(", ", ofLeg)})");
        }
    }

    /// <summary>Every page of a list, following its <c>Link: next</c>.</summary>
    private static async Task<List<JsonElement>> PagesAsync(TradeNetClient ops, string path)
    {
        var all = new List<JsonElement>();
        for (string? next = path; next is not null;)
        {
            using var response = await ops.Send(HttpMethod.Get, next);
            var text = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode) throw new Xunit.Sdk.XunitException($"GET {next}: {(int)response.StatusCode} {text}");
            all.AddRange(JsonDocument.Parse(text).RootElement.EnumerateArray().Select(e => e.Clone()));
            next = response.Headers.TryGetValues("Link", out var links) ? NextOf(links.Single()) : null;
        }
        return all;
    }

    // "</api/...>; rel=\"next\"" → "/api/..."
    private static string? NextOf(string link) =>
        link.Contains("rel=\"next\"", StringComparison.Ordinal) ? link[(link.IndexOf('<') + 1)..link.IndexOf('>')] : null;

    private static string Id(JsonElement e) => Text(e, "id");

    private static string Text(JsonElement e, string property) => e.GetProperty(property).GetString()!;

    private static bool Near(double a, double b) => Math.Abs(a - b) <= Epsilon * Math.Max(1, Math.Abs(b));

    private static string Line(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
