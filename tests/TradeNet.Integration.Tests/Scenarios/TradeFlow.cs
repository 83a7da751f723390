using System.Net;
using System.Text.Json;
using TradeNet.Testing;

namespace TradeNet.Integration.Tests.Scenarios;

/// <summary>The foundation flow end to end through the gateway: two towns register, list complementary
/// goods, an operator clears, both accept, the trade is agreed, shipped, delivered and completed.</summary>
public sealed class TradeFlow(Uri gateway, string operatorKey)
{
    public sealed record Town(string Id, string ApiKey, TradeNetClient Client);

    public async Task<Town> RegisterTown(string name, string? insee, double lat, double lon, params string[] specialties)
    {
        using var anonymous = new TradeNetClient(gateway, null);
        var registered = await anonymous.Post("/api/catalog/towns",
            new { name, inseeCode = insee, lat, lon, specialties }, HttpStatusCode.Created);
        var key = registered.GetProperty("apiKey").GetString()!;
        return new Town(registered.GetProperty("town").GetProperty("id").GetString()!, key, new TradeNetClient(gateway, key));
    }

    public TradeNetClient Operator(TimeSpan? timeout = null) => new(gateway, operatorKey, timeout);

    /// <summary>A client for a town's key, e.g. a new one after a rotation.</summary>
    public TradeNetClient Client(string apiKey) => new(gateway, apiKey);

    /// <summary>The categories counted in pieces among these scenarios' pairs (<see cref="Categories"/>).</summary>
    public async Task<IReadOnlyList<string>> PieceCategoriesOf(params int[] scenarios)
    {
        using var anonymous = new TradeNetClient(gateway, null);
        var shipped = (await anonymous.Get("/api/catalog/categories")).EnumerateArray()
            .Where(c => c.GetProperty("weightPerUnit").GetDouble() > 0).ToList();
        return scenarios.SelectMany(n => shipped.Skip(2 * n).Take(2))
            .Where(c => c.GetProperty("unit").GetString() == "piece").Select(c => c.GetProperty("id").GetString()!).ToList();
    }

    /// <summary>Two categories of their own for each scenario, so scenarios sharing a network never match each other.</summary>
    public async Task<(string First, string Second)> Categories(int scenario)
    {
        using var anonymous = new TradeNetClient(gateway, null);
        var categories = (await anonymous.Get("/api/catalog/categories")).EnumerateArray()
            .Where(c => c.GetProperty("weightPerUnit").GetDouble() > 0).Select(c => c.GetProperty("id").GetString()!).ToList();
        return (categories[2 * scenario], categories[2 * scenario + 1]);
    }

    public static Task<JsonElement> Publish(Town town, string kind, string category, double quantity, double minLot = 1) =>
        town.Client.Post("/api/catalog/listings", new { kind, category, quantity, minLot, maxDistanceKm = kind == "need" ? 200 : (double?)null },
            HttpStatusCode.Created);

    /// <summary>Waits until matching's book holds the listings, then runs a round as the operator.</summary>
    public async Task<JsonElement> RunRoundUntilTrade(Town a, string expectedPartner)
    {
        using var ops = Operator();
        return await Eventually.Until(async () =>
        {
            await ops.Post("/api/matching/rounds", null, HttpStatusCode.Created);
            var trades = (await a.Client.Get("/api/matching/trades")).EnumerateArray().ToList();
            return trades.FirstOrDefault(t => t.GetProperty("status").GetString() == "proposed" &&
                t.GetProperty("legs").EnumerateArray().Any(l => l.GetProperty("toTown").GetString() == expectedPartner));
        }, t => t.ValueKind == JsonValueKind.Object, TimeSpan.FromSeconds(60), "a proposal between the towns");
    }

