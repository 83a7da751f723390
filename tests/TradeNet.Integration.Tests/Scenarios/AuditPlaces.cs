using System.Globalization;
using System.Net;
using System.Text.Json;
using TradeNet.Shared.Hosting;

namespace TradeNet.Integration.Tests.Scenarios;

/// <summary>The <see cref="ConsistencyAudit"/>'s rules on where things are, for towns that move (docs/catalog.md,
/// "Correcting a town"): a move re-announces the town's open listings, re-checks its proposals' distance limits, and
/// leaves agreed trades on the points they were agreed on.</summary>
internal static class AuditPlaces
{
    private const double Epsilon = 1e-6;

    public static async Task CheckAsync(TradeNetClient ops, IReadOnlyCollection<string> towns, Dictionary<string, JsonElement> listings,
        IEnumerable<JsonElement> trades, ILookup<string, JsonElement> shipments, TownPlaces? places, List<string> problems)
    {
        var at = new Dictionary<string, (double Lat, double Lon)>(StringComparer.Ordinal);
        foreach (var town in towns)
        {
            using var response = await ops.Send(HttpMethod.Get, $"/api/catalog/towns/{town}");
            if (response.StatusCode != HttpStatusCode.OK) continue;
            var view = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            at[town] = (view.GetProperty("lat").GetDouble(), view.GetProperty("lon").GetDouble());
        }

        // Only active listings: a move re-announces the open ones; an exhausted or ended copy may keep where it was.
        var book = (await ConsistencyAudit.PagesAsync(ops, "/api/matching/book?limit=1000")).ToDictionary(e => Text(e, "id"), StringComparer.Ordinal);
        foreach (var (id, listing) in listings.Where(l => Text(l.Value, "status") == "active"))
            if (book.TryGetValue(id, out var copy) && at.TryGetValue(Text(listing, "townId"), out var town)
                && !Same((copy.GetProperty("townLat").GetDouble(), copy.GetProperty("townLon").GetDouble()), town))
                problems.Add(Line($"listing {id}: matching's book has it at ({copy.GetProperty("townLat").GetDouble()}, {copy.GetProperty("townLon").GetDouble()}), its town {Text(listing, "townId")} is at {town}"));

        foreach (var trade in trades)
        {
            var status = Text(trade, "status");
            foreach (var leg in trade.GetProperty("legs").EnumerateArray())
            {
                var index = leg.GetProperty("index").GetInt32();
                var (from, to) = (Point(leg, "from"), Point(leg, "to"));
                if (status == "proposed")
                {
                    // Road km is at least the crow's: a proposal farther apart than that breaks the need's limit.
                    if (at.TryGetValue(Text(leg, "fromTown"), out var a) && at.TryGetValue(Text(leg, "toTown"), out var b)
                        && listings.TryGetValue(Text(leg, "needId"), out var need)
                        && need.TryGetProperty("maxDistanceKm", out var max) && max.ValueKind == JsonValueKind.Number
                        && Geo.HaversineKm(a.Lat, a.Lon, b.Lat, b.Lon) > max.GetDouble() + Epsilon)
                        problems.Add(Line($"trade {Text(trade, "id")} (proposed), leg {index}: its towns are now {Geo.HaversineKm(a.Lat, a.Lon, b.Lat, b.Lon):F0} km apart, its need allows {max.GetDouble()}"));
                    continue;
                }
                if (places is not null && index == 0 && places.AgreedBeforeAMove.TryGetValue(Text(trade, "id"), out var then)
                    && TownPlaces.Points(trade) != then)
                    problems.Add($"trade {Text(trade, "id")} ({status}): agreed with legs {then} before a town moved, now {TownPlaces.Points(trade)}");
                if (places is not null)
                    foreach (var (end, town, point) in new[] { ("from", Text(leg, "fromTown"), from), ("to", Text(leg, "toTown"), to) })
                        if (places.Places.ContainsKey(town) && !places.PositionsOf(town).Any(p => Same(p, point)))
                            problems.Add(Line($"trade {Text(trade, "id")} ({status}), leg {index}: its {end} point {point} was never where town {town} was"));
                // A direct trip drives between the leg's own points, wherever its towns are now.
                foreach (var shipment in shipments[Text(trade, "id")].Where(s => s.GetProperty("legIndex").GetInt32() == index
                             && Text(s, "vehicleId") == $"direct-{Text(s, "fromTown")}"))
                {
                    double km = shipment.GetProperty("distanceKm").GetDouble(), road = Geo.RoadKm(from.Lat, from.Lon, to.Lat, to.Lon);
                    if (Math.Abs(km - road) > 0.01 + 1e-6 * road)
                        problems.Add(Line($"trade {Text(trade, "id")} ({status}), leg {index}: direct shipment {Text(shipment, "id")} drives {km} km, the road between the leg's points is {road:F3} km"));
                }
            }
        }
        if (places is not null) await places.CheckViewsAsync(ops, problems);
    }

    /// <summary>Answers show numbers to 12 significant digits (<c>DisplayedNumbers</c>): well under a millimetre here.</summary>
    public static bool Same((double Lat, double Lon) a, (double Lat, double Lon) b) =>
        Math.Abs(a.Lat - b.Lat) < 1e-7 && Math.Abs(a.Lon - b.Lon) < 1e-7;

    private static (double Lat, double Lon) Point(JsonElement leg, string name)
    {
        var p = leg.GetProperty(name);
        return (p.GetProperty("lat").GetDouble(), p.GetProperty("lon").GetDouble());
    }

    private static string Text(JsonElement e, string property) => e.GetProperty(property).GetString()!;

    private static string Line(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
