using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using TradeNet.Contracts;
using TradeNet.Testing;
using Xunit.Abstractions;

namespace TradeNet.Logistics.Tests.Component;

/// <summary>
/// Paging hunt (docs/operations.md): operators and towns walk the vehicles, the shipments and the transfers by status a
/// page of 1–3 at a time by their Link while, from a seed, towns register and withdraw vehicles, are suspended (their
/// vehicles withdrawn) and reinstated, trades are agreed and cancelled and planning runs move legs from pending to
/// planned. Every walk must show each item that matched when it began and was left alone exactly once, and nothing
/// twice (<see cref="PagedWalk"/>). What changed is read, not guessed: the operator's whole view before and after each
/// change.
/// </summary>
public sealed class PagingHuntTests(ITestOutputHelper output)
{
    public static TheoryData<int> Seeds => new(SeedList.From("TRADENET_PAGING_SEEDS", "1-3"));

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Walks_of_vehicles_shipments_and_transfers_show_every_item_left_alone_exactly_once_while_others_change(int seed)
    {
        await using var app = new LogisticsApp();
        var random = new Random(seed);
        var tag = $"s{seed}-{Guid.NewGuid():N}"[..12];
        // Names that sort apart and together: vehicles are listed by home town.
        var towns = new[] { $"a-{tag}", $"m-{tag}", $"m2-{tag}", $"z-{tag}" };
        // A town is at one place (the planner keys distances by town): its vans and its legs start there.
        var place = towns.Zip(new[] { Towns.Roanne, Towns.Lyon, Towns.SaintEtienne, Towns.Tarare }).ToDictionary(p => p.First, p => p.Second);
        var suspended = new HashSet<string>();
        var trades = new List<(Guid Id, TradeAgreed Agreed)>();
        foreach (var town in towns)
            for (var i = 0; i < 3; i++) await app.RegisterAsync(TestSettings.TownAuth(town), Fleet.Van(place[town]));

        var walks = new PagedWalks($"seed {seed}", random);
        var active = walks.Active;
        var (changes, plans) = (0, 0);
        for (var step = 0; step < 120; step++)
        {
            if (await walks.TakeTurnAsync(() =>
            {
                var (path, who, auth) = Pick(random, Queries(towns, random));
                var first = $"{path}{(path.Contains('?') ? '&' : '?')}limit={random.Next(1, 4)}";
                return new WalkStart(first, $"{first} as {who}", url => app.SendAsync(HttpMethod.Get, url, auth), () => IdsAsync(app, first, auth));
            }))
                continue;
            var before = await ViewAsync(app);
            changes++;
            var town = Pick(random, towns);
            switch (random.Next(7))
            {
                case 0 or 1 when !suspended.Contains(town):
                    await app.RegisterAsync(TestSettings.TownAuth(town), Fleet.Van(place[town]));
                    break;
                case 2 when active.Select(w => w.StandsOn).OfType<string>().Where(id => id.StartsWith("veh-", StringComparison.Ordinal)).ToList()
                    is { Count: > 0 } places && random.Next(2) == 0:
                    // The vehicle a walk's last page ended on, withdrawn before the walk reads on.
                    await app.SendAsync(HttpMethod.Delete, $"/api/logistics/vehicles/{Pick(random, places)}", TestSettings.OperatorAuth());
                    break;
                case 2:
                    var vehicles = (await app.SendAsync(HttpMethod.Get, "/api/logistics/vehicles?limit=1000", TestSettings.TownAuth(town)))
                        .Content.ReadFromJsonAsync<JsonElement[]>();
                    if ((await vehicles)!.Select(v => v.GetProperty("id").GetString()).ToList() is { Count: > 0 } own)
                        await app.SendAsync(HttpMethod.Delete, $"/api/logistics/vehicles/{Pick(random, own)}", TestSettings.TownAuth(town));
                    break;
                case 3:
                    if (suspended.Remove(town)) await app.PublishAsync(new TownReinstated(town, DateTimeOffset.UtcNow));
                    else if (suspended.Add(town)) await app.PublishAsync(new TownSuspended(town, "paging hunt", DateTimeOffset.UtcNow, []));
                    break;
                case 4:
                    var other = Pick(random, towns.Where(t => t != town).ToList());
                    var agreed = new TradeAgreed(Guid.NewGuid(),
                    [
                        new TradeLeg(0, town, other, "offer-a", "need-b", "cheese", 40, 400, 40, place[town], place[other], null, null),
                        new TradeLeg(1, other, town, "offer-b", "need-a", "firewood", 2, 400, 900, place[other], place[town], null, null),
                    ]);
                    trades.Add((agreed.TradeId, agreed));
                    await app.PublishAsync(agreed);
                    break;
                case 5 when plans < 6:
                    plans++;
                    await app.PlanAsync();
                    break;
                default:
                    if (trades.Count == 0) break;
                    var (id, trade) = Pick(random, trades);
                    await app.PublishAsync(new TradeCancelled(id, "paging hunt", true, trade.Legs));
                    break;
            }
            PagedWalk.MarkTouched(active, before, await ViewAsync(app));
        }
        var problems = await walks.FinishAsync();
        var end = await ViewAsync(app);
        output.WriteLine($"seed {seed}: {walks.All.Count} walks, {walks.Pages} pages, {changes} changes, {plans} planning runs; " +
            $"{end.Count(e => e.Value.Contains("\"vehicleId\"", StringComparison.Ordinal))} shipments at the end");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private static IReadOnlyList<(string Path, string Who, AuthenticationHeaderValue Auth)> Queries(string[] towns, Random random)
    {
        var name = Pick(random, towns);
        var (town, ops) = (TestSettings.TownAuth(name), TestSettings.OperatorAuth());
        return
        [
            ("/api/logistics/vehicles", "operator", ops), ("/api/logistics/vehicles", name, town),
            ("/api/logistics/shipments", "operator", ops), ("/api/logistics/shipments?status=planned", "operator", ops),
            ("/api/logistics/shipments", name, town), ("/api/logistics/transfers?status=pending", "operator", ops),
            ("/api/logistics/transfers?status=planned", "operator", ops), ("/api/logistics/transfers?status=cancelled", "operator", ops),
        ];
    }

    /// <summary>What matches the walk's query now, in one page.</summary>
    private static async Task<List<string>> IdsAsync(LogisticsApp app, string first, AuthenticationHeaderValue auth)
    {
        var all = System.Text.RegularExpressions.Regex.Replace(first, "limit=\\d+", "limit=1000");
        var items = await (await app.SendAsync(HttpMethod.Get, all, auth)).Content.ReadFromJsonAsync<JsonElement[]>();
        return items!.Select(e => e.GetProperty("id").ToString()).ToList();
    }

    /// <summary>Every vehicle, shipment and transfer as an operator reads them: id → what a list's filters look at.</summary>
    private static async Task<Dictionary<string, string>> ViewAsync(LogisticsApp app)
    {
        var view = new Dictionary<string, string>();
        var ops = TestSettings.OperatorAuth();
        var paths = new[] { "/api/logistics/vehicles?limit=1000", "/api/logistics/shipments?limit=1000" }
            .Concat(new[] { "pending", "planned", "held", "cancelled", "delivered" }.Select(s => $"/api/logistics/transfers?status={s}&limit=1000"));
        foreach (var path in paths)
            foreach (var item in (await (await app.SendAsync(HttpMethod.Get, path, ops)).Content.ReadFromJsonAsync<JsonElement[]>())!)
                view[item.GetProperty("id").ToString()] = item.GetRawText();
        return view;
    }
}
