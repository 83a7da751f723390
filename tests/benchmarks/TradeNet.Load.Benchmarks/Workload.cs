using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;

namespace TradeNet.Load.Benchmarks;

public sealed record RoundRecord(double AtSeconds, int Status, double RequestMs, long DurationMs, int Listings, int Trades, int CandidateCycles, string? RoundStatus);

public sealed record PlanRecord(double AtSeconds, int Status, double RequestMs, int Pending, int Planned, int Routes, double DurationMs);

/// <summary>What towns and the operator do during the run. Towns wait in a queue; a worker takes one, does one thing
/// as it (publish, change, browse, answer its proposals, move its goods…), and puts it back, so a town is one client
/// doing one thing at a time and the concurrency is the number of towns acting at once.</summary>
public sealed class Workload(Edge edge, string operatorKey, HttpClient operatorHttp, IReadOnlyList<Category> categories, int listingsPerTown)
{
    public ConcurrentQueue<RoundRecord> Rounds { get; } = new();
    public ConcurrentQueue<PlanRecord> Plans { get; } = new();

    public async Task RunTownsAsync(IReadOnlyList<Town> towns, int concurrency, Stopwatch clock, TimeSpan length, int seed)
    {
        var queue = Channel.CreateUnbounded<Town>();
        foreach (var town in towns.OrderBy(_ => Random.Shared.Next())) queue.Writer.TryWrite(town);
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var rng = new Random(seed * 7919 + w);
            while (clock.Elapsed < length)
            {
                var town = await queue.Reader.ReadAsync();
                try { await ActAsync(town, rng); }
                finally { queue.Writer.TryWrite(town); }
            }
        }));
        await Task.WhenAll(workers);
    }

    /// <summary>One thing a town does, drawn by weight.</summary>
    private Task ActAsync(Town town, Random rng)
    {
        var roll = rng.Next(100);
        if (town.WantsVehicle && !town.HasVehicle && roll < 3) return RegisterVehicleAsync(town);
        return roll switch
        {
            < 14 => town.Listings.Count >= 2 * listingsPerTown ? WithdrawAsync(town, rng) : PublishAsync(town, rng),
            < 24 => ChangeAsync(town, rng),
            < 26 => WithdrawAsync(town, rng),
            < 42 => BrowseAsync(town, rng),
            < 66 => AnswerProposalsAsync(town, rng),
            < 84 => MoveGoodsAsync(town, rng),
            _ => ReadTradeAsync(town, rng),
        };
    }

    public async Task<bool> PublishAsync(Town town, Random rng)
    {
        var a = await edge.SendAsync(town.Http, "publish listing", HttpMethod.Post, "/api/catalog/listings", town.Key,
            Towns.NewListing(town, categories, rng), idempotencyKey: $"load-{town.Id}-{++town.Published}-{rng.Next()}", pacer: town.Pacer);
        if (a.Ok) town.Listings.Add(Edge.Str(a.Body, "id")!);
        return a.Ok;
    }

    private async Task ChangeAsync(Town town, Random rng)
    {
        if (town.Listings.Count == 0) return;
        var id = town.Listings[rng.Next(town.Listings.Count)];
        var read = await edge.SendAsync(town.Http, "read listing", HttpMethod.Get, $"/api/catalog/listings/{id}", town.Key, pacer: town.Pacer);
        if (!read.Ok) return;
        var kind = Edge.Str(read.Body, "kind");
        var quantity = read.Body.GetProperty("quantity").GetDouble();
        var pieces = categories.FirstOrDefault(c => c.Id == Edge.Str(read.Body, "category"))?.Pieces == true;
        // Mostly more of the goods (a harvest came in); sometimes a need's distance limit moves, which re-checks its proposals.
        object body = kind == "need" && rng.NextDouble() < 0.3
            ? new { maxDistanceKm = Math.Round(40 + rng.NextDouble() * 120) }
            : new { quantity = pieces ? Math.Ceiling(quantity * 1.2) : Math.Round(quantity * 1.2, 1) };
        await edge.SendAsync(town.Http, "change listing", HttpMethod.Put, $"/api/catalog/listings/{id}", town.Key, body, pacer: town.Pacer);
    }

    private async Task WithdrawAsync(Town town, Random rng)
    {
        if (town.Listings.Count == 0) return;
        var i = rng.Next(town.Listings.Count);
        var a = await edge.SendAsync(town.Http, "withdraw listing", HttpMethod.Delete, $"/api/catalog/listings/{town.Listings[i]}", town.Key, pacer: town.Pacer);
        if (a.Ok) town.Listings.RemoveAt(i);
    }

    private Task BrowseAsync(Town town, Random rng)
    {
        // What the town lacks: offers of a category it does not make.
        var category = categories[rng.Next(categories.Count)];
        return edge.SendAsync(town.Http, "browse offers", HttpMethod.Get,
            $"/api/catalog/listings?kind=offer&category={category.Id}&status=active&limit=100", town.Key, pacer: town.Pacer);
    }

    /// <summary>Reads the town's open proposals and answers one on which it still owes an answer: mostly accept, one in
    /// twenty reject. A 409 is a race the town can lose (the trade was cancelled or its terms re-checked meanwhile).</summary>
    private async Task AnswerProposalsAsync(Town town, Random rng)
    {
        var a = await edge.SendAsync(town.Http, "read own trades", HttpMethod.Get, "/api/matching/trades?status=proposed&limit=100", town.Key, pacer: town.Pacer);
        if (!a.Ok) return;
        var owed = new List<string>();
        foreach (var trade in a.Body.EnumerateArray())
        {
            var id = trade.GetProperty("id").GetString()!;
            if (!town.Trades.Contains(id)) town.Trades.Add(id);
            if (trade.GetProperty("legs").EnumerateArray().Any(l => Edge.Str(l, "fromTown") == town.Id && Edge.Str(l, "response") == "pending"))
                owed.Add(id);
        }
        if (owed.Count == 0) return;
        var pick = owed[rng.Next(owed.Count)];
        var answer = rng.NextDouble() < 0.05 ? "reject" : "accept";
        await edge.SendAsync(town.Http, $"{answer} trade", HttpMethod.Post, $"/api/matching/trades/{pick}/{answer}", town.Key, pacer: town.Pacer, expected: [409]);
    }

    /// <summary>As a carrier, picks up a planned shipment; as a receiver, reports a shipment that reached it.</summary>
    private async Task MoveGoodsAsync(Town town, Random rng)
    {
        var pickup = rng.NextDouble() < 0.5;
        var a = await edge.SendAsync(town.Http, "read shipments", HttpMethod.Get,
            $"/api/logistics/shipments?status={(pickup ? "planned" : "pickedUp")}&limit=100", town.Key, pacer: town.Pacer);
        if (!a.Ok) return;
        var mine = a.Body.EnumerateArray()
            .Where(s => Edge.Str(s, pickup ? "carrierTown" : "toTown") == town.Id)
            .Select(s => s.GetProperty("id").GetString()!).ToList();
        if (mine.Count == 0) return;
        var id = mine[rng.Next(mine.Count)];
        // 409: the trade was stopped meanwhile (an operator's cancellation) — a race, not a fault.
        if (pickup) await edge.SendAsync(town.Http, "pickup", HttpMethod.Post, $"/api/logistics/shipments/{id}/pickup", town.Key, pacer: town.Pacer, expected: [409]);
        else await edge.SendAsync(town.Http, "delivery", HttpMethod.Post, $"/api/logistics/shipments/{id}/delivery", town.Key, pacer: town.Pacer, expected: [409]);
    }

    private async Task ReadTradeAsync(Town town, Random rng)
    {
        if (town.Trades.Count == 0) { await BrowseAsync(town, rng); return; }
        var id = town.Trades[rng.Next(town.Trades.Count)];
        var a = await edge.SendAsync(town.Http, "read trade", HttpMethod.Get, $"/api/matching/trades/{id}", town.Key, pacer: town.Pacer);
        // Logistics has a cost once a trade's shipments are planned: an agreed trade whose legs wait for the next planning
        // run (a fleet is registered) has none yet, a 404.
        if (a.Ok && Edge.Str(a.Body, "status") is "agreed" or "completed")
            await edge.SendAsync(town.Http, "trade transport cost", HttpMethod.Get, $"/api/logistics/trades/{id}/cost", town.Key, expected: [404], pacer: town.Pacer);
    }

    private async Task RegisterVehicleAsync(Town town)
    {
        var a = await edge.SendAsync(town.Http, "register vehicle", HttpMethod.Post, "/api/logistics/vehicles", town.Key,
            new { name = $"{town.Place.Name} van", homeLat = town.Place.Lat, homeLon = town.Place.Lon, capacityKg = 1500, chilled = true, costPerKm = 0.6, fixedCost = 25 },
            idempotencyKey: $"load-van-{town.Id}", pacer: town.Pacer);
        town.HasVehicle = a.Ok;
    }

    /// <summary>The operator: a clearing round every <paramref name="roundEvery"/>, a planning run every
    /// <paramref name="planEvery"/>, and in between a look at the book and the rounds, once a second.</summary>
    public async Task RunOperatorAsync(Stopwatch clock, TimeSpan length, TimeSpan roundEvery, TimeSpan planEvery)
    {
        var nextRound = TimeSpan.FromSeconds(2);
        var nextPlan = planEvery;
        var glance = 0;
        while (clock.Elapsed < length)
        {
            if (clock.Elapsed >= nextRound)
            {
                await StartRoundAsync(clock);
                nextRound = clock.Elapsed + roundEvery;
            }
            else if (clock.Elapsed >= nextPlan)
            {
                await PlanAsync(clock);
                nextPlan = clock.Elapsed + planEvery;
            }
            else
            {
                if (glance++ % 2 == 0)
                    await edge.SendAsync(operatorHttp, "operator reads book", HttpMethod.Get, "/api/matching/book?limit=500", operatorKey);
                else
                    await edge.SendAsync(operatorHttp, "operator lists rounds", HttpMethod.Get, "/api/matching/rounds?limit=10", operatorKey);
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
    }

    public async Task StartRoundAsync(Stopwatch clock)
    {
        var at = clock.Elapsed.TotalSeconds;
        var started = Stopwatch.StartNew();
        // 409: another round holds the clearing lease (none should here: one operator).
        var a = await edge.SendAsync(operatorHttp, "start round", HttpMethod.Post, "/api/matching/rounds", operatorKey);
        var ms = started.Elapsed.TotalMilliseconds;
        Rounds.Enqueue(a.Ok
            ? new RoundRecord(at, a.Status, ms, a.Body.GetProperty("durationMs").GetInt64(), a.Body.GetProperty("listings").GetInt32(),
                a.Body.GetProperty("trades").GetInt32(), a.Body.GetProperty("candidateCycles").GetInt32(), Edge.Str(a.Body, "status"))
            : new RoundRecord(at, a.Status, ms, 0, 0, 0, 0, null));
    }

    private async Task PlanAsync(Stopwatch clock)
    {
        var at = clock.Elapsed.TotalSeconds;
        var started = Stopwatch.StartNew();
        var a = await edge.SendAsync(operatorHttp, "plan shipments", HttpMethod.Post, "/api/logistics/plans", operatorKey);
        var ms = started.Elapsed.TotalMilliseconds;
        Plans.Enqueue(a.Ok
            ? new PlanRecord(at, a.Status, ms, a.Body.GetProperty("pending").GetInt32(), a.Body.GetProperty("planned").GetInt32(),
                a.Body.GetProperty("routes").GetArrayLength(), a.Body.GetProperty("durationMs").GetDouble())
            : new PlanRecord(at, a.Status, ms, 0, 0, 0, 0));
    }

    /// <summary>How many of a list there are, page by page (operator's view); -1 when a page fails.</summary>
    public async Task<int> CountAsync(string op, string path) => (await ListAsync(op, path))?.Count ?? -1;

    /// <summary>A whole list, page by page (operator's view); null when a page fails.</summary>
    public async Task<List<JsonElement>?> ListAsync(string op, string path)
    {
        var all = new List<JsonElement>();
        for (string? page = path; page is not null;)
        {
            var a = await edge.SendAsync(operatorHttp, op, HttpMethod.Get, page, operatorKey);
            if (!a.Ok || a.Body.ValueKind != JsonValueKind.Array) return null;
            all.AddRange(a.Body.EnumerateArray());
            page = a.NextPage;
        }
        return all;
    }
}
