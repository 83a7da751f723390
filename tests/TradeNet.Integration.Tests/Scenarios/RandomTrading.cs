using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;

namespace TradeNet.Integration.Tests.Scenarios;

/// <summary>
/// Towns and an operator doing what they may, at random and at once, through the gateway: publish, change and withdraw
/// listings, run rounds, accept and reject proposals, cancel agreed trades, pick up and deliver. Each answer must be one
/// the action can expect (a conflict, a listing already withdrawn, a quantity under what is reserved…); anything else —
/// a 5xx, a 401/403 on the caller's own things — is recorded as unexpected. What the services end up holding is then
/// checked by <see cref="ConsistencyAudit"/>. The same seed makes the same choices; the interleaving is the machine's.
/// </summary>
public sealed class RandomTrading(TradeFlow flow, IReadOnlyList<string> categories, int seed)
{
    public sealed record Unexpected(string Action, HttpStatusCode Status, string Body);

    private readonly ConcurrentQueue<Unexpected> _unexpected = new();
    private readonly ConcurrentDictionary<string, int> _answers = new();

    public IReadOnlyCollection<Unexpected> UnexpectedAnswers => _unexpected;

    /// <summary>How often each action got each answer, e.g. "accept 200": shows the run did what it meant to.</summary>
    public IReadOnlyDictionary<string, int> Answers => _answers;

    /// <summary>The longest each action took, in milliseconds.</summary>
    public IReadOnlyDictionary<string, double> Slowest => _slowest;

    private readonly ConcurrentDictionary<string, double> _slowest = new();

    public List<TradeFlow.Town> Towns { get; } = [];

    public async Task RegisterTownsAsync(int count)
    {
        // Close together near Roanne, so every need's distance limit lets every offer in.
        for (var i = 0; i < count; i++)
            Towns.Add(await flow.RegisterTown($"Random Trading {seed}-{i}", null, 46.03 + 0.01 * (i % 4), 4.05 + 0.01 * (i / 4)));
    }

    /// <summary>Every town lists an offer and a need in two of the categories, so the first rounds have trades to find.</summary>
    public async Task PublishStartingBookAsync()
    {
        for (var i = 0; i < Towns.Count; i++)
        {
            await TradeFlow.Publish(Towns[i], "offer", categories[i % categories.Count], 100 + 20 * i, 5);
            await TradeFlow.Publish(Towns[i], "need", categories[(i + 1) % categories.Count], 80 + 20 * i, 5);
        }
    }

    /// <summary><paramref name="actors"/> loops of <paramref name="steps"/> actions each, at once.</summary>
    public Task RunAsync(int actors, int steps) =>
        Task.WhenAll(Enumerable.Range(0, actors).Select(a => ActAsync(new Random(seed * 1000 + a), steps, runsRounds: a == 0)));

