using System.Net;
using System.Text.Json;
using TradeNet.Integration.Tests.Infrastructure;
using TradeNet.Testing;

namespace TradeNet.Integration.Tests.Scenarios;

/// <summary>
/// Data folders an older release wrote (Fixtures/releases/&lt;commit&gt;, made by record-release.sh): its SQLite files,
/// what it answered for every list (answers.json) and the world behind them (world.json: the operator's and towns'
/// keys, which trade is which, the handover codes its receiving towns read).
/// </summary>
public sealed class ReleaseFixture
{
    public const string TransfersOfEveryStatus = "/api/logistics/transfers (every status)";
    private const string TransfersInStatus = "/api/logistics/transfers?status=";
    private const string Rounds = "/api/matching/rounds?";

    private ReleaseFixture(string folder, JsonElement answers, JsonElement world)
    {
        Folder = folder;
        Answers = answers;
        World = world;
    }

    public static string Root { get; } = Path.Combine(Repo.Root, "tests", "TradeNet.Integration.Tests", "Fixtures", "releases");

    /// <summary>Every fixture checked in: one folder per release that recorded one.</summary>
    public static IEnumerable<string> Names() =>
        Directory.GetDirectories(Root).Where(d => File.Exists(Path.Combine(d, "answers.json"))).Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    public string Folder { get; }
    public JsonElement Answers { get; }
    public JsonElement World { get; }

    public string OperatorKey => World.GetProperty("operatorKey").GetString()!;

    public IEnumerable<(string Name, string Id, string ApiKey)> Towns =>
        World.GetProperty("towns").EnumerateObject().Select(t => (t.Name, t.Value.GetProperty("id").GetString()!, t.Value.GetProperty("apiKey").GetString()!));

    /// <summary>Keys a town replaced under the old release (fixtures recorded since 6 Dec; none in older ones).</summary>
    public IEnumerable<string> RevokedKeys =>
        World.TryGetProperty("revokedKeys", out var keys) ? keys.EnumerateArray().Select(k => k.GetString()!) : [];

    public string Trade(string role) => World.GetProperty("trades").GetProperty(role).GetString()!;

    /// <summary>The differences the docs announce for this release's data.</summary>
    public IReadOnlyList<ReleaseAnswers.Allowance> Allowances() =>
        Answers.TryGetProperty($"{TransfersInStatus}delivered&limit=1000", out _) ? [] : ReleaseAnswers.BeforeDeliveredTransfers;

    /// <summary>The trades the old release answered.</summary>
    public IReadOnlySet<string> OldTradeIds() =>
        Answers.GetProperty("/api/matching/trades?limit=1000").EnumerateArray().Select(t => t.GetProperty("id").GetString()!).ToHashSet(StringComparer.Ordinal);

    /// <summary>The code the receiving town read on a shipment in the old release (null where it had none).</summary>
    public string? HandoverCode(string shipment) =>
        World.GetProperty("handoverCodes").TryGetProperty(shipment, out var code) ? code.GetString() : null;

