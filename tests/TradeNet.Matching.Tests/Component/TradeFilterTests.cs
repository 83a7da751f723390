using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using TradeNet.Matching.Api;
using TradeNet.Testing;

namespace TradeNet.Matching.Tests.Component;

public class TradeFilterTests
{
    private const string C = "town-c";

    /// <summary>Two swaps in one round: A with B (cheese for firewood) and A with C (honey for wool). No category links B and
    /// C, so no cycle joins the three.</summary>
    private static async Task<(Guid WithB, Guid WithC)> TwoSwapsAsync(MatchingHost host)
    {
        await host.PublishListingsAsync(
            Swap.Listing("a-cheese", Swap.A, "offer", "cheese", 10, 10, 12),
            Swap.Listing("b-cheese", Swap.B, "need", "cheese", 10, 10, 12),
            Swap.Listing("b-wood", Swap.B, "offer", "firewood", 150, 150, 0.8),
            Swap.Listing("a-wood", Swap.A, "need", "firewood", 150, 150, 0.8),
            Swap.Listing("a-honey", Swap.A, "offer", "honey", 10, 10, 12),
            Swap.Listing("c-honey", C, "need", "honey", 10, 10, 12),
            Swap.Listing("c-wool", C, "offer", "wool", 150, 150, 0.8),
            Swap.Listing("a-wool", Swap.A, "need", "wool", 150, 150, 0.8));
        var round = await host.RunRoundAsync();
        Assert.Equal(2, round.Trades);
        var trades = await Task.WhenAll(round.TradeIds.Select(host.TradeAsync));
        return (trades.Single(t => t.Legs.Any(l => l.ToTown == Swap.B)).Id, trades.Single(t => t.Legs.Any(l => l.ToTown == C)).Id);
    }

    private static async Task<Guid[]> IdsAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync($"/api/matching/trades?{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<TradeView[]>(MatchingHost.Json))!.Select(t => t.Id).Order().ToArray();
    }

    [Fact]
    public async Task An_operator_finds_the_trades_a_town_gives_or_receives_on_and_those_using_a_listing_as_offer_or_need()
    {
        await using var host = new MatchingHost();
        var (withB, withC) = await TwoSwapsAsync(host);
        var ops = host.Operator();

        Assert.Equal([withB], await IdsAsync(ops, "town=town-b"));
        Assert.Equal([withC], await IdsAsync(ops, "town=%20town-c%20"));
        Assert.Equal(new[] { withB, withC }.Order(), await IdsAsync(ops, "town=town-a"));
        Assert.Equal([withB], await IdsAsync(ops, "listing=b-wood"));
        Assert.Equal([withC], await IdsAsync(ops, "listing=c-honey"));
        Assert.Equal([withC], await IdsAsync(ops, "town=town-a&listing=a-wool"));
        Assert.Empty(await IdsAsync(ops, "town=town-b&listing=a-wool"));
    }

    [Fact]
    public async Task Unknown_towns_and_listings_are_simply_empty_lists()
    {
        await using var host = new MatchingHost();
        await TwoSwapsAsync(host);

        Assert.Empty(await IdsAsync(host.Operator(), "town=nowhere"));
        Assert.Empty(await IdsAsync(host.Operator(), "listing=no-such-listing"));
    }

    [Fact]
    public async Task The_filters_combine_with_the_status_and_pages_keep_them_in_their_link()
    {
        await using var host = new MatchingHost();
        var (withB, withC) = await TwoSwapsAsync(host);
        var ops = host.Operator();
        var cancel = await ops.PostAsJsonAsync($"/api/matching/trades/{withC}/cancel", new { reason = "town-c suspended" });
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);

        Assert.Equal([withC], await IdsAsync(ops, "town=town-a&status=cancelled"));
        Assert.Equal([withB], await IdsAsync(ops, "town=town-a&status=proposed"));
        Assert.Empty(await IdsAsync(ops, "listing=c-wool&status=proposed"));

        var first = await ops.GetAsync("/api/matching/trades?town=town-a&limit=1");
        var page1 = (await first.Content.ReadFromJsonAsync<TradeView[]>(MatchingHost.Json))!;
        var link = first.Headers.GetValues("Link").Single();
        Assert.Equal($"</api/matching/trades?town=town-a&limit=1&after={page1[0].Id}&afterCreated={page1[0].CreatedAt.ToUnixTimeMilliseconds()}>; rel=\"next\"", link);
        var page2 = (await ops.GetFromJsonAsync<TradeView[]>(link[1..link.IndexOf('>')], MatchingHost.Json))!;
        Assert.Equal(new[] { withB, withC }.Order(), page1.Concat(page2).Select(t => t.Id).Order());
    }

    [Fact]
    public async Task For_a_town_the_filters_narrow_its_own_trades_so_another_towns_id_gives_its_trades_with_that_town()
    {
        await using var host = new MatchingHost();
        var (withB, withC) = await TwoSwapsAsync(host);

        Assert.Equal([withB], await IdsAsync(host.Town(Swap.B), "town=town-a"));
        Assert.Equal([withB], await IdsAsync(host.Town(Swap.B), "town=town-b"));
        Assert.Empty(await IdsAsync(host.Town(Swap.B), "town=town-c"));
        Assert.Equal(new[] { withB, withC }.Order(), await IdsAsync(host.Town(Swap.A), "town=town-a"));
        // Another town's listing in a trade the caller is not part of stays hidden.
        Assert.Empty(await IdsAsync(host.Town(Swap.B), "listing=c-wool"));
        Assert.Equal([withC], await IdsAsync(host.Town(C), "listing=a-honey"));
    }

    [Theory]
    [InlineData("town=", "town")]
    [InlineData("town=%20%20", "town")]
    [InlineData("listing=", "listing")]
    [InlineData("listing=%09", "listing")]
    [InlineData("listing=a%07b", "listing")]
    [InlineData("town=LONG", "town")]
    [InlineData("listing=LONG", "listing")]
    public async Task A_blank_or_overlong_town_or_listing_is_a_400_naming_it(string query, string field)
    {
        await using var host = new MatchingHost();

        foreach (var client in new[] { host.Operator(), host.Town(Swap.A) })
        {
            var response = await client.GetAsync($"/api/matching/trades?{query.Replace("LONG", new string('x', 201))}");

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!;
            Assert.Equal([field], problem.Errors.Keys);
        }
    }

    [Fact]
    public async Task An_id_of_200_characters_is_taken()
    {
        await using var host = new MatchingHost();

        Assert.Empty(await IdsAsync(host.Operator(), $"town={new string('x', 200)}&listing={new string('y', 200)}"));
    }

    [Fact]
    public async Task The_api_document_describes_the_town_and_listing_filters()
    {
        await using var host = new MatchingHost();
        var document = await ApiDocument.FetchAsync(host.CreateClient(), "matching");

        var parameters = document.Operation("GET", "/api/matching/trades").GetProperty("parameters").EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!, p => p);

        Assert.Equal("query", parameters["town"].GetProperty("in").GetString());
        Assert.Contains("leg from or to this town", parameters["town"].GetProperty("description").GetString());
        Assert.Equal("query", parameters["listing"].GetProperty("in").GetString());
        Assert.Contains("offer or the need", parameters["listing"].GetProperty("description").GetString());
    }
}
