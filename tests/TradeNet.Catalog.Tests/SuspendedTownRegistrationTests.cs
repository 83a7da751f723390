using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using TradeNet.Catalog.Api;
using TradeNet.Contracts;
using TradeNet.Testing;

namespace TradeNet.Catalog.Tests;

/// <summary>POST /api/catalog/towns while a town is suspended: the town cannot come back at once under a new identity (its
/// INSEE code, or its name at the same place), which would hand it a fresh key; an operator still can register it.</summary>
public sealed class SuspendedTownRegistrationTests : IAsyncLifetime
{
    private const string Contact = "operators@tradenet.example";
    private readonly CatalogFactory _factory = new() { ExtraSettings = { ["Catalog:SuspensionContact"] = Contact } };

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _factory.DisposeAsync().AsTask();

    // Saint-Romain-en-Jarez (42283) at the directory's point, and places a few and many km away.
    private const double Lat = 45.56118, Lon = 4.54166;

    private async Task<TownRegistration> RegisterAsync(string name, string? inseeCode, double lat = Lat, double lon = Lon)
    {
        var response = await PostAsync(name, inseeCode, lat, lon);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<TownRegistration>())!;
    }

    private Task<HttpResponseMessage> PostAsync(string name, string? inseeCode, double lat = Lat, double lon = Lon,
        AuthenticationHeaderValue? auth = null) =>
        _factory.ClientAs(auth).PostAsJsonAsync("/api/catalog/towns", new RegisterTownRequest(name, lat, lon, inseeCode, ["wine"]));

    private async Task SuspendAsync(string townId) =>
        Assert.Equal(HttpStatusCode.OK, (await _factory.ClientAs(TestSettings.OperatorAuth())
            .PostAsJsonAsync($"/api/catalog/towns/{townId}/suspension", new { reason = "fraudulent offers" })).StatusCode);

    private async Task<int> TownsNamedAsync(string name) =>
        (await _factory.Store.GetTownsAsync()).Count(t => t.Name == name);

    private static async Task<string> ConflictDetailAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;
    }

    [Fact]
    public async Task A_town_registering_with_a_suspended_towns_INSEE_code_is_a_409_saying_it_is_suspended_and_whom_to_contact()
    {
        var suspended = await RegisterAsync("Saint-Romain-en-Jarez", "42283");
        await SuspendAsync(suspended.Town.Id);

        // Under another name, as a town evading its suspension would.
        var detail = await ConflictDetailAsync(await PostAsync("Jarez Co-op", "42283"));

        Assert.Contains($"town '{suspended.Town.Id}' (Saint-Romain-en-Jarez)", detail);
        Assert.Contains("INSEE code 42283", detail);
        Assert.Contains("is suspended", detail);
        Assert.Contains($"Contact {Contact}", detail);
        Assert.Equal(0, await TownsNamedAsync("Jarez Co-op"));
    }

    [Theory]
    [InlineData("Saint-Romain-en-Jarez")]
    [InlineData("saint romain en jarez")]
    [InlineData("  SAINT-ROMAIN-EN-JAREZ  ")]
    [InlineData("Saint-Rômain-en-Jarez")]
    [InlineData("St-Romain-en-Jarez")]
    [InlineData("SaintRomain en Jarez")]
    public async Task A_town_with_a_suspended_towns_name_a_few_km_away_is_refused_though_it_gives_no_INSEE_code(string name)
    {
        var suspended = await RegisterAsync("Saint-Romain-en-Jarez", "42283");
        await SuspendAsync(suspended.Town.Id);

        // About 3 km north-east of the suspended town.
        var detail = await ConflictDetailAsync(await PostAsync(name, null, Lat + 0.02, Lon + 0.02));

        Assert.Contains($"town '{suspended.Town.Id}'", detail);
        Assert.Contains("by its name", detail);
        Assert.Contains("is suspended", detail);
        Assert.Equal(1, (await _factory.Store.GetTownsAsync()).Count(t => t.InseeCode is null || t.InseeCode == "42283"));
    }

    [Fact]
    public async Task A_town_of_the_same_name_far_from_the_suspended_one_or_another_name_near_it_registers()
    {
        var suspended = await RegisterAsync("Saint-Romain-en-Jarez", "42283");
        await SuspendAsync(suspended.Town.Id);

        var far = await RegisterAsync("Saint-Romain-en-Jarez", null, Lat + 0.5, Lon);   // about 55 km north
        var neighbour = await RegisterAsync("Saint-Christo-en-Jarez", null, Lat + 0.01, Lon);

        Assert.StartsWith("town-", far.Town.Id);
        Assert.StartsWith("town-", neighbour.Town.Id);
    }

    [Fact]
    public async Task A_town_registering_with_an_active_towns_INSEE_code_still_gets_a_generated_id()
    {
        var active = await RegisterAsync("Saint-Romain-en-Jarez", "42283");

        var again = await RegisterAsync("Saint-Romain-en-Jarez", "42283");

        Assert.Equal("42283", active.Town.Id);
        Assert.StartsWith("town-", again.Town.Id);
    }

    [Fact]
    public async Task An_operator_may_register_a_town_that_looks_like_a_suspended_one_and_it_gets_a_generated_id()
    {
        var suspended = await RegisterAsync("Saint-Romain-en-Jarez", "42283");
        await SuspendAsync(suspended.Town.Id);

        var response = await PostAsync("Saint-Romain-en-Jarez", "42283", auth: TestSettings.OperatorAuth());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var registered = (await response.Content.ReadFromJsonAsync<TownRegistration>())!;
        Assert.StartsWith("town-", registered.Town.Id);
        Assert.Equal("active", registered.Town.Status);
        await _factory.PublishedAsync<TownRegistered>(e => e.TownId == registered.Town.Id, "TownRegistered");
    }

    [Fact]
    public async Task A_town_with_its_own_key_is_refused_as_anyone_is()
    {
        var suspended = await RegisterAsync("Saint-Romain-en-Jarez", "42283");
        var other = await RegisterAsync("Ouches", null, 46.01, 3.99);
        await SuspendAsync(suspended.Town.Id);

        var response = await PostAsync("Jarez Co-op", "42283", auth: TestSettings.TownAuth(other.Town.Id));

        await ConflictDetailAsync(response);
    }

    [Fact]
    public async Task Once_reinstated_its_INSEE_code_is_treated_as_an_active_towns_again()
    {
        var suspended = await RegisterAsync("Saint-Romain-en-Jarez", "42283");
        await SuspendAsync(suspended.Town.Id);
        Assert.Equal(HttpStatusCode.OK, (await _factory.ClientAs(TestSettings.OperatorAuth())
            .DeleteAsync($"/api/catalog/towns/{suspended.Town.Id}/suspension")).StatusCode);

        var again = await RegisterAsync("Saint-Romain-en-Jarez", "42283");

        Assert.StartsWith("town-", again.Town.Id);
    }

    [Fact]
    public async Task An_operator_lists_the_suspended_towns_and_those_holding_a_code_without_paging_through_every_town()
    {
        var suspended = await RegisterAsync("Saint-Romain-en-Jarez", "42283");
        await SuspendAsync(suspended.Town.Id);
        var (operatorsOwn, other) = (await PostAsync("Jarez Co-op", "42283", auth: TestSettings.OperatorAuth()),
            await RegisterAsync("Saint-Christo-en-Jarez", null, Lat + 0.01, Lon));
        var coop = (await operatorsOwn.Content.ReadFromJsonAsync<TownRegistration>())!.Town.Id;
        var client = _factory.ClientAs(TestSettings.OperatorAuth());

        async Task<string[]> Ids(string query) =>
            (await client.GetFromJsonAsync<TownView[]>($"/api/catalog/towns?limit=1000&{query}"))!.Select(t => t.Id).ToArray();

        Assert.Equal([suspended.Town.Id], await Ids("status=suspended"));
        Assert.Equal([coop, suspended.Town.Id], await Ids("inseeCode=42283"));
        Assert.Equal([coop], await Ids("inseeCode=42283&status=Active"));
        Assert.Contains(other.Town.Id, await Ids("status=active"));
        Assert.DoesNotContain(suspended.Town.Id, await Ids("status=active"));
    }

    [Theory]
    [InlineData("status=banned", "status")]
    [InlineData("inseeCode=4228", "inseeCode")]
    [InlineData("inseeCode=2C283", "inseeCode")]
    public async Task A_town_list_filter_that_cannot_match_a_town_is_a_400_naming_it(string query, string field)
    {
        var response = await _factory.ClientAs(null).GetAsync($"/api/catalog/towns?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
    }
}
