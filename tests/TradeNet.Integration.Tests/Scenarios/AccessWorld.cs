using System.Net;
using System.Text.Json;
using TradeNet.Testing;

namespace TradeNet.Integration.Tests.Scenarios;

/// <summary>A proposal the matrix answers: <see cref="Owner"/> gives on leg <see cref="OwnerLeg"/>, <see cref="Party"/> on the other.</summary>
public sealed record Proposal(string TradeId, TradeFlow.Town Owner, TradeFlow.Town Party, int OwnerLeg);

/// <summary>The live network the access matrix acts on: towns A and B with two agreed trades carried on A's van (the
/// second with C), proposals between pairs of towns of their own, an outsider O, a suspended town S, A's key rotated
/// once (the old one kept to try), and every secret a town may not read of another (keys, handover codes).</summary>
public sealed class AccessWorld(TradeFlow flow, TradeNetClient ops, string operatorKey)
{
    public string OperatorKey => operatorKey;
    public TradeFlow Flow => flow;
    public TradeNetClient Ops => ops;
    public TradeFlow.Town A { get; private set; } = null!;
    public TradeFlow.Town B { get; private set; } = null!;
    public TradeFlow.Town C { get; private set; } = null!;
    public TradeFlow.Town O { get; private set; } = null!;
    public TradeFlow.Town S { get; private set; } = null!;
    public string OldKeyOfA { get; private set; } = "";
    public string VanOfA { get; private set; } = "";
    public string TradeAB { get; private set; } = "";
    public string TradeAC { get; private set; } = "";
    /// <summary>accept, reject (twice: owner and party each need a proposal still open), leg accept, leg reject, cancel.</summary>
    public Dictionary<string, Proposal> Proposals { get; } = [];

    /// <summary>Secret → the town allowed to read it (null: operators only).</summary>
    public Dictionary<string, string?> Secrets { get; } = [];

    private static readonly string[] ProposalNames = ["accept", "reject-owner", "reject-party", "leg-accept", "leg-reject", "cancel"];

    private readonly Dictionary<string, string> _codes = [];
    private List<string> _categories = [];
    private Dictionary<string, double> _price = [];

    public async Task BuildAsync()
    {
        await BuildTradesAsync();
        await RevokeKeysAsync();
    }

    /// <summary>Towns, A's van, the proposals and both agreed trades planned onto the van: every key still valid.</summary>
    public async Task BuildTradesAsync()
    {
        // Categories counted in kg, so every pair can balance whatever their prices.
        var kg = (await ops.Get("/api/catalog/categories")).EnumerateArray()
            .Where(c => c.GetProperty("unit").GetString() == "kg" && c.GetProperty("weightPerUnit").GetDouble() > 0).ToList();
        _categories = kg.Select(c => c.GetProperty("id").GetString()!).ToList();
        var price = kg.ToDictionary(c => c.GetProperty("id").GetString()!, c => c.GetProperty("valuePerUnit").GetDouble());
        A = await Town("Roanne", "42187", 46.0443, 4.07974);
        B = await Town("Riorges", "42184", 46.0431, 4.0413);
        C = await Town("Le Coteau", "42071", 46.0192, 4.0922);
        O = await Town("Ouches", "42162", 46.01096, 3.99215);
        S = await Town("Villerest", "42332", 45.9953, 4.0364);
        // A van at A before any trade is agreed: the agreed legs wait for a planning run and go on its route.
        var van = await A.Client.Post("/api/logistics/vehicles", new
        {
            homeLat = 46.0443, homeLon = 4.07974, name = "matrix van", capacityKg = 50_000, chilled = true, costPerKm = 0.6, fixedCost = 25,
        }, HttpStatusCode.Created);
        VanOfA = van.GetProperty("id").GetString()!;

        var pairs = new List<(string Name, TradeFlow.Town First, TradeFlow.Town Second)> { ("ab", A, B), ("ac", A, C) };
        var index = 0;
        foreach (var name in ProposalNames)
        {
            var lat = 45.95 + 0.01 * index++;
            pairs.Add((name, await Town($"Giver {name}", null, lat, 4.0), await Town($"Taker {name}", null, lat, 4.02)));
        }
        _price = price;
        var trades = await ProposeAsync(pairs.Select((p, scenario) => (scenario, p.First, p.Second)).ToList());
        for (var i = 2; i < pairs.Count; i++)
            Proposals[pairs[i].Name] = new Proposal(Id(trades[i]), pairs[i].First, pairs[i].Second, Gives(trades[i], pairs[i].First.Id)!.Value);

        TradeAB = await AgreeAsync(Id(trades[0]), A, B);
        TradeAC = await AgreeAsync(Id(trades[1]), A, C);
        foreach (var trade in new[] { TradeAB, TradeAC })
            await Eventually.Until(() => ops.Send(HttpMethod.Get, $"/api/logistics/trades/{trade}/transfers"),
                r => r.StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(30), $"trade {trade}'s transfers reach logistics");
        await Eventually.Until(async () =>
        {
            await ops.Post("/api/logistics/plans", null, HttpStatusCode.OK);
            return (await Shipments(TradeAB)).Concat(await Shipments(TradeAC)).ToList();
        }, s => s.Count == 4 && s.All(x => x.GetProperty("vehicleId").GetString() == VanOfA), TimeSpan.FromSeconds(60),
            "both agreed trades planned onto A's van");

    }

