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
/// <item>logistics: one live shipment (planned, picked up or delivered) per leg of an agreed trade — or none while its
/// transfer waits (pending for a planning run, or held after failures) — a delivered one per leg of a completed trade,
/// at most one delivered and none planned or on the road for a cancelled one, none at all for a proposal;</item>
/// <item>a listing is <c>exhausted</c> exactly when nothing of it is reserved and what remains is nothing or less than its
/// min lot (withdrawn ones aside);</item>
/// <item>every leg in a category counted in pieces carries whole pieces;</item>
/// <item>proposals: none on a withdrawn listing or one whose window ended; none accepted by every town on open listings
/// yet not agreed (the reservation retry settles it); what the ones not yet fully accepted take
/// from a listing within what remains of it; matching's <c>held</c> what its proposals take, and <c>available</c>
/// what remains beyond that (0 once the window ended);</item>
/// <item>transfers: one per leg of an agreed, completed or cancelled trade, none for a proposal; <c>planned</c> exactly
/// when its leg has a shipment planned or on the road, <c>delivered</c> when it has a delivered one, <c>pending</c> or
/// <c>held</c> when it has none; every shipment's quantity its leg's; every transfer of a completed trade delivered, and of a cancelled trade cancelled or
/// delivered; matching's leg delivered exactly when logistics delivered it;</item>
/// <item>places (towns move: docs/catalog.md "Correcting a town"): matching's copy of each active listing at its town's
/// position now; no proposal with a leg between towns now farther apart, as the crow flies, than its need's
/// <c>maxDistanceKm</c>; every direct trip as long as the road between the points its leg was agreed on; and, given
/// <see cref="TownPlaces"/>, each town's view as its last change left it and every agreed leg's points among the
/// positions its towns held.</item>
/// </list>
/// </summary>
public static class ConsistencyAudit
{
    private const double Epsilon = 1e-6;

    public static async Task<IReadOnlyList<string>> CheckAsync(TradeNetClient ops, IReadOnlyCollection<string> towns, TownPlaces? places = null)
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
        CheckStatuses(listings, problems);
        await CheckWholePiecesAsync(ops, trades.Values, problems);
        CheckProposals(listings, trades.Values, problems);

