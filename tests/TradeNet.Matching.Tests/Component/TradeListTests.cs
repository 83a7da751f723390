using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using TradeNet.Matching.Api;
using TradeNet.Matching.Storage;

namespace TradeNet.Matching.Tests.Component;

public class TradeListTests
{
    /// <summary>Three disjoint swaps between the two towns: one round proposes three trades.</summary>
    private static async Task<Guid[]> ThreeTradesAsync(MatchingHost host)
    {
        var listings = Enumerable.Range(0, 3).SelectMany(i => new[]
        {
            Swap.Listing($"a-cheese-{i}", Swap.A, "offer", "cheese", 10, 10, 12),
            Swap.Listing($"b-cheese-{i}", Swap.B, "need", "cheese", 10, 10, 12),
            Swap.Listing($"b-wood-{i}", Swap.B, "offer", "firewood", 150, 150, 0.8),
            Swap.Listing($"a-wood-{i}", Swap.A, "need", "firewood", 150, 150, 0.8),
        }).ToArray();
        await host.PublishListingsAsync(listings);
        var round = await host.RunRoundAsync();
        Assert.Equal(3, round.Trades);
        return [.. round.TradeIds];
    }

    [Fact]
    public async Task Trades_come_in_pages_each_linking_to_the_next_while_more_follow_for_operators_and_towns_alike()
    {
        await using var host = new MatchingHost();
        var ids = await ThreeTradesAsync(host);

        foreach (var client in new[] { host.Operator(), host.Town(Swap.A) })
        {
            var first = await client.GetAsync("/api/matching/trades?limit=2");
            var page1 = (await first.Content.ReadFromJsonAsync<TradeView[]>(MatchingHost.Json))!;
            var next = first.Headers.GetValues("Link").Single();
            var url = next[1..next.IndexOf('>')];
            var second = await client.GetAsync(url);
            var page2 = (await second.Content.ReadFromJsonAsync<TradeView[]>(MatchingHost.Json))!;

            Assert.Equal(2, page1.Length);
            Assert.Equal($"</api/matching/trades?limit=2&after={page1[^1].Id}&afterCreated={page1[^1].CreatedAt.ToUnixTimeMilliseconds()}>; rel=\"next\"", next);
            Assert.Single(page2);
            Assert.False(second.Headers.Contains("Link"));
            Assert.Equal(ids.Order(), page1.Concat(page2).Select(t => t.Id).Order());
        }
    }

    [Fact]
    public async Task A_walk_goes_on_past_the_trade_its_page_ended_on_when_that_trade_is_forgotten()
    {
        await using var host = new MatchingHost();
        await ThreeTradesAsync(host);
        var ops = host.Operator();
        var all = (await ops.GetFromJsonAsync<TradeView[]>("/api/matching/trades", MatchingHost.Json))!;
        var first = await ops.GetAsync("/api/matching/trades?limit=1");
        var page1 = (await first.Content.ReadFromJsonAsync<TradeView[]>(MatchingHost.Json))!;
        var next = first.Headers.GetValues("Link").Single();

        // Cancelled unagreed, then swept as Matching:UnagreedTradeRetention does once it is old enough.
        var cancel = await ops.PostAsJsonAsync($"/api/matching/trades/{page1[0].Id}/cancel", new { reason = "paging" });
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal(1, await host.Services.GetRequiredService<IMatchingStore>().ForgetUnagreedTradesAsync(DateTimeOffset.UtcNow.AddDays(1), 10));
        var second = await ops.GetAsync(next[1..next.IndexOf('>')]);

        Assert.True(second.StatusCode == HttpStatusCode.OK, $"{next}: {(int)second.StatusCode} {await second.Content.ReadAsStringAsync()}");
        var page2 = (await second.Content.ReadFromJsonAsync<TradeView[]>(MatchingHost.Json))!;
        Assert.Equal([all[0].Id, all[1].Id], [page1[0].Id, Assert.Single(page2).Id]);
    }

    [Theory]
    [InlineData("not-a-trade")]
    [InlineData("6f9619ff-8b86-d011-b42d-00c04fc964ff")]
    public async Task A_page_after_a_trade_that_is_not_one_is_a_400_naming_after(string after)
    {
        await using var host = new MatchingHost();

        var response = await host.Operator().GetAsync($"/api/matching/trades?after={after}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("after", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_town_cannot_page_after_a_trade_it_is_not_part_of()
    {
        await using var host = new MatchingHost();
        var ids = await ThreeTradesAsync(host);

        var response = await host.Town("town-c").GetAsync($"/api/matching/trades?after={ids[0]}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("+3", true)]
    [InlineData("1001", true)]
    [InlineData(" 3 ", false)]
    public async Task The_page_size_is_read_as_every_list_reads_it_trimmed_digits_from_1_to_1000(string limit, bool refused)
    {
        await using var host = new MatchingHost();

        var response = await host.Operator().GetAsync($"/api/matching/trades?limit={Uri.EscapeDataString(limit)}&status=%20proposed%20");

        Assert.Equal(refused ? HttpStatusCode.BadRequest : HttpStatusCode.OK, response.StatusCode);
        if (refused) Assert.Contains("from 1 to 1000", await response.Content.ReadAsStringAsync());
    }
}
