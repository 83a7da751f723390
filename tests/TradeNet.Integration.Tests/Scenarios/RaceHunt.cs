using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using TradeNet.Integration.Tests.Infrastructure;
using TradeNet.Testing;

namespace TradeNet.Integration.Tests.Scenarios;

/// <summary>
/// A targeted race hunt: conflicting requests about one trade fired at the same instant (<see cref="RaceGate"/>), which
/// random trading rarely lines up. Each wave registers fresh towns, lets a round propose their trades and races every
/// proposal (<see cref="AnswerRace"/>), then every agreed trade's shipments (<see cref="ShipmentRace"/>), then a listing
/// two proposals share. After each stage the system settles and is checked: no request answered 5xx or a 4xx without
/// ProblemDetails; no trade left proposed past its deadline; every trade's end is the one its answers promised (a
/// cancel or reject that said 200 ended it, a trade whose every accept said 200 and that nothing else touched agreed);
/// and <see cref="ConsistencyAudit"/> finds catalog, matching and logistics telling one story.
/// </summary>
public sealed partial class RaceHunt(ITradeNetUnderTest tradeNet, int seed, RaceHuntOptions options)
{
    private readonly TradeFlow _flow = new(tradeNet.Gateway, tradeNet.OperatorApiKey);
    private readonly Random _random = new(seed);
    private readonly ConcurrentDictionary<string, TradeNetClient> _clients = new(StringComparer.Ordinal);
    private readonly HashSet<string> _suspended = new(StringComparer.Ordinal);
    private readonly TradeNetClient _ops = new(tradeNet.Gateway, tradeNet.OperatorApiKey, TimeSpan.FromSeconds(60));
    private List<string> _kgCategories = [];
    private int _answerRaces, _shipmentRaces;

    /// <summary>What went wrong, one line each, with the wave and the race.</summary>
    public List<string> Problems { get; } = [];

    /// <summary>Bursts fired, by race.</summary>
    public SortedDictionary<string, int> Bursts { get; } = new(StringComparer.Ordinal);

    /// <summary>Answers, by action and status ("accept 200", "cancel 409", …).</summary>
    public SortedDictionary<string, int> Answers { get; } = new(StringComparer.Ordinal);

    public List<string> Notes { get; } = [];

    public async Task RunAsync()
    {
        using var anonymous = new TradeNetClient(tradeNet.Gateway, null);
        _kgCategories = (await anonymous.Get("/api/catalog/categories")).EnumerateArray()
            .Where(c => c.GetProperty("weightPerUnit").GetDouble() > 0 && c.GetProperty("unit").GetString() == "kg")
            .Select(c => c.GetProperty("id").GetString()!).ToList();
        for (var wave = 0; wave < options.Waves; wave++) await RunWaveAsync(wave);
    }

    public string Summary() =>
        "bursts: " + string.Join(", ", Bursts.Select(b => $"{b.Key} ×{b.Value}")) + " (" + Bursts.Values.Sum() + " in all)\n" +
        "answers: " + string.Join(", ", Answers.Select(a => $"{a.Key} ×{a.Value}")) +
        (Notes.Count > 0 ? "\n" + string.Join("\n", Notes) : "");

    private async Task RunWaveAsync(int wave)
    {
        string Category(int k) => _kgCategories[(wave * 6 + k) % _kgCategories.Count];
        var towns = new List<string>();
        for (var i = 0; i < options.TownsPerWave; i++)
        {
            // Letters between the numbers: catalog compares names without their punctuation ("1-13" and "11-3" alike), and
            // refuses a name like a suspended town's nearby.
            var town = await _flow.RegisterTown($"Race {seed} w{wave} t{i}", null, 46.03 + 0.004 * (i % 5), 4.05 + 0.004 * (i / 5));
            _clients[town.Id] = town.Client;
            towns.Add(town.Id);
            // Half offer the first category and need the second, half the other way round: swaps, and cycles too.
            // Large enough that a leg is worth a round's while in the cheapest categories too.
            await Publish(town.Id, "offer", Category(i % 2), 1000 + 100 * _random.Next(10));
            await Publish(town.Id, "need", Category((i + 1) % 2), 1000 + 100 * _random.Next(10));
        }

        var proposals = await ProposeAsync(towns);
        Notes.Add($"wave {wave}: {proposals.Count} proposals");
        // Each race in turn across waves, so two waves of a few proposals fire every one of them.
        var kinds = Enum.GetValues<AnswerRace>();
        await Task.WhenAll(proposals.Select(trade => RaceAnswersAsync(wave, trade, kinds[_answerRaces++ % kinds.Length])));
        await SettleAsync($"wave {wave} answers", towns);

        var agreed = await TradesAsync(towns, "agreed");
        var moves = Enum.GetValues<ShipmentRace>();
        await Task.WhenAll(agreed.Where(t => !TownsOf(t).Any(_suspended.Contains))
            .Select(trade => RaceShipmentsAsync(wave, trade, moves[_shipmentRaces++ % moves.Length])));
        await SettleAsync($"wave {wave} shipments", towns);
        // Left on the board, what the answers gave back would be proposed again by the next stage's rounds.
        await WithdrawLeftoversAsync(towns);

        var shared = await RaceSharedListingAsync(wave, Category(2), Category(3));
        await SettleAsync($"wave {wave} shared listing", shared);
        await WithdrawLeftoversAsync(shared);

        var rounds = await RaceRoundsVersusListingChangesAsync(wave, Category(4), Category(5));
        await SettleAsync($"wave {wave} rounds", rounds);
        await WithdrawLeftoversAsync(rounds);
        // The last word on the whole wave, every stage's towns together.
        await SettleAsync($"wave {wave}", [.. towns, .. shared, .. rounds]);
    }

