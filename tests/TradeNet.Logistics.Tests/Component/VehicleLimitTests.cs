using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using TradeNet.Logistics.Api;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.Component;

/// <summary>A town may have at most <c>Logistics:MaxVehiclesPerTown</c> vehicles, whoever registered them.</summary>
/// <remarks>One host for the class, with a limit of 2; every test uses fresh towns.</remarks>
public sealed class VehicleLimitTests : IDisposable
{
    private const int Limit = 2;
    private readonly LogisticsApp _app = new() { Settings = { ["Logistics:MaxVehiclesPerTown"] = $"{Limit}" } };

    public void Dispose() => _app.Dispose();

    private Task<HttpResponseMessage> PostAsync(AuthenticationHeaderValue auth, object vehicle, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/logistics/vehicles") { Content = JsonContent.Create(vehicle) };
        request.Headers.Authorization = auth;
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        return _app.CreateClient().SendAsync(request);
    }

    private async Task<VehicleView[]> VehiclesOfAsync(string town) =>
        (await (await _app.SendAsync(HttpMethod.Get, "/api/logistics/vehicles", TestSettings.TownAuth(town))).Content
            .ReadFromJsonAsync<VehicleView[]>(LogisticsApp.Json))!;

    [Fact]
    public async Task One_vehicle_more_than_the_limit_is_a_409_saying_to_withdraw_one_and_a_withdrawal_makes_room()
    {
        var (a, _, _) = Towns.Fresh();
        var first = await _app.RegisterAsync(TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne));
        await _app.RegisterAsync(TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne));

        var refused = await PostAsync(TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne));

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var detail = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;
        Assert.Contains($"already has {Limit} vehicles", detail);
        Assert.Contains("withdraw", detail);
        Assert.Equal(Limit, (await VehiclesOfAsync(a)).Length);

        Assert.Equal(HttpStatusCode.NoContent,
            (await _app.SendAsync(HttpMethod.Delete, $"/api/logistics/vehicles/{first.Id}", TestSettings.TownAuth(a))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne))).StatusCode);
    }

    [Fact]
    public async Task Vehicles_an_operator_registers_for_a_town_count_against_that_town()
    {
        var (a, b, _) = Towns.Fresh();
        _app.Catalog.Knows(a);
        _app.Catalog.Knows(b);
        await _app.RegisterAsync(TestSettings.OperatorAuth(), Fleet.Van(Towns.Roanne, homeTown: a));
        await _app.RegisterAsync(TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne));

        var byTown = await PostAsync(TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne));
        var byOperator = await PostAsync(TestSettings.OperatorAuth(), Fleet.Van(Towns.Roanne, homeTown: a));
        var forAnother = await PostAsync(TestSettings.OperatorAuth(), Fleet.Van(Towns.Lyon, homeTown: b));

        Assert.Equal(HttpStatusCode.Conflict, byTown.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, byOperator.StatusCode);
        Assert.Equal(HttpStatusCode.Created, forAnother.StatusCode);
    }

    [Fact]
    public async Task A_replay_of_a_vehicle_already_registered_is_answered_at_the_limit()
    {
        var (a, _, _) = Towns.Fresh();
        var first = await PostAsync(TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne), "van-1");
        await _app.RegisterAsync(TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne));

        var replay = await PostAsync(TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne), "van-1");
        var another = await PostAsync(TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne), "van-2");

        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal("true", Assert.Single(replay.Headers.GetValues("Idempotent-Replayed")));
        Assert.Equal(first.Headers.Location, replay.Headers.Location);
        Assert.Equal(HttpStatusCode.Conflict, another.StatusCode);
    }

    [Fact]
    public async Task Concurrent_registrations_for_one_town_cannot_together_pass_the_limit()
    {
        var (a, _, _) = Towns.Fresh();

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => PostAsync(TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne))));

        Assert.Equal(Limit, answers.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(10 - Limit, answers.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(Limit, (await VehiclesOfAsync(a)).Length);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    public void A_limit_below_one_stops_the_service_from_starting(string limit)
    {
        using var app = new LogisticsApp { Settings = { ["Logistics:MaxVehiclesPerTown"] = limit } };

        var error = Record.Exception(() => app.CreateClient());

        Assert.NotNull(error);
        Assert.Contains("Logistics:MaxVehiclesPerTown", error.ToString(), StringComparison.Ordinal);
    }
}
