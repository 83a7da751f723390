using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using TradeNet.Shared.Hosting;

namespace TradeNet.Integration.Tests.Scenarios;

/// <summary>
/// Towns moved, renamed and given new specialties at random (<c>PUT /api/catalog/towns/{id}</c>, a full replacement:
/// docs/catalog.md "Correcting a town"), by the town itself or an operator, with the answer each change must get:
/// 400 only for a town registered with an INSEE code sent more than 25 km from its commune, 429 (with Retry-After)
/// only for a town's own move past <see cref="MovesPerHour"/>, else 200. One change per town at a time, so what the
/// town holds afterwards is known: the audit compares it with the town's view, and every agreed leg's points with the
/// positions each town has held (<see cref="PositionsOf"/>).
/// </summary>
public sealed class TownPlaces
{
    /// <summary><c>Catalog:MaxTownMovesPerHour</c> as the hosts under test run it (the default).</summary>
    public const int MovesPerHour = 3;

    /// <summary>An INSEE town must stay this close to its commune (<c>CatalogValidation.MaxKmFromKnownTown</c>).</summary>
    public const double MaxKmFromCommune = 25;

    /// <summary>Calls <paramref name="send"/> as <paramref name="by"/> (or an operator when null) and records its answer
    /// against <paramref name="expected"/>, the way the scenario records every action.</summary>
    public delegate Task Call(string action, Trader? by, Func<TradeNetClient, Task<HttpResponseMessage>> send, HttpStatusCode[] expected);

    public sealed class Place(string name, double lat, double lon, string[] specialties, (double Lat, double Lon)? commune)
    {
        public readonly SemaphoreSlim Turn = new(1, 1);
        public string Name = name;
        public double Lat = lat, Lon = lon;
        public string[] Specialties = specialties;
        public readonly double BaseLat = lat, BaseLon = lon;
        public readonly (double Lat, double Lon)? Commune = commune;
        public int OwnMoves;
        public int Renames;
        /// <summary>An answer lost (an outage): the change may have been written, so the move count is not known.</summary>
        public bool Unsure;
        public readonly ConcurrentDictionary<(double, double), byte> Positions = new() { [(lat, lon)] = 0 };
    }

    private readonly ConcurrentDictionary<string, Place> _places = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _problems = new();
    private static readonly string[] Goods = ["cheese", "wine", "wood", "honey", "bread", "fruit"];

    /// <summary>What the answers showed that no status code does (a 429 without Retry-After).</summary>
    public IReadOnlyCollection<string> Problems => _problems;

    public IReadOnlyDictionary<string, Place> Places => _places;

    public void Add(string town, string name, double lat, double lon, (double Lat, double Lon)? commune = null) =>
        _places[town] = new Place(name, lat, lon, [], commune);

    /// <summary>Every position the town has held (or may have, after a lost answer) since it registered.</summary>
    public IReadOnlyCollection<(double Lat, double Lon)> PositionsOf(string town) =>
        _places.TryGetValue(town, out var place) ? [.. place.Positions.Keys] : [];