    /// <summary>What is left on these towns' board leaves it, so later rounds see only later listings.</summary>
    private async Task WithdrawLeftoversAsync(IEnumerable<string> towns)
    {
        foreach (var town in towns)
            foreach (var listing in (await _ops.Get($"/api/catalog/listings?town={town}&status=active&limit=1000")).EnumerateArray())
                using (await _ops.Send(HttpMethod.Delete, $"/api/catalog/listings/{Id(listing)}")) { }
    }

    private Task<JsonElement> Publish(string town, string kind, string category, double quantity) =>
        _clients[town].Post("/api/catalog/listings", new { kind, category, quantity, minLot = 5, maxDistanceKm = kind == "need" ? 200 : (double?)null },
            HttpStatusCode.Created);

    /// <summary>Rounds until the towns' listings have been read and proposed (a round or two: the book fills from events).</summary>
    private async Task<List<JsonElement>> ProposeAsync(IReadOnlyCollection<string> towns)
    {
        List<JsonElement> proposed = [];
        for (var attempt = 0; attempt < 20; attempt++)
        {
            using var round = await _ops.Send(HttpMethod.Post, "/api/matching/rounds");
            proposed = await TradesAsync(towns, "proposed");
            if (proposed.SelectMany(TownsOf).Distinct().Count() >= towns.Count - 1 && attempt > 0) break;
            await Task.Delay(300);
        }
        return proposed;
    }