    /// <summary>A's key rotated once and S suspended, each refused at the edge before this returns.</summary>
    public async Task RevokeKeysAsync()
    {
        // A rotates its key once; the old one must be refused everywhere from now on.
        OldKeyOfA = A.ApiKey;
        A = Rekey(A, (await A.Client.Post($"/api/catalog/towns/{A.Id}/api-key", null, HttpStatusCode.OK)).GetProperty("apiKey").GetString()!);
        await ops.Post($"/api/catalog/towns/{S.Id}/suspension", new { reason = "access matrix: suspended on purpose" }, HttpStatusCode.OK);
        Secrets["access matrix: suspended on purpose"] = null;
        foreach (var (key, what) in new[] { (OldKeyOfA, "A's rotated key"), (S.ApiKey, "the suspended town's key") })
        {
            using var stale = flow.Client(key);
            await Eventually.Until(() => stale.Send(HttpMethod.Get, "/api/logistics/vehicles"),
                r => r.StatusCode == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(15), $"{what} refused at the edge");
        }
        await RefreshHandoverCodesAsync();
    }

    /// <summary>For each (scenario, first, second): listings of equal value both ways in the scenario's two kg categories
    /// (first offers the first, second the other), then rounds until each pair has its proposal, returned in order.</summary>
    public async Task<List<JsonElement>> ProposeAsync(IReadOnlyList<(int Scenario, TradeFlow.Town First, TradeFlow.Town Second)> pairs)
    {
        foreach (var (scenario, first, second) in pairs)
        {
            var (offered, wanted) = (_categories[2 * scenario], _categories[2 * scenario + 1]);
            // Of equal value both ways: the whole of each listing is one trade, nothing left for a later round.
            var back = Math.Round(100 * _price[offered] / _price[wanted], 2);
            await TradeFlow.Publish(first, "offer", offered, 100);
            await TradeFlow.Publish(second, "need", offered, 100);
            await TradeFlow.Publish(second, "offer", wanted, back);
            await TradeFlow.Publish(first, "need", wanted, back);
        }
        return await Eventually.Until(async () =>
        {
            await ops.Post("/api/matching/rounds", null, HttpStatusCode.Created);
            var proposed = (await ops.Get("/api/matching/trades?status=proposed&limit=1000")).EnumerateArray().ToList();
            return pairs.Select(p => proposed.FirstOrDefault(t => Gives(t, p.First.Id) is not null && Gives(t, p.Second.Id) is not null)).ToList();
        }, found => found.All(t => t.ValueKind == JsonValueKind.Object), TimeSpan.FromSeconds(60), "a proposal for every pair of towns");
    }

    public async Task<List<JsonElement>> Shipments(string tradeId) =>
        (await ops.Get($"/api/logistics/shipments?trade={tradeId}&limit=1000")).EnumerateArray().ToList();

    /// <summary>Operators read every handover code; each is its receiving town's secret.</summary>
    public async Task RefreshHandoverCodesAsync()
    {
        foreach (var shipment in (await ops.Get("/api/logistics/shipments?limit=1000")).EnumerateArray())
            if (shipment.GetProperty("handoverCode").GetString() is { } code)
            {
                Secrets[code] = shipment.GetProperty("toTown").GetString();
                _codes[shipment.GetProperty("id").GetString()!] = code;
            }
    }

    public string CodeOf(string shipmentId) => _codes[shipmentId];

    /// <summary>The first kg category of a scenario's pair: pairs 8 and 9 are no trade's.</summary>
    public string Category(int scenario) => _categories[2 * scenario];

    /// <summary>A fresh offer of A's in a category nobody needs, so no round ever trades it.</summary>
    public async Task<string> ListingOfA(int scenario) =>
        (await TradeFlow.Publish(A, "offer", Category(scenario), 40, 1)).GetProperty("id").GetString()!;

    /// <summary>A van of A's available only years ahead, so no planning run of the matrix gives it goods.</summary>
    public async Task<string> VehicleOfA() =>
        (await A.Client.Post("/api/logistics/vehicles", Van(null), HttpStatusCode.Created)).GetProperty("id").GetString()!;

    public object Van(string? homeTown, double costPerKm = 0.5) => new
    {
        homeTown, homeLat = 46.0443, homeLon = 4.07974, capacityKg = 500, costPerKm, fixedCost = 10,
        availableFrom = _farAhead,
    };

    private readonly DateTimeOffset _farAhead = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddYears(5);

    /// <summary>A town's key replaced (by its own rotation or an operator's): the world acts with the new one.</summary>
    public TradeFlow.Town Rekey(TradeFlow.Town town, string key)
    {
        var rekeyed = town with { ApiKey = key, Client = flow.Client(key) };
        Secrets[key] = town.Id;
        if (town.Id == A.Id) A = rekeyed;
        return rekeyed;
    }

    public TradeFlow.Town TownOf(string id) =>
        new[] { A, B, C, O, S }.Concat(Proposals.Values.SelectMany(p => new[] { p.Owner, p.Party })).First(t => t.Id == id);

    private async Task<TradeFlow.Town> Town(string name, string? insee, double lat, double lon)
    {
        var town = await flow.RegisterTown(name, insee, lat, lon);
        Secrets[town.ApiKey] = town.Id;
        return town;
    }

    internal async Task<string> AgreeAsync(string tradeId, TradeFlow.Town first, TradeFlow.Town second)
    {
        await first.Client.Post($"/api/matching/trades/{tradeId}/accept", null, HttpStatusCode.OK);
        await second.Client.Post($"/api/matching/trades/{tradeId}/accept", null, HttpStatusCode.OK);
        await TradeFlow.TradeStatus(first, tradeId, "agreed");
        return tradeId;
    }

    private static string Id(JsonElement trade) => trade.GetProperty("id").GetString()!;

    /// <summary>The index of the leg the town gives in the trade, or null.</summary>
    public static int? Gives(JsonElement trade, string town) =>
        trade.GetProperty("legs").EnumerateArray().Where(l => l.GetProperty("fromTown").GetString() == town)
            .Select(l => (int?)l.GetProperty("index").GetInt32()).FirstOrDefault();
}
