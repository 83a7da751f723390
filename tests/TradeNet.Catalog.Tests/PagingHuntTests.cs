using System.Net.Http.Json;
using System.Text.Json;
using TradeNet.Testing;
using Xunit.Abstractions;

namespace TradeNet.Catalog.Tests;

/// <summary>
/// Paging hunt (docs/operations.md): clients walk the towns and listings a page of 1–3 at a time by their Link while
/// others register, rename (to names that tie or sort either side), suspend and reinstate towns and publish and withdraw
/// listings, from a seed. Every walk must show each item that matched when it began and was left alone exactly once,
/// and nothing twice (<see cref="PagedWalk"/>).
/// </summary>
public sealed class PagingHuntTests(ITestOutputHelper output)
{
    // Few names, so that renames tie and cross the walks' places both ways.
    private static readonly string[] Names = ["Ambierle", "Balbigny", "Cordelle", "Cordelle", "Roanne", "Zincourt"];

    public static TheoryData<int> Seeds => new(SeedList.From("TRADENET_PAGING_SEEDS", "1-3"));

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Walks_of_towns_and_listings_show_every_item_left_alone_exactly_once_while_others_change(int seed)
    {
        await using var factory = new CatalogFactory();
        var random = new Random(seed);
        var walks = new PagedWalks($"seed {seed}", random);
        var world = new World(factory, random, () => walks.Places);
        for (var i = 0; i < 12; i++) await world.RegisterAsync();
        for (var i = 0; i < 12; i++) await world.PublishAsync();

        for (var step = 0; step < 160; step++)
        {
            if (!await walks.TakeTurnAsync(() =>
            {
                var first = world.Pick(world.Queries()) + $"&limit={world.Random.Next(1, 4)}";
                return new WalkStart(first, first, url => world.Client.GetAsync(url), () => world.IdsAsync(first));
            }))
                foreach (var changed in await world.ChangeAsync())
                foreach (var walk in walks.Active) walk.Touched.Add(changed);
        }
        var problems = await walks.FinishAsync();
        output.WriteLine($"seed {seed}: {walks.All.Count} walks, {walks.Pages} pages, {world.Changes} changes");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>The catalog the walks read and the changes between their pages, all from one seed.</summary>
    private sealed class World(CatalogFactory factory, Random random, Func<IEnumerable<string>> places)
    {
        private readonly Func<IEnumerable<string>> _places = places;
        public Random Random => random;
        public HttpClient Client { get; } = factory.CreateClient();
        private readonly HttpClient _ops = factory.ClientAs(TestSettings.OperatorAuth());
        private readonly List<string> _towns = [];
        private readonly HashSet<string> _suspended = [];
        private readonly List<(string Id, string Town)> _listings = [];
        public int Changes { get; private set; }

        public T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

        public IReadOnlyList<string> Queries() =>
        [
            "/api/catalog/towns?x=1", "/api/catalog/towns?status=active", "/api/catalog/towns?status=suspended",
            "/api/catalog/listings?x=1", "/api/catalog/listings?status=active", "/api/catalog/listings?kind=offer",
            $"/api/catalog/listings?town={Pick(_towns)}",
        ];

        /// <summary>What matches the walk's filter now, in one page.</summary>
        public async Task<List<string>> IdsAsync(string first)
        {
            var all = System.Text.RegularExpressions.Regex.Replace(first, "limit=\\d+", "limit=1000");
            var items = await Client.GetFromJsonAsync<JsonElement[]>(all);
            return items!.Select(e => e.GetProperty("id").GetString()!).ToList();
        }

        public async Task<string> RegisterAsync()
        {
            // Far apart (a degree and more), so no registration rule about a town nearby applies.
            var (lat, lon) = (43 + random.Next(0, 6) + random.NextDouble() * 0.1, random.Next(0, 6) + random.NextDouble() * 0.1);
            var response = await _ops.PostAsJsonAsync("/api/catalog/towns", new { name = Pick(Names), lat, lon, specialties = new[] { "cheese" } });
            response.EnsureSuccessStatusCode();
            var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("town").GetProperty("id").GetString()!;
            _towns.Add(id);
            return id;
        }

        public async Task<string?> PublishAsync()
        {
            var town = Pick(_towns.Where(t => !_suspended.Contains(t)).ToList());
            var kind = random.Next(2) == 0 ? "offer" : "need";
            var response = await factory.ClientAs(TestSettings.TownAuth(town)).PostAsJsonAsync("/api/catalog/listings",
                new { kind, category = "cheese", quantity = 10, minLot = 1, maxDistanceKm = kind == "need" ? 100 : (double?)null });
            if (!response.IsSuccessStatusCode) return null;
            var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            _listings.Add((id, town));
            return id;
        }

        /// <summary>One change; the ids of what it changed.</summary>
        public async Task<IEnumerable<string>> ChangeAsync() => (await ChangeOneAsync()).OfType<string>();

        private async Task<string?[]> ChangeOneAsync()
        {
            Changes++;
            switch (random.Next(6))
            {
                case 0: return [await RegisterAsync()];
                case 1: return [await PublishAsync()];
                case 2:
                {
                    // Half the time the town a walk's last page ended on: its name is the walk's place.
                    var town = _places().Where(_towns.Contains).ToList() is { Count: > 0 } places && random.Next(2) == 0 ? Pick(places) : Pick(_towns);
                    var view = await Client.GetFromJsonAsync<JsonElement>($"/api/catalog/towns/{town}");
                    await _ops.PutAsJsonAsync($"/api/catalog/towns/{town}", new
                    {
                        name = Pick(Names), lat = view.GetProperty("lat").GetDouble(), lon = view.GetProperty("lon").GetDouble(),
                        specialties = new[] { "cheese" },
                    });
                    return [town];
                }
                case 3:
                {
                    var town = Pick(_towns);
                    if (_suspended.Remove(town)) await _ops.DeleteAsync($"/api/catalog/towns/{town}/suspension");
                    else
                    {
                        _suspended.Add(town);
                        await _ops.PostAsJsonAsync($"/api/catalog/towns/{town}/suspension", new { reason = "paging hunt" });
                    }
                    // A suspension withdraws the town's listings too.
                    return [town, .. _listings.Where(l => l.Town == town).Select(l => l.Id)];
                }
                default:
                {
                    if (_listings.Count == 0) return [];
                    var places = _places().Where(p => _listings.Any(l => l.Id == p)).ToList();
                    var id = places.Count > 0 && random.Next(2) == 0 ? Pick(places) : Pick(_listings).Id;
                    await _ops.DeleteAsync($"/api/catalog/listings/{id}");
                    return [id];
                }
            }
        }
    }
}