    /// <summary>Every trade of these towns (the operator's view), by id; only those in <paramref name="status"/> if given.</summary>
    private async Task<List<JsonElement>> TradesAsync(IEnumerable<string> towns, string? status = null)
    {
        var trades = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var town in towns)
            foreach (var trade in (await _ops.Get($"/api/matching/trades?town={town}&limit=1000{(status is null ? "" : "&status=" + status)}")).EnumerateArray())
                trades[Id(trade)] = trade;
        return [.. trades.Values];
    }

    private async Task<IReadOnlyList<RaceShot>> FireAsync(string race, int wave, string tradeId,
        IEnumerable<(string Action, Func<Task<HttpResponseMessage>> Send)> shots)
    {
        var answers = await RaceGate.FireAsync(shots);
        lock (Answers)
        {
            Bursts[race] = Bursts.GetValueOrDefault(race) + 1;
            foreach (var shot in answers)
            {
                var key = $"{shot.Action.Split(' ')[0]} {(int)shot.Status}";
                Answers[key] = Answers.GetValueOrDefault(key) + 1;
                if (shot.Wrong is { } wrong) Report($"wave {wave} {race}, trade {tradeId}: {shot} is {wrong}");
            }
            // Refusals are the interesting outcomes of a race: kept, to read what each burst came to.
            if (answers.Any(a => !a.Ok)) Notes.Add($"wave {wave} {race}, trade {tradeId}: {string.Join(" | ", answers)}");
        }
        return answers;
    }

    /// <summary>Waits until nothing of these towns is proposed (a proposal still open ends by its deadline at the latest),
    /// then until the audit finds nothing; what is still wrong 30 s later stays wrong.</summary>
    private async Task SettleAsync(string stage, IReadOnlyCollection<string> towns)
    {
        var started = DateTime.UtcNow;
        var deadline = started + options.ProposalTtl + TimeSpan.FromSeconds(20);
        List<JsonElement> open;
        var noted = false;
        while ((open = await TradesAsync(towns, "proposed")).Count > 0 && DateTime.UtcNow < deadline)
        {
            // A proposal that outlives its burst by seconds waits for its deadline: worth knowing which and why.
            if (!noted && DateTime.UtcNow - started > TimeSpan.FromSeconds(2))
            {
                noted = true;
                Notes.Add($"{stage}: still proposed 2 s after the burst: " + string.Join(" / ", open.Select(t => $"{Id(t)} legs {Legs(t)}")));
            }
            await Task.Delay(250);
        }
        foreach (var trade in open)
            Problems.Add($"{stage}: trade {Id(trade)} still proposed {(DateTime.UtcNow - started).TotalSeconds:F0} s after the burst " +
                $"(deadline {trade.GetProperty("deadline").GetDateTimeOffset():O}): stranded; legs {Legs(trade)}");

        IReadOnlyList<string> problems;
        var auditUntil = DateTime.UtcNow.AddSeconds(30);
        while ((problems = [.. await ConsistencyAudit.CheckAsync(_ops, towns), .. await OnTheRoadAsync(towns)]).Count > 0
               && DateTime.UtcNow < auditUntil)
            await Task.Delay(500);
        Problems.AddRange(problems.Select(p => $"{stage}: {p}"));
        foreach (var check in _expectations.Where(e => e.Stage == stage)) await check.Check();
        _expectations.RemoveAll(e => e.Stage == stage);
        Notes.Add(string.Create(CultureInfo.InvariantCulture, $"{stage}: settled and audited in {(DateTime.UtcNow - started).TotalSeconds:F1} s"));
    }

    private readonly List<(string Stage, Func<Task> Check)> _expectations = [];

    /// <summary>Beside the audit: a leg matching shows on the road (picked up, not delivered) has its shipment picked up at
    /// logistics — not failed or cancelled, which a trip's failure racing the operator's cancel once left behind.</summary>
    private async Task<List<string>> OnTheRoadAsync(IEnumerable<string> towns)
    {
        var problems = new List<string>();
        foreach (var trade in await TradesAsync(towns))
        {
            var onTheRoad = trade.GetProperty("legs").EnumerateArray()
                .Where(l => l.GetProperty("pickedUp").GetBoolean() && !l.GetProperty("delivered").GetBoolean())
                .Select(l => l.GetProperty("index").GetInt32()).ToList();
            if (onTheRoad.Count == 0) continue;
            var shipments = (await _ops.Get($"/api/logistics/shipments?trade={Id(trade)}&limit=1000")).EnumerateArray().ToList();
            foreach (var leg in onTheRoad.Where(leg => !shipments.Any(s => s.GetProperty("legIndex").GetInt32() == leg && s.GetProperty("status").GetString() == "pickedUp")))
                problems.Add($"trade {Id(trade)} ({trade.GetProperty("status").GetString()}), leg {leg}: on the road at matching, no shipment of it on the road at logistics " +
                    $"({string.Join(", ", shipments.Where(s => s.GetProperty("legIndex").GetInt32() == leg).Select(s => s.GetProperty("status").GetString()))})");
        }
        return problems;
    }

    /// <summary>Listings and towns some race of the wave withdrew, lowered, tightened or suspended.</summary>
    private readonly ConcurrentDictionary<string, bool> _disturbed = new(StringComparer.Ordinal);

    private void Expect(string stage, string tradeId, string why, params string[] allowed) => Expect(stage, tradeId, why, allowed, null);

    /// <summary>Once the stage has settled: the trade ends in one of <paramref name="allowed"/>, because of <paramref name="why"/>
    /// (not checked when <paramref name="unless"/> holds for the settled trade).</summary>
    private void Expect(string stage, string tradeId, string why, string[] allowed, Func<JsonElement, bool>? unless)
    {
        lock (_expectations)
            _expectations.Add((stage, async () =>
            {
                var trade = await _ops.Get($"/api/matching/trades/{tradeId}");
                var status = trade.GetProperty("status").GetString()!;
                if (!allowed.Contains(status) && unless?.Invoke(trade) != true)
                    Problems.Add($"{stage}: trade {tradeId} ended {status}, expected {string.Join(" or ", allowed)} because {why}; " +
                        $"reason: {(trade.TryGetProperty("reason", out var r) ? r.ToString() : "")}; legs {Legs(trade)}");
            }));
    }

    /// <summary>Adds a problem from any of a wave's concurrent races.</summary>
    private void Report(string problem)
    {
        lock (Problems) Problems.Add(problem);
    }

    internal static string Id(JsonElement e) => e.GetProperty("id").GetString()!;

    internal static IEnumerable<string> TownsOf(JsonElement trade) =>
        trade.GetProperty("legs").EnumerateArray().Select(l => l.GetProperty("fromTown").GetString()!).Distinct(StringComparer.Ordinal);

    private static string Legs(JsonElement trade) => string.Join("; ", trade.GetProperty("legs").EnumerateArray().Select(l =>
        $"{l.GetProperty("index").GetInt32()} {l.GetProperty("response").GetString()} picked {l.GetProperty("pickedUp").GetBoolean()} delivered {l.GetProperty("delivered").GetBoolean()}"));
}
