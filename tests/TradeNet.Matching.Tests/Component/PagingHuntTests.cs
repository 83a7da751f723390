using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TradeNet.Contracts;
using TradeNet.Matching.Storage;
using TradeNet.Testing;
using Xunit.Abstractions;

namespace TradeNet.Matching.Tests.Component;

/// <summary>
/// Paging hunt (docs/operations.md): operators and towns walk the trades (all, by status, by town) and the book a page of
/// 1–3 at a time by their Link while, from a seed, listings are published and withdrawn, rounds propose trades (many
/// to the millisecond), operators cancel them and the retention sweep forgets cancelled ones — half the time the very
/// item a walk's last page ended on. Every walk must show each item that matched when it began and was left alone
/// exactly once, and nothing twice (<see cref="PagedWalk"/>); what changed is read from the operator's whole view.
/// </summary>
public sealed class PagingHuntTests(ITestOutputHelper output)
{
    private static readonly string[] Towns = ["town-a", "town-b", "town-c", "town-d"];

    public static TheoryData<int> Seeds => new(SeedList.From("TRADENET_PAGING_SEEDS", "1-6"));

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Walks_of_trades_and_the_book_show_every_item_left_alone_exactly_once_while_others_change(int seed)
    {
        await using var host = new MatchingHost();
        var random = new Random(seed);
        var store = host.Services.GetRequiredService<IMatchingStore>();
        var listings = new List<ListingSnapshot>();
        for (var i = 0; i < 4; i++) listings.AddRange(await SwapAsync(host, random, i));
        await host.RunRoundAsync();

        var walks = new PagedWalks($"seed {seed}", random);
        var active = walks.Active;
        var (changes, swaps) = (0, 4);
        for (var step = 0; step < 100; step++)
        {
            if (await walks.TakeTurnAsync(() =>
            {
                var (path, who, auth) = Pick(random, Queries(random));
                var first = $"{path}{(path.Contains('?') ? '&' : '?')}limit={random.Next(1, 4)}";
                return new WalkStart(first, $"{first} as {who}", url => host.As(auth).GetAsync(url), () => IdsAsync(host.As(auth), first));
            }))
                continue;
            var before = await ViewAsync(host);
            changes++;
            var places = walks.Places.ToList();
            var trades = before.Keys.Where(k => Guid.TryParse(k, out _)).ToList();
            switch (random.Next(5))
            {
                case 0:
                    listings.AddRange(await SwapAsync(host, random, swaps++));
                    break;
                case 1:
                    await host.RunRoundAsync();
                    break;
                case 2 when trades.Count > 0:
                    var trade = places.Where(trades.Contains).ToList() is { Count: > 0 } on && random.Next(2) == 0 ? Pick(random, on) : Pick(random, trades);
                    await host.Operator().PostAsJsonAsync($"/api/matching/trades/{trade}/cancel", new { reason = "paging hunt" });
                    break;
                case 3:
                    await store.ForgetUnagreedTradesAsync(DateTimeOffset.UtcNow.AddDays(1), 1000);
                    break;
                default:
                    var open = listings.Where(l => before.ContainsKey(l.Id)).ToList();
                    if (open.Count == 0) break;
                    var listing = places.Select(p => open.FirstOrDefault(l => l.Id == p)).OfType<ListingSnapshot>().ToList() is { Count: > 0 } held
                        && random.Next(2) == 0 ? Pick(random, held) : Pick(random, open);
                    await host.Publish(new ListingWithdrawn(listing.Id, listing.TownId, listing.Version + 1));
                    await Eventually.True(async () => !(await ViewAsync(host)).ContainsKey(listing.Id), what: $"listing {listing.Id} out of the book");
                    break;
            }
            PagedWalk.MarkTouched(active, before, await ViewAsync(host));
        }
        var problems = await walks.FinishAsync();
        output.WriteLine($"seed {seed}: {walks.All.Count} walks, {walks.Pages} pages, {changes} changes");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private static IReadOnlyList<(string Path, string Who, AuthenticationHeaderValue Auth)> Queries(Random random)
    {
        var town = Pick(random, Towns);
        var ops = TestSettings.OperatorAuth();
        return
        [
            ("/api/matching/trades", "operator", ops), ("/api/matching/trades?status=proposed", "operator", ops),
            ("/api/matching/trades?status=cancelled", "operator", ops), ($"/api/matching/trades?town={town}", "operator", ops),
            ("/api/matching/trades", town, TestSettings.TownAuth(town)), ("/api/matching/book", "operator", ops),
        ];
    }

    /// <summary>A swap of two towns (four listings of equal value), published and in the book.</summary>
    private static async Task<ListingSnapshot[]> SwapAsync(MatchingHost host, Random random, int n)
    {
        var first = Pick(random, Towns);
        var second = Pick(random, Towns.Where(t => t != first).ToList());
        ListingSnapshot[] swap =
        [
            Swap.Listing($"{first}-cheese-{n}", first, "offer", "cheese", 10, 10, 12),
            Swap.Listing($"{second}-cheese-{n}", second, "need", "cheese", 10, 10, 12),
            Swap.Listing($"{second}-wood-{n}", second, "offer", "firewood", 150, 150, 0.8),
            Swap.Listing($"{first}-wood-{n}", first, "need", "firewood", 150, 150, 0.8),
        ];
        await host.PublishListingsAsync(swap);
        return swap;
    }

    /// <summary>What matches the walk's query now, in one page.</summary>
    private static async Task<List<string>> IdsAsync(HttpClient client, string first)
    {
        var all = System.Text.RegularExpressions.Regex.Replace(first, "limit=\\d+", "limit=1000");
        var items = await client.GetFromJsonAsync<JsonElement[]>(all);
        return items!.Select(e => e.GetProperty("id").ToString()).ToList();
    }

    /// <summary>Every trade and book entry as an operator reads them: id → the item.</summary>
    private static async Task<Dictionary<string, string>> ViewAsync(MatchingHost host)
    {
        var view = new Dictionary<string, string>();
        foreach (var path in new[] { "/api/matching/trades?limit=1000", "/api/matching/book?limit=1000" })
            foreach (var item in (await host.Operator().GetFromJsonAsync<JsonElement[]>(path))!)
                view[item.GetProperty("id").ToString()] = item.GetRawText();
        return view;
    }
}
