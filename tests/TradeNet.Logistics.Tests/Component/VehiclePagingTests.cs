using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using TradeNet.Logistics.Api;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.Component;

/// <summary><c>GET /api/logistics/vehicles</c> pages as catalog's lists do: <c>limit</c>, <c>after</c>, <c>Link: next</c>.</summary>
public sealed partial class VehiclePagingTests(LogisticsApp app) : IClassFixture<LogisticsApp>
{
    /// <summary>Follows the <c>Link: rel="next"</c> headers; the ids in order, and how many pages.</summary>
    private async Task<(List<string> Ids, int Pages)> ReadPagesAsync(string first, AuthenticationHeaderValue auth)
    {
        var (ids, pages, next) = (new List<string>(), 0, (string?)first);
        while (next is not null)
        {
            var response = await app.SendAsync(HttpMethod.Get, next, auth);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            ids.AddRange((await response.Content.ReadFromJsonAsync<VehicleView[]>(LogisticsApp.Json))!.Select(v => v.Id));
            pages++;
            next = response.Headers.TryGetValues("Link", out var links) ? NextLink().Match(links.Single()).Groups[1].Value : null;
        }
        return (ids, pages);
    }

    [GeneratedRegex("^<([^>]+)>; rel=\"next\"$")]
    private static partial Regex NextLink();

    private async Task<List<string>> RegisterAsync(string town, int count)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++) ids.Add((await app.RegisterAsync(TestSettings.TownAuth(town), Fleet.Van(Towns.Roanne))).Id);
        return ids;
    }

    [Fact]
    public async Task An_operator_reads_the_whole_fleet_page_by_page_in_home_town_then_id_order()
    {
        var (a, b, _) = Towns.Fresh();
        await RegisterAsync(a, 3);
        await RegisterAsync(b, 2);
        var all = (await (await app.SendAsync(HttpMethod.Get, "/api/logistics/vehicles?limit=1000", TestSettings.OperatorAuth())).Content
            .ReadFromJsonAsync<VehicleView[]>(LogisticsApp.Json))!;

        var (seen, pages) = await ReadPagesAsync("/api/logistics/vehicles?limit=2", TestSettings.OperatorAuth());

        Assert.Equal(all.Select(v => v.Id), seen);
        Assert.Equal(all.OrderBy(v => v.HomeTown, StringComparer.Ordinal).ThenBy(v => v.Id, StringComparer.Ordinal).Select(v => v.Id), seen);
        Assert.Equal((all.Length + 1) / 2, pages); // pages of 2, the last with no Link even when full
    }

    [Fact]
    public async Task A_town_pages_through_its_own_vehicles_only()
    {
        var (a, b, _) = Towns.Fresh();
        var own = await RegisterAsync(a, 3);
        await RegisterAsync(b, 1);

        var (seen, pages) = await ReadPagesAsync("/api/logistics/vehicles?limit=2", TestSettings.TownAuth(a));

        Assert.Equal(own.Order(StringComparer.Ordinal), seen);
        Assert.Equal(2, pages);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("after=veh-nowhere", "after")]
    public async Task A_bad_limit_or_an_unknown_after_is_a_400_naming_it(string query, string field)
    {
        var response = await app.SendAsync(HttpMethod.Get, $"/api/logistics/vehicles?{query}", TestSettings.OperatorAuth());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors should name '{field}': {problem}");
    }

    [Fact]
    public async Task A_walk_goes_on_past_the_vehicle_its_page_ended_on_when_that_vehicle_is_withdrawn()
    {
        var (a, _, _) = Towns.Fresh();
        var own = (await RegisterAsync(a, 4)).Order(StringComparer.Ordinal).ToList();
        var first = await app.SendAsync(HttpMethod.Get, "/api/logistics/vehicles?limit=2", TestSettings.TownAuth(a));
        var next = NextLink().Match(first.Headers.GetValues("Link").Single()).Groups[1].Value;

        Assert.Equal(HttpStatusCode.NoContent, (await app.SendAsync(HttpMethod.Delete, $"/api/logistics/vehicles/{own[1]}", TestSettings.TownAuth(a))).StatusCode);
        var second = await app.SendAsync(HttpMethod.Get, next, TestSettings.TownAuth(a));

        Assert.True(second.StatusCode == HttpStatusCode.OK, $"{next}: {(int)second.StatusCode} {await second.Content.ReadAsStringAsync()}");
        Assert.Equal(own[2..], (await second.Content.ReadFromJsonAsync<VehicleView[]>(LogisticsApp.Json))!.Select(v => v.Id));
        Assert.False(second.Headers.Contains("Link"));
    }

    [Fact]
    public async Task Another_towns_vehicle_as_after_is_refused_as_an_unknown_one()
    {
        var (a, b, _) = Towns.Fresh();
        var theirs = (await RegisterAsync(b, 1))[0];

        var response = await app.SendAsync(HttpMethod.Get, $"/api/logistics/vehicles?after={theirs}", TestSettings.TownAuth(a));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(b, await response.Content.ReadAsStringAsync());
    }
}
