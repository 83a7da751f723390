using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TradeNet.Integration.Tests.Scenarios;

/// <summary>
/// A small live network for <see cref="BadInputHunt"/>, so that every route with an id has a real target: towns A and B
/// trading (an agreed trade shipped by the towns themselves, another agreed after A registered a van and planned onto a
/// route, a proposal left open, one rejected), town C with a listing of its own (another town's ids), a listing of A
/// nobody matches (safe to change) and one withdrawn.
/// </summary>
public sealed class BadInputWorld
{
    public required TradeFlow Flow { get; init; }
    public required TradeFlow.Town A { get; init; }
    public required TradeFlow.Town B { get; init; }
    public required TradeFlow.Town C { get; init; }
    public required string SpareCategory { get; init; }
    /// <summary>Live targets by entity (the path segment before the id: towns, listings, trades, …), A's where it has one.</summary>
    public required IReadOnlyDictionary<string, string> Live { get; init; }
    /// <summary>Another town's (C's or B's) thing of the same kind, where A cannot act on it.</summary>
    public required IReadOnlyDictionary<string, string> Others { get; init; }
    /// <summary>Things that ended: a withdrawn listing, a cancelled trade, a cancelled shipment, a withdrawn vehicle.</summary>
    public required IReadOnlyDictionary<string, string> Ended { get; init; }
    public required IReadOnlyList<string> Towns { get; init; }
    public required IReadOnlyList<string> Routes { get; init; }

    public static async Task<BadInputWorld> BuildAsync(Uri gateway, string operatorKey)
    {
        var flow = new TradeFlow(gateway, operatorKey);
        var a = await flow.RegisterTown("Roanne", "42187", 46.0443, 4.07974, "cheese");
        var b = await flow.RegisterTown("Riorges", "42184", 46.0431, 4.0413, "vegetables");
        var c = await flow.RegisterTown("Mably", "42127", 46.0645, 4.0615, "wood");
        using var ops = flow.Operator();

        // Shipped by the towns themselves: no vehicle is registered yet.
        var shipped = await AgreeSwap(flow, a, b, 0);
        var shipments = await TradeFlow.Shipments(a, shipped, 2);

        // A's van, then a trade planned onto a route by an operator's planning run.
        var van = await a.Client.Post("/api/logistics/vehicles", new
        {
            name = "Bad input van", homeLat = 46.0443, homeLon = 4.07974, capacityKg = 2000, costPerKm = 0.5, fixedCost = 10,
        }, HttpStatusCode.Created);
        var routed = await AgreeSwap(flow, a, b, 2);
        var routeIds = new List<string>();
        // 404 until logistics has heard of the agreement.
        var transfers = await Testing.Eventually.Until(async () =>
        {
            using var response = await a.Client.Send(HttpMethod.Get, $"/api/logistics/trades/{routed}/transfers");
            return response.IsSuccessStatusCode ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone() : default;
        }, t => t.ValueKind == JsonValueKind.Array && t.GetArrayLength() == 2, TimeSpan.FromSeconds(60), $"two transfers of {routed}");
        var planned = await ops.Post("/api/logistics/plans", null, HttpStatusCode.OK);
        routeIds.AddRange(planned.GetProperty("routes").EnumerateArray().Select(r => r.GetString()!));

        // Left open: a proposal A has not answered.
        var (open, _) = await ProposeSwap(flow, a, b, 3);

        // Rejected by B, its listings then withdrawn, so no later round proposes them again: a cancelled trade.
        var (rejected, listings) = await ProposeSwap(flow, a, b, 1);
        await b.Client.Post($"/api/matching/trades/{rejected}/reject", null, HttpStatusCode.OK);
        await TradeFlow.TradeStatus(a, rejected, "cancelled");
        foreach (var (town, listing) in listings)
            await town.Client.Send(HttpMethod.Delete, $"/api/catalog/listings/{listing}");

        // A good no scenario trades (the last of the list ProposeSwap picks pairs from): nobody matches it.
        var spare = (await Goods(a)).Last().Id;
        var spareListing = await TradeFlow.Publish(a, "offer", spare, 40, 5);
        var withdrawn = await TradeFlow.Publish(a, "offer", spare, 10, 5);
        await a.Client.Send(HttpMethod.Delete, $"/api/catalog/listings/{Id(withdrawn)}");
        var cListing = await TradeFlow.Publish(c, "offer", spare, 15, 5);
        var oldVan = await a.Client.Post("/api/logistics/vehicles", new { homeLat = 46.0443, homeLon = 4.07974, capacityKg = 100, costPerKm = 1 },
            HttpStatusCode.Created);
        await a.Client.Send(HttpMethod.Delete, $"/api/logistics/vehicles/{Id(oldVan)}");
        var cVan = await c.Client.Post("/api/logistics/vehicles", new { homeLat = 46.0645, homeLon = 4.0615, capacityKg = 100, costPerKm = 1 },
            HttpStatusCode.Created);
        var round = (await ops.Get("/api/matching/rounds?limit=1")).EnumerateArray().First();

        return new BadInputWorld
        {
            Flow = flow, A = a, B = b, C = c, SpareCategory = spare,
            Towns = [a.Id, b.Id, c.Id],
            Routes = routeIds,
            Live = new Dictionary<string, string>
            {
                ["towns"] = a.Id, ["listings"] = Id(spareListing), ["trades"] = open, ["rounds"] = Id(round),
                ["shipments"] = Id(shipments[0]), ["vehicles"] = Id(van), ["routes"] = routeIds.FirstOrDefault() ?? Guid.NewGuid().ToString(),
                ["transfers"] = Id(transfers.EnumerateArray().First()), ["agreed"] = shipped, ["index"] = "0", ["sequence"] = "1",
            },
            Others = new Dictionary<string, string>
            {
                ["towns"] = c.Id, ["listings"] = Id(cListing), ["vehicles"] = Id(cVan),
            },
            Ended = new Dictionary<string, string>
            {
                ["listings"] = Id(withdrawn), ["trades"] = rejected, ["vehicles"] = Id(oldVan),
            },
        };
    }