    /// <summary>The town (or, with <paramref name="byOperator"/>, an operator) moves it a small or larger step, far away
    /// (beyond every need's 200 km) or back home, renames it or changes its specialties — or several at once.</summary>
    public async Task ChangeAsync(Trader town, TradeNetClient ops, bool byOperator, Random random, Call call)
    {
        var place = _places[town.Id];
        await place.Turn.WaitAsync();
        try
        {
            var (lat, lon) = (place.Lat, place.Lon);
            var (name, specialties) = (place.Name, place.Specialties);
            var what = random.Next(10);
            if (what < 7)
                (lat, lon) = Target(place, random);
            if (what >= 5)
            {
                name = $"{place.Name.Split(" r", 2)[0]} r{++place.Renames}";
                specialties = [.. Goods.OrderBy(_ => random.Next()).Take(random.Next(3))];
            }
            var moved = lat != place.Lat || lon != place.Lon;
            var tooFar = place.Commune is { } c && Geo.HaversineKm(c.Lat, c.Lon, lat, lon) > MaxKmFromCommune;
            HttpStatusCode[] expected = tooFar ? [HttpStatusCode.BadRequest]
                : byOperator || !moved || place.OwnMoves < MovesPerHour && !place.Unsure ? [HttpStatusCode.OK]
                : place.Unsure ? [HttpStatusCode.OK, HttpStatusCode.TooManyRequests]
                : [HttpStatusCode.TooManyRequests];
            var action = byOperator ? "town change (operator)" : moved ? "town move" : "town rename";
            if (moved) await NoteAgreedAsync(ops, town.Id);
            HttpStatusCode? answer = null;
            object body = new { name, lat, lon, specialties };
            // An operator sends the town's view back with the changes (id, INSEE code, status and suspension as shown):
            // "a GET's body PUT back with changes works", a suspended town's too.
            if (byOperator && await ViewAsync(ops, town.Id) is { } view)
            {
                view["name"] = name;
                view["lat"] = lat;
                view["lon"] = lon;
                view["specialties"] = new System.Text.Json.Nodes.JsonArray([.. specialties.Select(x => (System.Text.Json.Nodes.JsonNode?)x)]);
                body = view;
            }
            await call(action, byOperator ? null : town, async client =>
            {
                var response = await (byOperator ? ops : client).Send(HttpMethod.Put, $"/api/catalog/towns/{town.Id}", body);
                answer = response.StatusCode;
                // The oldest of the hour's moves leaves it within the hour.
                if (answer == HttpStatusCode.TooManyRequests && response.Headers.RetryAfter?.Delta is not { TotalSeconds: > 0 and <= 3600 })
                    _problems.Enqueue($"{action} of {town.Id}: 429 with Retry-After {response.Headers.RetryAfter}, not within the coming hour");
                return response;
            }, expected);
            switch (answer)
            {
                case HttpStatusCode.OK:
                    (place.Lat, place.Lon, place.Name, place.Specialties) = (lat, lon, name, specialties);
                    place.Positions[(lat, lon)] = 0;
                    if (moved && !byOperator) place.OwnMoves++;
                    break;
                case null or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout:
                    // Lost on the way back (an outage): it may have been written. Read what catalog holds.
                    place.Positions[(lat, lon)] = 0;
                    place.Unsure |= moved && !byOperator;
                    await ResyncAsync(ops, town.Id, place);
                    break;
            }
        }
        finally
        {
            place.Turn.Release();
        }
    }

    /// <summary>The points of the town's agreed trades just before it moves: they must keep them (the audit compares).</summary>
    private async Task NoteAgreedAsync(TradeNetClient ops, string town)
    {
        try
        {
            using var response = await ops.Send(HttpMethod.Get, $"/api/matching/trades?town={town}&status=agreed&limit=1000");
            if (response.StatusCode != HttpStatusCode.OK) return;
            foreach (var trade in JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray())
                _agreedPoints.TryAdd(trade.GetProperty("id").GetString()!, Points(trade));
        }
        catch (Exception ex) when (ex is TaskCanceledException or HttpRequestException)
        {
            // An outage: this move's trades go unnoted.
        }
    }

    /// <summary>Each leg's from and to points, as matching shows them.</summary>
    public static string Points(JsonElement trade) => string.Join("; ", trade.GetProperty("legs").EnumerateArray().Select(l =>
        string.Create(CultureInfo.InvariantCulture,
            $"{l.GetProperty("from").GetProperty("lat").GetDouble()},{l.GetProperty("from").GetProperty("lon").GetDouble()} → {l.GetProperty("to").GetProperty("lat").GetDouble()},{l.GetProperty("to").GetProperty("lon").GetDouble()}")));

    private readonly ConcurrentDictionary<string, string> _agreedPoints = new(StringComparer.Ordinal);

    /// <summary>Trades agreed when one of their towns moved, with their legs' points then.</summary>
    public IReadOnlyDictionary<string, string> AgreedBeforeAMove => _agreedPoints;