        await CheckBookAsync(ops, listings, Proposed(trades.Values, onlyOpen: false), problems);
        // Every shipment and transfer at once (the network's other scenarios' too, few): a handful of reads a pass rather
        // than two per trade, which would spend the operator's allowance at the gateway in a few passes.
        var shipments = (await PagesAsync(ops, "/api/logistics/shipments?limit=1000")).ToLookup(s => Text(s, "tradeId"));
        var transfers = new List<JsonElement>();
        foreach (var status in new[] { "pending", "planned", "held", "cancelled", "delivered" })
            transfers.AddRange(await PagesAsync(ops, $"/api/logistics/transfers?status={status}&limit=1000"));
        var transfersOf = transfers.ToLookup(t => Text(t, "tradeId"));
        foreach (var trade in trades.Values) CheckTrade(trade, [.. shipments[Id(trade)]], [.. transfersOf[Id(trade)]], problems);
        await AuditPlaces.CheckAsync(ops, towns, listings, trades.Values, shipments, places, problems);
        return problems;
    }

    /// <summary>Exhausted exactly when nothing is reserved and what remains is nothing or less than its min lot (catalog's
    /// <c>Listing.IsSpent</c>): catalog settles a listing's status in every write that changes its quantities or lot, and a
    /// round matches no exhausted listing.</summary>
    private static void CheckStatuses(Dictionary<string, JsonElement> listings, List<string> problems)
    {
        foreach (var (id, listing) in listings)
        {
            var status = Text(listing, "status");
            if (status == "withdrawn") continue;
            double remaining = listing.GetProperty("remaining").GetDouble(), r = listing.GetProperty("reserved").GetDouble(),
                minLot = listing.GetProperty("minLot").GetDouble();
            // The answer's remaining is already rounded as matching's book reads it (DisplayedNumbers): below the lot, no round.
            var spent = Math.Abs(r) <= Epsilon && (Math.Abs(remaining) <= Epsilon || remaining < minLot);
            if (spent != (status == "exhausted"))
                problems.Add(Line($"listing {id}: {status} with {remaining} remaining and {r} reserved"));
        }
    }

    /// <summary>Goods counted in pieces change hands whole: every leg of every trade in such a category.</summary>
    private static async Task CheckWholePiecesAsync(TradeNetClient ops, IEnumerable<JsonElement> trades, List<string> problems)
    {
        var pieces = (await PagesAsync(ops, "/api/catalog/categories")).Where(c => Text(c, "unit") == "piece").Select(Id)
            .ToHashSet(StringComparer.Ordinal);
        foreach (var trade in trades)
            foreach (var leg in trade.GetProperty("legs").EnumerateArray())
            {
                var quantity = leg.GetProperty("quantity").GetDouble();
                if (pieces.Contains(Text(leg, "category")) && Math.Abs(quantity - Math.Round(quantity)) > Epsilon)
                    problems.Add(Line($"trade {Id(trade)} ({Text(trade, "status")}), leg {leg.GetProperty("index").GetInt32()}: {quantity} {Text(leg, "category")}, not whole pieces"));
            }
    }

    /// <summary>What pending proposals take from each listing (the legs of <paramref name="onlyOpen"/>: those not yet
    /// accepted by every town, which wait for catalog's reservation and may not fit a lowered listing).</summary>
    private static Dictionary<string, double> Proposed(IEnumerable<JsonElement> trades, bool onlyOpen)
    {
        var taken = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var trade in trades.Where(t => Text(t, "status") == "proposed"))
        {
            var legs = trade.GetProperty("legs").EnumerateArray().ToList();
            if (onlyOpen && legs.All(l => Text(l, "response") == "accepted")) continue;
            foreach (var leg in legs)
                foreach (var listing in new[] { Text(leg, "offerId"), Text(leg, "needId") })
                    taken[listing] = taken.GetValueOrDefault(listing) + leg.GetProperty("quantity").GetDouble();
        }
        return taken;
    }

    /// <summary>A withdrawal cancels the proposals on the listing, an ended window expires them, and a listing lowered
    /// below what its proposals hold cancels those that no longer fit (matching's README, "A listing lowered in catalog").</summary>
    private static void CheckProposals(Dictionary<string, JsonElement> listings, IEnumerable<JsonElement> trades, List<string> problems)
    {
        foreach (var trade in trades.Where(t => Text(t, "status") == "proposed"))
            foreach (var leg in trade.GetProperty("legs").EnumerateArray())
                foreach (var id in new[] { Text(leg, "offerId"), Text(leg, "needId") })
                    if (listings.TryGetValue(id, out var listing) && Text(listing, "status") is "withdrawn" or "ended")
                        problems.Add($"trade {Id(trade)} (proposed), leg {leg.GetProperty("index").GetInt32()}: listing {id} is {Text(listing, "status")}");
        // Every town accepted, every listing still open: the reservation (retried every Matching:SweepInterval, and
        // idempotent by trade) agrees it or catalog's refusal cancels it. One left so is stranded, e.g. by a lost answer.
        foreach (var trade in trades.Where(t => Text(t, "status") == "proposed"))
        {
            var legs = trade.GetProperty("legs").EnumerateArray().ToList();
            if (legs.All(l => Text(l, "response") == "accepted") && legs.SelectMany(l => new[] { Text(l, "offerId"), Text(l, "needId") })
                    .All(id => listings.TryGetValue(id, out var listing) && Text(listing, "status") == "active"))
                problems.Add($"trade {Id(trade)} (proposed): every town accepted it and its listings are open, yet it is not agreed");
        }
        foreach (var (id, taken) in Proposed(trades, onlyOpen: true))
            if (listings.TryGetValue(id, out var listing) && taken > listing.GetProperty("remaining").GetDouble() + Epsilon)
                problems.Add(Line($"listing {id}: proposals not yet accepted take {taken}, {listing.GetProperty("remaining").GetDouble()} remains"));
    }

    /// <summary>Matching's copy of each listing still open at catalog: same version, same remaining quantity; what it
    /// holds is what the listing's proposals take (an agreed trade holds only until the copy has its reservation).</summary>
    private static async Task CheckBookAsync(TradeNetClient ops, Dictionary<string, JsonElement> listings,
        Dictionary<string, double> proposed, List<string> problems)
    {
        var book = (await PagesAsync(ops, "/api/matching/book?limit=1000")).ToDictionary(Id, StringComparer.Ordinal);
        foreach (var (id, listing) in listings.Where(l => Text(l.Value, "status") is "active" or "exhausted" or "ended"))
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
            double held = copy.GetProperty("held").GetDouble(), available = copy.GetProperty("available").GetDouble();
            if (!Near(held, proposed.GetValueOrDefault(id)))
                problems.Add(Line($"listing {id}: matching's book holds {held}, its proposals take {proposed.GetValueOrDefault(id)}"));
            var expected = Text(listing, "status") == "ended" ? 0 : Math.Max(0, copiedRemaining - held);
            if (!Near(available, expected))
                problems.Add(Line($"listing {id} ({Text(listing, "status")}): matching's book has {available} available, {copiedRemaining} remaining and {held} held"));
        }
        foreach (var id in listings.Where(l => Text(l.Value, "status") == "withdrawn").Select(l => l.Key).Where(book.ContainsKey))
            problems.Add($"listing {id}: withdrawn at catalog, still in matching's book");
    }

    private static void CheckTrade(JsonElement trade, List<JsonElement> shipments, List<JsonElement> transfers, List<string> problems)
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

        if (status == "proposed" && shipments.Count + transfers.Count > 0)
            problems.Add($"trade {id} (proposed): {shipments.Count} shipments, {transfers.Count} transfers");
        if (status == "proposed") return;
        foreach (var leg in legs)
        {
            var index = leg.GetProperty("index").GetInt32();
            // Conservation: what logistics moves for a leg is what the towns agreed, as each reads it.
            double agreed = leg.GetProperty("quantity").GetDouble();
            foreach (var moved in shipments.Where(s => s.GetProperty("legIndex").GetInt32() == index).Select(s => s.GetProperty("quantity")))
                if (moved.ValueKind != JsonValueKind.Number || !Near(moved.GetDouble(), agreed))
                    problems.Add(Line($"trade {id} ({status}), leg {index}: a shipment of {moved.GetRawText()}, the leg agreed {agreed}"));
            var ofLeg = shipments.Where(s => s.GetProperty("legIndex").GetInt32() == index).Select(s => Text(s, "status")).ToList();
            var transfer = transfers.Where(t => t.GetProperty("legIndex").GetInt32() == index).Select(t => Text(t, "status").ToLowerInvariant()).ToList();
            int live = ofLeg.Count(s => s is "planned" or "pickedUp" or "delivered"), moving = ofLeg.Count(s => s is "planned" or "pickedUp"),
                delivered = ofLeg.Count(s => s == "delivered");
            var waiting = transfer is ["pending"] or ["held"];
            var what = status switch
            {
                // A proposal cancelled never reached logistics, nor did an agreement that the cancellation overtook.
                "cancelled" when transfer.Count == 0 && ofLeg.Count == 0 => null,
                _ when transfer.Count != 1 => $"{transfer.Count} transfers",
                "agreed" when live > 1 || (live == 0) != waiting => $"{live} live shipments, transfer {transfer[0]}",
                "completed" when delivered != 1 || live != 1 || transfer[0] != "delivered" => $"{live} live shipments, {delivered} delivered, transfer {transfer[0]}",
                "cancelled" when moving > 0 || delivered > 1 || transfer[0] != (delivered == 1 ? "delivered" : "cancelled") =>
                    $"{moving} shipments planned or on the road, {delivered} delivered, transfer {transfer[0]}",
                _ when moving == 1 && transfer[0] != "planned" => $"a shipment planned or on the road, transfer {transfer[0]}",
                _ when (delivered == 1) != (transfer[0] == "delivered") => $"{delivered} delivered shipments, transfer {transfer[0]}",
                _ when (delivered == 1) != leg.GetProperty("delivered").GetBoolean() =>
                    $"{delivered} delivered shipments, matching's leg {(leg.GetProperty("delivered").GetBoolean() ? "" : "not ")}delivered",
                _ => null,
            };
            if (what is not null)
                problems.Add($"trade {id} ({status}), leg {index}: {what} (shipments: {string.Join(", ", ofLeg)})");
        }
    }

    /// <summary>Every page of a list, following its <c>Link: next</c>.</summary>
    internal static async Task<List<JsonElement>> PagesAsync(TradeNetClient ops, string path)
    {
        var all = new List<JsonElement>();
        var limited = 0;
        for (string? next = path; next is not null;)
        {
            using var response = await ops.Send(HttpMethod.Get, next);
            var text = await response.Content.ReadAsStringAsync();
            // The operator's allowance at the gateway is shared with the actors: wait as a polite client does.
            if (response.StatusCode == System.Net.HttpStatusCode.TooManyRequests && ++limited <= 10)
            {
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(10));
                continue;
            }
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

    /// <summary>Within 1e-6 (catalog's <c>Listing.Epsilon</c>), and a trillionth of the number for the sums of doubles. It was a
    /// millionth of the number, which let a listing of 10⁹ kg lose 1,000 kg unseen; answers write every quantity to at least
    /// 7 decimals (<c>DisplayedNumbers</c>), so what a town reads of a sum of legs is within this.</summary>
    private static bool Near(double a, double b) => Math.Abs(a - b) <= Epsilon + 1e-12 * Math.Abs(b);

    private static string Line(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