    /// <summary>After the actors: about half of the agreed trades delivered to the end (each carrier picks up, each receiving
    /// town confirms), so the audit sees completed trades beside agreed and cancelled ones.</summary>
    public async Task DeliverHalfAsync()
    {
        var random = new Random(seed);
        var byId = Towns.ToDictionary(t => t.Id, StringComparer.Ordinal);
        using var ops = flow.Operator();
        var agreed = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var town in Towns)
            foreach (var trade in await ListAsync(town.Client, "/api/matching/trades?status=agreed"))
                agreed.Add(trade.GetProperty("id").GetString()!);
        foreach (var trade in agreed.Where(_ => random.Next(2) == 0))
            foreach (var shipment in await ListAsync(ops, $"/api/logistics/shipments?trade={trade}"))
            {
                var id = shipment.GetProperty("id").GetString();
                var status = shipment.GetProperty("status").GetString();
                // A direct trip's carrier is the giving town; a vehicle's, its home town, maybe none of these: then an operator.
                var carrier = byId.GetValueOrDefault(shipment.GetProperty("carrierTown").GetString()!)?.Client ?? ops;
                var receiver = byId[shipment.GetProperty("toTown").GetString()!];
                if (status == "planned")
                    await CallAsync("pickup", () => carrier.Send(HttpMethod.Post, $"/api/logistics/shipments/{id}/pickup"), HttpStatusCode.OK);
                if (status is "planned" or "pickedUp")
                    await CallAsync("delivery", () => receiver.Client.Send(HttpMethod.Post, $"/api/logistics/shipments/{id}/delivery"), HttpStatusCode.OK);
            }
    }

    /// <summary>One actor's steps. Only one actor asks for rounds: the service runs one round at a time and makes the
    /// others wait their turn (with the scheduled ones), and a queue of several would outlast the client's timeout.</summary>
    private async Task ActAsync(Random random, int steps, bool runsRounds)
    {
        using var ops = flow.Operator();
        for (var step = 0; step < steps; step++)
        {
            var town = Towns[random.Next(Towns.Count)];
            switch (random.Next(100))
            {
                case < 15: await PublishAsync(town, random); break;
                case < 22: await ChangeAsync(town, random); break;
                case < 27: await WithdrawAsync(town, random); break;
                case < 37 when runsRounds:
                    await CallAsync("round", () => ops.Send(HttpMethod.Post, "/api/matching/rounds"), HttpStatusCode.Created, HttpStatusCode.Conflict);
                    break;
                case < 37: await AnswerAsync(town, random); break;
                case < 67: await AnswerAsync(town, random); break;
                case < 72: await CancelAsync(ops, town, random); break;
                default: await ShipAsync(town, random); break;
            }
        }
    }

    private Task PublishAsync(TradeFlow.Town town, Random random)
    {
        var kind = random.Next(2) == 0 ? "offer" : "need";
        var body = new
        {
            kind,
            category = categories[random.Next(categories.Count)],
            quantity = 20 + 10 * random.Next(20),
            minLot = 5,
            maxDistanceKm = kind == "need" ? 200 : (int?)null,
        };
        // 409: the town reached its limit of open listings.
        return CallAsync("publish", () => town.Client.Send(HttpMethod.Post, "/api/catalog/listings", body), HttpStatusCode.Created, HttpStatusCode.Conflict);
    }

    private async Task ChangeAsync(TradeFlow.Town town, Random random)
    {
        if (await OwnListingAsync(town, random) is not { } listing) return;
        var quantity = 10 + 10 * random.Next(25);
        // 400: under what is reserved and fulfilled; 409: withdrawn meanwhile, or reopened at the town's limit.
        await CallAsync("change", () => town.Client.Send(HttpMethod.Put, $"/api/catalog/listings/{listing}", new { quantity }),
            HttpStatusCode.OK, HttpStatusCode.BadRequest, HttpStatusCode.Conflict);
    }

    private async Task WithdrawAsync(TradeFlow.Town town, Random random)
    {
        if (await OwnListingAsync(town, random) is not { } listing) return;
        await CallAsync("withdraw", () => town.Client.Send(HttpMethod.Delete, $"/api/catalog/listings/{listing}"), HttpStatusCode.OK);
    }

    private async Task AnswerAsync(TradeFlow.Town town, Random random)
    {
        var proposed = await ListAsync(town.Client, "/api/matching/trades?status=proposed");
        if (proposed.Count == 0) return;
        var trade = proposed[random.Next(proposed.Count)].GetProperty("id").GetString();
        var answer = random.Next(10) < 8 ? "accept" : "reject";
        // 409: no longer proposed (another town rejected it, a round's check cancelled it) or a listing's terms changed
        // and matching has not read the change yet; 503: catalog's answer did not come (the acceptance is kept).
        await CallAsync(answer, () => town.Client.Send(HttpMethod.Post, $"/api/matching/trades/{trade}/{answer}"),
            HttpStatusCode.OK, HttpStatusCode.Conflict, HttpStatusCode.ServiceUnavailable);
    }

    private async Task CancelAsync(TradeNetClient ops, TradeFlow.Town town, Random random)
    {
        var agreed = await ListAsync(town.Client, "/api/matching/trades?status=agreed");
        if (agreed.Count == 0) return;
        var trade = agreed[random.Next(agreed.Count)].GetProperty("id").GetString();
        // 409: goods on the road, or the trade ended meanwhile.
        await CallAsync("cancel", () => ops.Send(HttpMethod.Post, $"/api/matching/trades/{trade}/cancel", new { reason = "random trading" }),
            HttpStatusCode.OK, HttpStatusCode.Conflict);
    }

    /// <summary>The carrier picks up a planned shipment it carries, or the receiving town confirms one on the road.</summary>
    private async Task ShipAsync(TradeFlow.Town town, Random random)
    {
        var deliver = random.Next(2) == 0;
        var shipments = (await ListAsync(town.Client, $"/api/logistics/shipments?status={(deliver ? "pickedUp" : "planned")}"))
            .Where(s => s.GetProperty(deliver ? "toTown" : "carrierTown").GetString() == town.Id).ToList();
        if (shipments.Count == 0) return;
        var shipment = shipments[random.Next(shipments.Count)].GetProperty("id").GetString();
        // 409: the shipment moved on meanwhile (another actor, or its trade was cancelled).
        await CallAsync(deliver ? "delivery" : "pickup",
            () => town.Client.Send(HttpMethod.Post, $"/api/logistics/shipments/{shipment}/{(deliver ? "delivery" : "pickup")}"),
            HttpStatusCode.OK, HttpStatusCode.Conflict);
    }

    private async Task<string?> OwnListingAsync(TradeFlow.Town town, Random random)
    {
        var listings = (await ListAsync(town.Client, $"/api/catalog/listings?town={town.Id}&status=active")).ToList();
        return listings.Count == 0 ? null : listings[random.Next(listings.Count)].GetProperty("id").GetString();
    }

    private async Task<List<JsonElement>> ListAsync(TradeNetClient client, string path)
    {
        HttpResponseMessage response;
        try
        {
            response = await client.Send(HttpMethod.Get, path);
        }
        catch (TaskCanceledException)
        {
            Record($"GET {path}", 0, "no answer", expected: false);
            return [];
        }
        using var _ = response;
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            Record($"GET {path}", response.StatusCode, text, expected: false);
            return [];
        }
        return JsonDocument.Parse(text).RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    private async Task CallAsync(string action, Func<Task<HttpResponseMessage>> call, params HttpStatusCode[] expected)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await call();
            var text = await response.Content.ReadAsStringAsync();
            Record(action, response.StatusCode, text, expected.Contains(response.StatusCode));
        }
        catch (TaskCanceledException) // the client's timeout: no answer is an unexpected answer too
        {
            Record(action, 0, $"no answer in {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s", expected: false);
        }
        finally
        {
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            _slowest.AddOrUpdate(action, ms, (_, was) => Math.Max(was, ms));
        }
    }

    private void Record(string action, HttpStatusCode status, string body, bool expected)
    {
        _answers.AddOrUpdate(string.Create(CultureInfo.InvariantCulture, $"{action} {(int)status}"), 1, (_, n) => n + 1);
        if (!expected) _unexpected.Enqueue(new Unexpected(action, status, body.Length > 500 ? body[..500] : body));
    }
}