    private static async Task<System.Text.Json.Nodes.JsonObject?> ViewAsync(TradeNetClient ops, string town)
    {
        try
        {
            using var response = await ops.Send(HttpMethod.Get, $"/api/catalog/towns/{town}");
            return response.StatusCode == HttpStatusCode.OK
                ? System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject() : null;
        }
        catch (Exception ex) when (ex is TaskCanceledException or HttpRequestException)
        {
            return null; // an outage: the plain body then
        }
    }

    private static (double Lat, double Lon) Target(Place place, Random random)
    {
        double Off(double from, double to) => (random.Next(2) == 0 ? -1 : 1) * (from + (to - from) * random.NextDouble());
        // A town sent far away comes back home with its next move (a mistake corrected), so it does not stay out of
        // every round for the rest of the run.
        var away = Geo.HaversineKm(place.BaseLat, place.BaseLon, place.Lat, place.Lon) > 100;
        var (lat, lon) = (away ? 7 : random.Next(10)) switch
        {
            // A few hundred metres to 2 km from where it is.
            < 5 => (place.Lat + Off(0.003, 0.02), place.Lon + Off(0.003, 0.02)),
            // 10–20 km from home.
            < 7 => (place.BaseLat + Off(0.09, 0.18), place.BaseLon + Off(0.05, 0.1)),
            // Back home.
            < 8 => (place.BaseLat, place.BaseLon),
            // Beyond every need's 200 km (near Paris): proposals through it no longer fit.
            _ => (place.BaseLat + 2.8, place.BaseLon - 1.7),
        };
        (lat, lon) = (Math.Round(lat, 5), Math.Round(lon, 5));
        // Never within a few km of the 25 km line, where rounding could tip the answer.
        if (place.Commune is { } c && Math.Abs(Geo.HaversineKm(c.Lat, c.Lon, lat, lon) - MaxKmFromCommune) < 3)
            lat = Math.Round(c.Lat + 0.4, 5);
        return (lat, lon);
    }

    private static async Task ResyncAsync(TradeNetClient ops, string town, Place place)
    {
        for (var attempt = 0; attempt < 120; attempt++)
        {
            try
            {
                using var response = await ops.Send(HttpMethod.Get, $"/api/catalog/towns/{town}");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var view = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                    place.Name = view.GetProperty("name").GetString()!;
                    (place.Lat, place.Lon) = (view.GetProperty("lat").GetDouble(), view.GetProperty("lon").GetDouble());
                    place.Specialties = [.. view.GetProperty("specialties").EnumerateArray().Select(s => s.GetString()!)];
                    place.Positions[(place.Lat, place.Lon)] = 0;
                    return;
                }
            }
            catch (Exception ex) when (ex is TaskCanceledException or HttpRequestException)
            {
            }
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        throw new InvalidOperationException($"town {town}: not readable within two minutes of a lost change");
    }

    /// <summary>Each town's view as the last change left it: name, position and specialties.</summary>
    public async Task CheckViewsAsync(TradeNetClient ops, List<string> problems)
    {
        foreach (var (id, place) in _places)
        {
            using var response = await ops.Send(HttpMethod.Get, $"/api/catalog/towns/{id}");
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.OK)
            {
                problems.Add($"town {id}: GET answered {(int)response.StatusCode} {text}");
                continue;
            }
            var view = JsonDocument.Parse(text).RootElement;
            var shown = (Name: view.GetProperty("name").GetString(), Lat: view.GetProperty("lat").GetDouble(), Lon: view.GetProperty("lon").GetDouble(),
                Specialties: string.Join(",", view.GetProperty("specialties").EnumerateArray().Select(s => s.GetString())));
            if ((shown.Name, shown.Specialties) != (place.Name, string.Join(",", place.Specialties))
                || !AuditPlaces.Same((shown.Lat, shown.Lon), (place.Lat, place.Lon)))
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"town {id}: its view shows {shown}, its last change made it {(place.Name, place.Lat, place.Lon, string.Join(",", place.Specialties))}"));
        }
    }
}
