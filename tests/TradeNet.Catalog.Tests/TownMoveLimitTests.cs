using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using TradeNet.Catalog.Api;
using TradeNet.Contracts;
using TradeNet.Testing;

namespace TradeNet.Catalog.Tests;

/// <summary>A town may move itself at most <c>Catalog:MaxTownMovesPerHour</c> times an hour: each move re-announces all
/// its open listings, so a town moving in a loop would flood matching. Operators correcting a town are not limited.</summary>
public sealed class TownMoveLimitTests : IAsyncLifetime
{
    private const int Limit = 2;
    private readonly CatalogFactory _factory = new() { ExtraSettings = { ["Catalog:MaxTownMovesPerHour"] = $"{Limit}" } };

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _factory.DisposeAsync().AsTask();

    private static object Details(double lat, string name = "Riorges") => new { name, lat, lon = 4.0, specialties = new[] { "wood" } };

    private Task<HttpResponseMessage> ChangeAsync(string townId, object body, AuthenticationHeaderValue auth) =>
        _factory.ClientAs(auth).PutAsJsonAsync($"/api/catalog/towns/{townId}", body);

    private async Task MovedAsync(string townId, double lat, AuthenticationHeaderValue auth) =>
        Assert.Equal(HttpStatusCode.OK, (await ChangeAsync(townId, Details(lat), auth)).StatusCode);

    [Fact]
    public async Task A_town_moving_once_more_than_the_limit_in_an_hour_gets_a_429_with_Retry_After_and_nothing_changes()
    {
        var town = (await _factory.RegisterTownAsync(lat: 45.0, lon: 4.0)).Town.Id;
        var auth = TestSettings.TownAuth(town);
        var offer = await _factory.PublishAsync(town, new { kind = "offer", category = "firewood", quantity = 100 });
        for (var i = 1; i <= Limit; i++) await MovedAsync(town, 45.0 + i / 100.0, auth);
        var before = DateTimeOffset.UtcNow;

        var refused = await ChangeAsync(town, Details(45.5), auth);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        // The oldest of the two moves leaves the hour first: a little under an hour from now.
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromMinutes(55), TimeSpan.FromHours(1));
        var detail = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;
        Assert.Contains($"moved {Limit} times in the last hour", detail);
        var at = DateTimeOffset.Parse(detail.Split("may move again at ")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(at, before + retryAfter.Value - TimeSpan.FromSeconds(5), before + retryAfter.Value + TimeSpan.FromSeconds(5));
        Assert.Equal(45.0 + Limit / 100.0, (await _factory.Store.GetTownAsync(town))!.Lat);
        // One re-announcement per allowed move, none for the refused one.
        Assert.Equal(1 + Limit, (await _factory.ListingAsync(offer.Id)).Version);
        await _factory.PublishedAsync<ListingChanged>(e => e.Listing.Id == offer.Id && e.Listing.Version == 1 + Limit, "the last allowed move");
        Assert.Equal(Limit, _factory.PublishedCount<TownChanged>(e => e.TownId == town));
    }

    [Fact]
    public async Task An_operator_moves_a_town_past_the_limit_and_does_not_use_up_the_towns_own_moves()
    {
        var town = (await _factory.RegisterTownAsync(lat: 45.0, lon: 4.0)).Town.Id;
        var auth = TestSettings.TownAuth(town);

        for (var i = 1; i <= Limit + 1; i++) await MovedAsync(town, 45.0 + i / 100.0, TestSettings.OperatorAuth());
        for (var i = 1; i <= Limit; i++) await MovedAsync(town, 45.5 + i / 100.0, auth);

        Assert.Equal(HttpStatusCode.TooManyRequests, (await ChangeAsync(town, Details(46.0), auth)).StatusCode);
        await MovedAsync(town, 46.0, TestSettings.OperatorAuth());
        Assert.Equal(46.0, (await _factory.Store.GetTownAsync(town))!.Lat);
    }

    [Fact]
    public async Task Renaming_a_town_or_sending_its_position_again_is_not_a_move()
    {
        var town = (await _factory.RegisterTownAsync(lat: 45.0, lon: 4.0)).Town.Id;
        var auth = TestSettings.TownAuth(town);

        for (var i = 0; i <= Limit; i++)
            Assert.Equal(HttpStatusCode.OK, (await ChangeAsync(town, Details(45.0, name: $"Riorges {i}"), auth)).StatusCode);
        for (var i = 1; i <= Limit; i++) await MovedAsync(town, 45.0 + i / 100.0, auth);
        // The position it has, sent again with the last move's body: no move, so no refusal.
        Assert.Equal(HttpStatusCode.OK, (await ChangeAsync(town, Details(45.0 + Limit / 100.0), auth)).StatusCode);

        Assert.Equal(HttpStatusCode.TooManyRequests, (await ChangeAsync(town, Details(45.5), auth)).StatusCode);
    }

    [Fact]
    public async Task Each_town_has_its_own_allowance()
    {
        var (a, b) = ((await _factory.RegisterTownAsync(lat: 45.0, lon: 4.0)).Town.Id, (await _factory.RegisterTownAsync(lat: 45.0, lon: 4.0)).Town.Id);
        for (var i = 1; i <= Limit; i++) await MovedAsync(a, 45.0 + i / 100.0, TestSettings.TownAuth(a));

        await MovedAsync(b, 45.3, TestSettings.TownAuth(b));
    }

    [Theory]
    [InlineData("Catalog:MaxTownMovesPerHour", "0")]
    [InlineData("Catalog:RegistrationKeyLifetime", "00:00:00")]
    [InlineData("Catalog:RegistrationKeyLifetime", "31.00:00:00")]
    [InlineData("Catalog:SuspensionContact", "ops\nINFO forged")]
    [InlineData("Catalog:SuspensionContact", "\u200B")] // a refused town would be told to contact no one it can see
    [InlineData("Catalog:SuspensionContact", "\u202Etset")]
    public async Task A_catalog_setting_out_of_range_stops_the_service_at_start(string key, string value)
    {
        await using var factory = new CatalogFactory { ExtraSettings = { [key] = value } };

        var error = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains(key, error.Message);
    }
}
