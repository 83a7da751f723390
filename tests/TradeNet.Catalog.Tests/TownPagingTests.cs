using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using TradeNet.Catalog.Api;
using TradeNet.Testing;

namespace TradeNet.Catalog.Tests;

/// <summary>A walk of <c>GET /towns</c> by its Link while towns are renamed: the order is by name, which a town (or an
/// operator) can change between two pages. Each test has a catalog of its own, so the pages hold only its towns.</summary>
public sealed partial class TownPagingTests : IAsyncLifetime
{
    private readonly CatalogFactory _factory = new();
    private readonly Dictionary<string, string> _ids = [];

    public async Task InitializeAsync()
    {
        // Far apart, so no registration rule about a town nearby applies.
        foreach (var (name, i) in new[] { "Paging B", "Paging C", "Paging D", "Paging E" }.Select((n, i) => (n, i)))
        {
            var response = await _factory.ClientAs(TestSettings.OperatorAuth()).PostAsJsonAsync("/api/catalog/towns",
                new RegisterTownRequest(name, 44 + i, 2 + i, Specialties: ["cheese"]));
            response.EnsureSuccessStatusCode();
            _ids[name] = (await response.Content.ReadFromJsonAsync<TownRegistration>())!.Town.Id;
        }
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    private async Task RenameAsync(string name, string to)
    {
        var town = (await _factory.CreateClient().GetFromJsonAsync<TownView>($"/api/catalog/towns/{_ids[name]}"))!;
        var response = await _factory.ClientAs(TestSettings.OperatorAuth()).PutAsJsonAsync($"/api/catalog/towns/{town.Id}",
            new { name = to, lat = town.Lat, lon = town.Lon, specialties = town.Specialties });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<(string[] Names, string? Next)> PageAsync(string url)
    {
        var response = await _factory.CreateClient().GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var towns = (await response.Content.ReadFromJsonAsync<TownView[]>())!;
        var next = response.Headers.TryGetValues("Link", out var links) ? NextLink().Match(links.Single()).Groups[1].Value : null;
        return (towns.Select(t => _ids.Single(i => i.Value == t.Id).Key).ToArray(), next);
    }

    [Theory]
    [InlineData("Paging Z")] // past the rest: they were skipped
    [InlineData("Paging A")] // before the page: it came again
    public async Task A_walk_goes_on_where_its_page_ended_when_the_town_it_ended_on_is_renamed(string newName)
    {
        var (first, next) = await PageAsync("/api/catalog/towns?limit=2");
        Assert.Equal(["Paging B", "Paging C"], first);

        await RenameAsync("Paging C", newName);
        var (second, _) = await PageAsync(next!);

        Assert.Equal(["Paging D", "Paging E"], second);
    }

    [Fact]
    public async Task A_town_shown_on_a_page_then_renamed_past_the_walks_place_does_not_come_again()
    {
        var (first, next) = await PageAsync("/api/catalog/towns?limit=2");
        Assert.Equal(["Paging B", "Paging C"], first);

        await RenameAsync("Paging B", "Paging Z");
        var seen = first.ToList();
        while (next is not null)
        {
            (var names, next) = await PageAsync(next);
            seen.AddRange(names);
        }

        Assert.Equal(["Paging B", "Paging C", "Paging D", "Paging E"], seen);
    }

    [Fact]
    public async Task The_last_page_has_no_Link_even_when_it_is_full()
    {
        var (first, next) = await PageAsync("/api/catalog/towns?limit=2");
        var (second, last) = await PageAsync(next!);

        Assert.Equal((2, 2), (first.Length, second.Length));
        Assert.Null(last);
    }

    [Fact]
    public async Task A_Link_replaces_the_walks_place_whatever_case_the_client_wrote_it_in()
    {
        var (_, next) = await PageAsync($"/api/catalog/towns?Limit=1&After={_ids["Paging B"]}");

        Assert.DoesNotContain("After=", next!, StringComparison.Ordinal);
        Assert.Contains("Limit=1", next!, StringComparison.Ordinal);
        Assert.Equal(["Paging D"], (await PageAsync(next!)).Names);
    }

    /// <summary>The Link repeats the client's other parameters (security review of 2026-12-06, a guard): written as they
    /// came, a line break would fail the header (a 500) and a '>' would end the link early and add one of the client's.</summary>
    [Fact]
    public async Task A_Link_repeats_the_clients_other_parameters_encoded_so_none_of_their_text_shapes_the_header()
    {
        var response = await _factory.CreateClient().GetAsync("/api/catalog/towns?limit=1&note=%0D%0ASet-Cookie:%20a=b%3E;%20rel=%22evil%22");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var link = Assert.Single(response.Headers.GetValues("Link"));
        Assert.Matches(NextLink(), link);
        Assert.Contains("note=%0D%0ASet-Cookie", link, StringComparison.Ordinal);
        Assert.DoesNotContain('"', link.Replace("rel=\"next\"", "", StringComparison.Ordinal));
        Assert.Single(Regex.Matches(link, "rel="));
    }

    [GeneratedRegex("^<([^>]+)>; rel=\"next\"$")]
    private static partial Regex NextLink();
}