    /// <summary>A valid body for a request schema the world knows, with every field it takes (values A's things
    /// already have where the route changes them); null for a schema added since, which the hunt builds from its types.</summary>
    public JsonObject? Template(string schema) => schema switch
    {
        "RegisterTownRequest" => new() { ["name"] = "Le Coteau", ["lat"] = 46.0192, ["lon"] = 4.0925, ["specialties"] = new JsonArray("wine") },
        "ChangeTownRequest" => new() { ["name"] = "Roanne", ["lat"] = 46.0443, ["lon"] = 4.07974, ["specialties"] = new JsonArray("cheese"), ["id"] = A.Id },
        "PublishListingRequest" => new()
        {
            ["kind"] = "offer", ["category"] = SpareCategory, ["quantity"] = 5, ["minLot"] = 1, ["attributes"] = new JsonArray(),
            ["requires"] = new JsonArray(), ["availableFrom"] = DateTimeOffset.UtcNow.AddDays(1).ToString("O"),
            ["availableUntil"] = DateTimeOffset.UtcNow.AddDays(30).ToString("O"), ["maxDistanceKm"] = null, ["townId"] = A.Id,
        },
        "ChangeListingRequest" => new()
        {
            ["quantity"] = 40, ["minLot"] = 5, ["attributes"] = new JsonArray(), ["requires"] = new JsonArray(), ["kind"] = "offer",
            ["category"] = SpareCategory, ["townId"] = A.Id,
        },
        "SuspendTownRequest" or "CancelTradeRequest" => new() { ["reason"] = "bad input hunt" },
        "FailureReport" => new() { ["reason"] = "flat tyre" },
        "DeliveryReport" => new() { ["handoverCode"] = "123456" },
        "StopDoneReport" => new() { ["handoverCodes"] = new JsonArray("123456") },
        "VehicleRequest" => new()
        {
            ["name"] = "Bad input van", ["homeTown"] = A.Id, ["homeLat"] = 46.0443, ["homeLon"] = 4.07974, ["capacityKg"] = 2000,
            ["costPerKm"] = 0.5, ["volumeM3"] = 12, ["chilled"] = false, ["fixedCost"] = 10, ["maxRouteHours"] = 9,
            ["workingHours"] = new JsonObject { ["start"] = "08:00", ["end"] = "17:00", ["timeZone"] = "Europe/Paris" },
        },
        _ => null,
    };