    public static ReleaseFixture Load(string name)
    {
        var folder = Path.Combine(Root, name);
        JsonElement Read(string file) => JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, file))).RootElement.Clone();
        return new ReleaseFixture(folder, Read("answers.json"), Read("world.json"));
    }

    /// <summary>The old answers by path; the transfer lists by status as one list (a leg's transfer may change status
    /// across releases, ReleaseAnswers.BeforeDeliveredTransfers).</summary>
    public IReadOnlyDictionary<string, JsonElement> OldAnswers() => Merge(Answers.EnumerateObject().Select(p => (p.Name, p.Value)));

    /// <summary>Today's answers to the same paths (with every transfer status today's release knows).</summary>
    public async Task<IReadOnlyDictionary<string, JsonElement>> NewAnswersAsync(TradeNetClient ops)
    {
        var paths = Answers.EnumerateObject().Select(p => p.Name).Where(p => !p.StartsWith(TransfersInStatus, StringComparison.Ordinal))
            .Concat(new[] { "pending", "planned", "held", "cancelled", "delivered" }.Select(s => $"{TransfersInStatus}{s}&limit=1000"));
        var answers = new List<(string, JsonElement)>();
        foreach (var path in paths)
            answers.Add((path, path.StartsWith(Rounds, StringComparison.Ordinal) ? await RoundsWithTradesAsync(ops, path) : await ops.Get(path)));
        return Merge(answers);
    }

    /// <summary>The list of rounds with each round's trade ids, which the list answered until 6 Dec and
    /// <c>GET /rounds/{id}</c> answers since (docs/benchmarks.md, "the list answers summaries without them").</summary>
    private static async Task<JsonElement> RoundsWithTradesAsync(TradeNetClient ops, string path)
    {
        var rounds = new List<Dictionary<string, JsonElement>>();
        foreach (var round in (await ops.Get(path)).EnumerateArray())
        {
            var fields = round.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
            fields["tradeIds"] = (await ops.Get($"/api/matching/rounds/{fields["id"].GetString()}")).GetProperty("tradeIds").Clone();
            rounds.Add(fields);
        }
        return JsonSerializer.SerializeToElement(rounds);
    }

    private static Dictionary<string, JsonElement> Merge(IEnumerable<(string Path, JsonElement Answer)> answers)
    {
        var merged = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var transfers = new List<JsonElement>();
        foreach (var (path, answer) in answers)
        {
            if (path.StartsWith(TransfersInStatus, StringComparison.Ordinal)) transfers.AddRange(answer.EnumerateArray());
            else merged[path] = answer;
        }
        merged[TransfersOfEveryStatus] = JsonSerializer.SerializeToElement(transfers);
        return merged;
    }

    /// <summary>Drives an agreed trade to completed on today's release: releases its held legs, plans what waits, and
    /// has each carrier pick up and deliver with the code the receiving town reads (the same code the old release
    /// showed, where it showed one).</summary>
    public async Task<JsonElement> FinishAsync(TradeNetClient ops, string tradeId, Func<string, TradeNetClient> townClient)
    {
        for (var pass = 0; pass < 30; pass++)
        {
            var trade = await ops.Get($"/api/matching/trades/{tradeId}");
            if (trade.GetProperty("status").GetString() == "completed") return trade;
            // 404 until logistics hears of the agreement.
            using var known = await ops.Send(HttpMethod.Get, $"/api/logistics/trades/{tradeId}/transfers");
            if (known.StatusCode == HttpStatusCode.NotFound)
            {
                await Task.Delay(200);
                continue;
            }
            var transfers = JsonDocument.Parse(await known.Content.ReadAsStringAsync()).RootElement.EnumerateArray().ToList();
            foreach (var transfer in transfers.Where(t => t.GetProperty("status").GetString() == "held"))
                await ops.Post($"/api/logistics/transfers/{transfer.GetProperty("id").GetString()}/release", null, HttpStatusCode.OK);
            var shipments = (await ops.Get($"/api/logistics/shipments?trade={tradeId}")).EnumerateArray().ToList();
            var legs = trade.GetProperty("legs").EnumerateArray().Select(l => l.GetProperty("index").GetInt32()).ToList();
            if (legs.Any(leg => !shipments.Any(s => s.GetProperty("legIndex").GetInt32() == leg && s.GetProperty("status").GetString() is "planned" or "pickedUp" or "delivered")))
                await ops.Post("/api/logistics/plans", null, HttpStatusCode.OK);
            foreach (var shipment in (await ops.Get($"/api/logistics/shipments?trade={tradeId}")).EnumerateArray())
            {
                var id = shipment.GetProperty("id").GetString()!;
                var carrier = townClient(shipment.GetProperty("carrierTown").GetString()!);
                var status = shipment.GetProperty("status").GetString();
                if (status == "planned") await carrier.Post($"/api/logistics/shipments/{id}/pickup", null, HttpStatusCode.OK);
                if (status is not ("planned" or "pickedUp")) continue;
                var code = (await townClient(shipment.GetProperty("toTown").GetString()!).Get($"/api/logistics/shipments/{id}"))
                    .GetProperty("handoverCode").GetString();
                if (HandoverCode(id) is { } recorded && recorded != code)
                    throw new Xunit.Sdk.XunitException($"shipment {id}: the old release gave the receiving town code {recorded}, today's gives {code}");
                await carrier.Post($"/api/logistics/shipments/{id}/delivery", new { handoverCode = code }, HttpStatusCode.OK);
            }
            await Task.Delay(200);
        }
        return await Eventually.Until(() => ops.Get($"/api/matching/trades/{tradeId}"),
            t => t.GetProperty("status").GetString() == "completed", TimeSpan.FromSeconds(20), $"trade {tradeId} completed");
    }
}
