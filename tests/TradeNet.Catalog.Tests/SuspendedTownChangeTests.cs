using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using TradeNet.Catalog.Api;
using TradeNet.Contracts;
using TradeNet.Testing;

namespace TradeNet.Catalog.Tests;

/// <summary>PUT /api/catalog/towns/{id} while a town is suspended: another town cannot take on the suspended town's name at
/// its place by a rename or a move, which registration refuses (SuspendedTownRegistrationTests) and which would hand the
/// suspended town's people a working key under its name; an operator still can.</summary>
public sealed class SuspendedTownChangeTests : IAsyncLifetime
{
    private const string Contact = "operators@tradenet.example";
    private readonly CatalogFactory _factory = new() { ExtraSettings = { ["Catalog:SuspensionContact"] = Contact } };

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _factory.DisposeAsync().AsTask();

    // Saint-Romain-en-Jarez (42283) at the directory's point.
    private const double Lat = 45.56118, Lon = 4.54166;

    private async Task<TownRegistration> RegisterAsync(string name, string? inseeCode, double lat, double lon)
    {
        var response = await _factory.ClientAs(null).PostAsJsonAsync("/api/catalog/towns",
            new RegisterTownRequest(name, lat, lon, inseeCode, ["wine"]));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<TownRegistration>())!;
    }

    private async Task<TownRegistration> SuspendedTownAsync()
    {
        var suspended = await RegisterAsync("Saint-Romain-en-Jarez", "42283", Lat, Lon);
        Assert.Equal(HttpStatusCode.OK, (await _factory.ClientAs(TestSettings.OperatorAuth())
            .PostAsJsonAsync($"/api/catalog/towns/{suspended.Town.Id}/suspension", new { reason = "fraudulent offers" })).StatusCode);
        return suspended;
    }

    private Task<HttpResponseMessage> ChangeAsync(string townId, string name, double lat, double lon, AuthenticationHeaderValue auth) =>
        _factory.ClientAs(auth).PutAsJsonAsync($"/api/catalog/towns/{townId}", new { name, lat, lon, specialties = new[] { "wine" } });

    private async Task<string> ConflictDetailAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;
    }

    [Fact]
    public async Task A_town_renaming_itself_after_a_suspended_town_nearby_is_a_409_and_keeps_its_name()
    {
        var suspended = await SuspendedTownAsync();
        // Registered under another name about 3 km away, as a town evading its suspension would, then renamed.
        var evader = await RegisterAsync("Jarez Co-op", null, Lat + 0.02, Lon + 0.02);

        var detail = await ConflictDetailAsync(await ChangeAsync(evader.Town.Id, "St-Romain-en-Jarez", Lat + 0.02, Lon + 0.02,
            TestSettings.TownAuth(evader.Town.Id)));

        Assert.Contains($"town '{suspended.Town.Id}' (Saint-Romain-en-Jarez)", detail);
        Assert.Contains("by its name", detail);
        Assert.Contains("is suspended", detail);
        Assert.Contains($"Contact {Contact}", detail);
        Assert.Equal("Jarez Co-op", (await _factory.Store.GetTownAsync(evader.Town.Id))!.Name);
        Assert.Equal(0, _factory.PublishedCount<TownChanged>(e => e.TownId == evader.Town.Id));
    }

    [Fact]
    public async Task A_town_of_the_suspended_towns_name_moving_next_to_it_is_a_409_and_stays_where_it_was()
    {
        var suspended = await SuspendedTownAsync();
        // The same name about 55 km north registers (another commune may bear it); moving onto the suspended town does not.
        var evader = await RegisterAsync("Saint-Romain-en-Jarez", null, Lat + 0.5, Lon);

        var detail = await ConflictDetailAsync(await ChangeAsync(evader.Town.Id, "Saint-Romain-en-Jarez", Lat + 0.01, Lon,
            TestSettings.TownAuth(evader.Town.Id)));

        Assert.Contains($"town '{suspended.Town.Id}'", detail);
        Assert.Equal(Lat + 0.5, (await _factory.Store.GetTownAsync(evader.Town.Id))!.Lat);
    }

    [Fact]
    public async Task A_town_that_looked_like_the_suspended_one_before_its_suspension_still_changes_its_details()
    {
        // Registered while the first was active (allowed, and left to operators to review): its own corrections go through.
        var twin = await RegisterAsync("Saint-Romain-en-Jarez", null, Lat + 0.02, Lon);
        await SuspendedTownAsync();

        var moved = await ChangeAsync(twin.Town.Id, "Saint-Romain-en-Jarez", Lat + 0.03, Lon, TestSettings.TownAuth(twin.Town.Id));

        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
    }

    [Fact]
    public async Task An_operator_may_rename_a_town_after_a_suspended_one()
    {
        await SuspendedTownAsync();
        var coop = await RegisterAsync("Jarez Co-op", null, Lat + 0.02, Lon + 0.02);

        var response = await ChangeAsync(coop.Town.Id, "Saint-Romain-en-Jarez", Lat + 0.02, Lon + 0.02, TestSettings.OperatorAuth());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Saint-Romain-en-Jarez", (await _factory.Store.GetTownAsync(coop.Town.Id))!.Name);
    }
}