    /// <summary>A swap between two towns in categories of this scenario's own, accepted by both; returns the trade's id.</summary>
    public async Task<string> AgreeSwap(Town a, Town b, int scenario)
    {
        var (offered, wanted) = await Categories(scenario);
        await Publish(a, "offer", offered, 100, 10);
        await Publish(b, "need", offered, 100, 10);
        await Publish(b, "offer", wanted, 300, 10);
        await Publish(a, "need", wanted, 300, 10);
        var proposed = await RunRoundUntilTrade(a, b.Id);
        var tradeId = proposed.GetProperty("id").GetString()!;
        await a.Client.Post($"/api/matching/trades/{tradeId}/accept", null, HttpStatusCode.OK);
        await b.Client.Post($"/api/matching/trades/{tradeId}/accept", null, HttpStatusCode.OK);
        await TradeStatus(a, tradeId, "agreed");
        return tradeId;
    }

    public static Task<JsonElement> TradeStatus(Town town, string tradeId, string status) =>
        Eventually.Until(() => town.Client.Get($"/api/matching/trades/{tradeId}"),
            t => t.GetProperty("status").GetString() == status, TimeSpan.FromSeconds(60), $"trade {tradeId} {status}");

    public static async Task<List<JsonElement>> Shipments(Town town, string tradeId, int count) =>
        (await Eventually.Until(async () => (await town.Client.Get($"/api/logistics/shipments?trade={tradeId}")).EnumerateArray().ToList(),
            s => s.Count == count, TimeSpan.FromSeconds(60), $"{count} shipments for {tradeId}")).ToList();

    /// <summary>Each shipment's carrier (one of <paramref name="towns"/>) reports its pickup, then its delivery with the
    /// handover code the receiving town reads on the shipment and gives at handover.</summary>
    public static async Task PickUpAndDeliver(IEnumerable<JsonElement> shipments, params Town[] towns)
    {
        foreach (var shipment in shipments)
        {
            var carrier = towns.Single(t => t.Id == shipment.GetProperty("carrierTown").GetString());
            var receiver = towns.Single(t => t.Id == shipment.GetProperty("toTown").GetString());
            var id = shipment.GetProperty("id").GetString();
            await carrier.Client.Post($"/api/logistics/shipments/{id}/pickup", null, HttpStatusCode.OK);
            var code = (await receiver.Client.Get($"/api/logistics/shipments/{id}")).GetProperty("handoverCode").GetString();
            await carrier.Client.Post($"/api/logistics/shipments/{id}/delivery", new { handoverCode = code }, HttpStatusCode.OK);
        }
    }

    /// <summary>The whole flow; returns the completed trade.</summary>
    public async Task<JsonElement> RunToCompletion()
    {
        var roanne = await RegisterTown("Roanne", "42187", 46.0443, 4.07974, "cheese");
        var riorges = await RegisterTown("Riorges", "42184", 46.0431, 4.0413, "vegetables");
        var (first, second) = await Categories(0);
        var offerA = await Publish(roanne, "offer", first, 200, 10);
        await Publish(riorges, "need", first, 100, 10);
        await Publish(riorges, "offer", second, 500, 10);
        await Publish(roanne, "need", second, 400, 10);

        var proposed = await RunRoundUntilTrade(roanne, riorges.Id);
        var tradeId = proposed.GetProperty("id").GetString()!;
        await roanne.Client.Post($"/api/matching/trades/{tradeId}/accept", null, HttpStatusCode.OK);
        await riorges.Client.Post($"/api/matching/trades/{tradeId}/accept", null, HttpStatusCode.OK);
        await TradeStatus(roanne, tradeId, "agreed");

        await PickUpAndDeliver(await Shipments(roanne, tradeId, 2), roanne, riorges);

        var completed = await TradeStatus(riorges, tradeId, "completed");
        var offerId = offerA.GetProperty("id").GetString();
        await Eventually.Until(() => roanne.Client.Get($"/api/catalog/listings/{offerId}"),
            l => l.GetProperty("fulfilled").GetDouble() > 0, TimeSpan.FromSeconds(30), "the offer booked as fulfilled");
        return completed;
    }
}