    /// <summary>Fields a request takes and does not read: a town's view sent back whole to change the town carries its
    /// suspension's time and reason, which catalog ignores (<c>ChangeTownRequest</c>).</summary>
    public bool NotRead(string? schema, string field) =>
        schema == "ChangeTownRequest" && field is "suspendedAt" or "suspensionReason";

    /// <summary>A value a caller gives a required query parameter (the status of <c>GET /api/logistics/transfers</c>).</summary>
    public string QueryValue(string parameter) => parameter == "status" ? "planned" : "x";

    private static async Task<string> AgreeSwap(TradeFlow flow, TradeFlow.Town a, TradeFlow.Town b, int scenario)
    {
        var (trade, _) = await ProposeSwap(flow, a, b, scenario);
        await a.Client.Post($"/api/matching/trades/{trade}/accept", null, HttpStatusCode.OK);
        await b.Client.Post($"/api/matching/trades/{trade}/accept", null, HttpStatusCode.OK);
        await TradeFlow.TradeStatus(a, trade, "agreed");
        return trade;
    }

    /// <summary>A swap in two goods of the scenario's own (non-perishable, by the kilo), proposed by a round and not
    /// answered yet: the trade's id and the listings it uses with their towns. The quantities are of equal value, so the
    /// trade takes all of them and nothing is left over for a later round to pair with another scenario's goods.</summary>
    private static async Task<(string Trade, List<(TradeFlow.Town Town, string Listing)> Listings)> ProposeSwap(
        TradeFlow flow, TradeFlow.Town a, TradeFlow.Town b, int scenario)
    {
        var goods = await Goods(a);
        var (offered, wanted) = (goods[2 * scenario], goods[2 * scenario + 1]);
        double offeredQuantity = Math.Round(wanted.Value * 10, 6), wantedQuantity = Math.Round(offered.Value * 10, 6);
        var listings = new List<(TradeFlow.Town, string)>();
        foreach (var (town, kind, category, quantity) in new[]
                 {
                     (a, "offer", offered.Id, offeredQuantity), (b, "need", offered.Id, offeredQuantity),
                     (b, "offer", wanted.Id, wantedQuantity), (a, "need", wanted.Id, wantedQuantity),
                 })
            listings.Add((town, Id(await TradeFlow.Publish(town, kind, category, quantity))));
        using var ops = flow.Operator();
        bool Uses(JsonElement t) => t.GetProperty("legs").EnumerateArray().Any(l => l.GetProperty("category").GetString() == offered.Id);
        var proposed = await Testing.Eventually.Until(async () =>
        {
            await ops.Post("/api/matching/rounds", null, HttpStatusCode.Created);
            return await a.Client.Get("/api/matching/trades?status=proposed");
        }, t => t.EnumerateArray().Any(Uses), TimeSpan.FromSeconds(60), $"a proposal in {offered.Id}");
        var trade = proposed.EnumerateArray().First(Uses);
        return (Id(trade), listings);
    }

    private static async Task<List<(string Id, double Value)>> Goods(TradeFlow.Town town) =>
        (await town.Client.Get("/api/catalog/categories")).EnumerateArray()
            .Where(c => c.GetProperty("unit").GetString() == "kg" && !c.GetProperty("perishable").GetBoolean())
            .Select(c => (c.GetProperty("id").GetString()!, c.GetProperty("valuePerUnit").GetDouble())).ToList();

    private static string Id(JsonElement e) => e.GetProperty("id").GetString()!;
}
