using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using TradeNet.Logistics.Api;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.Component;

/// <summary>A carrier whose answer got lost registers its vehicle again: with the same <c>Idempotency-Key</c> it
/// gets the vehicle it registered, not a second one doubling the fleet planning sees.</summary>
public class IdempotentRegistrationTests(LogisticsApp app) : IClassFixture<LogisticsApp>
{
    private Task<HttpResponseMessage> PostAsync(AuthenticationHeaderValue auth, object vehicle, params string[] keys)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/logistics/vehicles") { Content = JsonContent.Create(vehicle) };
        request.Headers.Authorization = auth;
        foreach (var key in keys) request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return app.CreateClient().SendAsync(request);
    }

    private async Task<VehicleView[]> VehiclesOfAsync(string town) =>
        (await (await app.SendAsync(HttpMethod.Get, "/api/logistics/vehicles", TestSettings.OperatorAuth())).Content
            .ReadFromJsonAsync<VehicleView[]>(LogisticsApp.Json))!.Where(v => v.HomeTown == town).ToArray();

    private static async Task<VehicleView> VehicleOf(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<VehicleView>(LogisticsApp.Json))!;
    }

    [Fact]
    public async Task A_vehicle_sent_again_with_the_same_key_comes_back_as_the_one_registered_and_the_fleet_has_one()
    {
        var (a, _, _) = Towns.Fresh();

        var first = await PostAsync(TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne), "retry-me-1");
        // The same terms spelled otherwise (its own town named, the name padded): still the same registration.
        var again = await PostAsync(TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne, homeTown: a, name: " van "), "retry-me-1");

        var (registered, replayed) = (await VehicleOf(first), await VehicleOf(again));
        Assert.Equal(registered, replayed);
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", Assert.Single(again.Headers.GetValues("Idempotent-Replayed")));
        Assert.Equal(registered.Id, Assert.Single(await VehiclesOfAsync(a)).Id);
    }

    [Fact]
    public async Task A_key_reused_for_other_terms_is_a_409_and_registers_nothing()
    {
        var (a, _, _) = Towns.Fresh();
        await VehicleOf(await PostAsync(TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne, capacityKg: 2000), "k-2"));

        var other = await PostAsync(TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne, capacityKg: 2001), "k-2");

        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Contains("Idempotency-Key 'k-2' was used for a vehicle with other terms", await other.Content.ReadAsStringAsync());
        Assert.Single(await VehiclesOfAsync(a));
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("clé")]
    [InlineData("a-key-longer-than-two-hundred-and-fifty-five-characters-0123456789-0123456789-0123456789-0123456789-0123456789-0123456789-0123456789-0123456789-0123456789-0123456789-0123456789-0123456789-0123456789-0123456789-0123456789-0123456789-0123456789-0123456789-0123")]
    public async Task A_malformed_key_is_a_400_naming_the_header_and_registers_nothing(string key)
    {
        var (a, _, _) = Towns.Fresh();

        var response = await PostAsync(TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne), key);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Idempotency-Key", await response.Content.ReadAsStringAsync());
        Assert.Empty(await VehiclesOfAsync(a));
    }

    [Fact]
    public async Task Two_keys_on_one_request_are_a_400_naming_the_header()
    {
        var (a, _, _) = Towns.Fresh();

        var response = await PostAsync(TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne), "one", "two");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Idempotency-Key", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Two_towns_using_the_same_key_each_get_their_own_vehicle()
    {
        var (a, b, _) = Towns.Fresh();

        var ofA = await PostAsync(TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne), "shared-key");
        var ofB = await PostAsync(TestSettings.TownAuth(b), Fleet.Van(Towns.Roanne), "shared-key");

        Assert.NotEqual((await VehicleOf(ofA)).Id, (await VehicleOf(ofB)).Id);
        Assert.False(ofB.Headers.Contains("Idempotent-Replayed"));
        Assert.Single(await VehiclesOfAsync(a));
        Assert.Single(await VehiclesOfAsync(b));
    }

    /// <summary>Both are the token's subject: the role keeps an operator named like a town off that town's keys.</summary>
    [Fact]
    public async Task An_operator_named_like_a_town_does_not_share_the_towns_keys()
    {
        var (a, _, _) = Towns.Fresh();
        app.Catalog.Knows(a);

        var byTown = await PostAsync(TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne, homeTown: a), "same-name");
        var byOperator = await PostAsync(TestSettings.OperatorAuth(a), Fleet.Van(Towns.Roanne, homeTown: a), "same-name");

        Assert.NotEqual((await VehicleOf(byTown)).Id, (await VehicleOf(byOperator)).Id);
        Assert.False(byOperator.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task Six_retries_sent_at_once_with_one_key_register_one_vehicle()
    {
        var (a, _, _) = Towns.Fresh();

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => PostAsync(TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne), "burst")));

        var ids = await Task.WhenAll(answers.Select(async r => (await VehicleOf(r)).Id));
        Assert.Single(ids.Distinct());
        Assert.Equal(5, answers.Count(r => r.Headers.Contains("Idempotent-Replayed")));
        Assert.Single(await VehiclesOfAsync(a));
    }

    /// <summary>Catalog answers none of them until all six have asked, so all six looked the key up before any of
    /// them registered: only the look-up inside the write keeps them to one vehicle.</summary>
    [Fact]
    public async Task Six_retries_that_all_found_the_key_unused_still_register_one_vehicle()
    {
        var (a, _, _) = Towns.Fresh();
        app.Catalog.Knows(a);
        app.Catalog.HoldUntilAsked(a, 6);

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            PostAsync(TestSettings.OperatorAuth(), Fleet.Van(Towns.Roanne, homeTown: a), "held-burst")));

        Assert.Equal(6, app.Catalog.TownQuestions.Count(q => q.Request.TownIds.Contains(a)));
        var ids = await Task.WhenAll(answers.Select(async r => (await VehicleOf(r)).Id));
        Assert.Single(ids.Distinct());
        Assert.Equal(5, answers.Count(r => r.Headers.Contains("Idempotent-Replayed")));
        Assert.Single(await VehiclesOfAsync(a));
    }

    /// <summary>The key's terms include the home town, which catalog confirmed when the vehicle was registered.</summary>
    [Fact]
    public async Task A_replay_by_an_operator_does_not_ask_the_catalog_again_and_is_answered_while_it_is_down()
    {
        var (a, _, _) = Towns.Fresh();
        app.Catalog.Knows(a);
        var first = await VehicleOf(await PostAsync(TestSettings.OperatorAuth(), Fleet.Van(Towns.Roanne, homeTown: a), "ops-retry"));
        app.Catalog.DownFor(a);

        var again = await PostAsync(TestSettings.OperatorAuth(), Fleet.Van(Towns.Roanne, homeTown: a), "ops-retry");

        Assert.Equal(first, await VehicleOf(again));
        Assert.Equal("true", Assert.Single(again.Headers.GetValues("Idempotent-Replayed")));
        Assert.Single(app.Catalog.TownQuestions, q => q.Request.TownIds.Contains(a));
    }

    [Fact]
    public async Task An_operators_key_reused_for_another_home_town_is_a_409_without_asking_the_catalog()
    {
        var (a, b, _) = Towns.Fresh();
        app.Catalog.Knows(a);
        app.Catalog.Knows(b);
        await VehicleOf(await PostAsync(TestSettings.OperatorAuth(), Fleet.Van(Towns.Roanne, homeTown: a), "ops-other-town"));

        var elsewhere = await PostAsync(TestSettings.OperatorAuth(), Fleet.Van(Towns.Roanne, homeTown: b), "ops-other-town");

        Assert.Equal(HttpStatusCode.Conflict, elsewhere.StatusCode);
        Assert.DoesNotContain(b, app.Catalog.AskedAbout);
        Assert.Empty(await VehiclesOfAsync(b));
    }

    [Fact]
    public async Task A_retry_after_the_vehicle_was_withdrawn_is_a_409_and_does_not_register_it_again()
    {
        var (a, _, _) = Towns.Fresh();
        var van = await VehicleOf(await PostAsync(TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne), "late"));
        Assert.Equal(HttpStatusCode.NoContent, (await app.SendAsync(HttpMethod.Delete, $"/api/logistics/vehicles/{van.Id}", TestSettings.TownAuth(a))).StatusCode);

        var late = await PostAsync(TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne), "late");

        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("was withdrawn", await late.Content.ReadAsStringAsync());
        Assert.Empty(await VehiclesOfAsync(a));
    }

    [Fact]
    public async Task Without_a_key_each_registration_is_a_vehicle_of_its_own()
    {
        var (a, _, _) = Towns.Fresh();

        await VehicleOf(await PostAsync(TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne)));
        await VehicleOf(await PostAsync(TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne)));

        Assert.Equal(2, (await VehiclesOfAsync(a)).Length);
    }
}
