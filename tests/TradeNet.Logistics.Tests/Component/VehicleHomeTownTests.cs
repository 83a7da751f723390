using System.Net;
using System.Net.Http.Json;
using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using TradeNet.Logistics.Api;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.Component;

/// <summary>The home town an operator names for a vehicle must be a town of the catalog's.</summary>
public class VehicleHomeTownTests(LogisticsApp app) : IClassFixture<LogisticsApp>
{
    [Fact]
    public async Task An_operator_cannot_register_a_vehicle_for_a_town_the_catalog_does_not_know()
    {
        var (unknown, _, _) = Towns.Fresh();

        var response = await app.SendAsync(HttpMethod.Post, "/api/logistics/vehicles", TestSettings.OperatorAuth(), Fleet.Van(Towns.Roanne, homeTown: unknown));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ValidationProblemDetails>();
        Assert.Equal(["no town has this id"], problem!.Errors["homeTown"]);
        Assert.DoesNotContain(await FleetAsync(), v => v.HomeTown == unknown);
    }

    [Fact]
    public async Task An_operator_registers_a_vehicle_for_a_town_the_catalog_knows_after_asking_with_a_deadline()
    {
        var (a, _, _) = Towns.Fresh();
        app.Catalog.Knows(a);

        var before = DateTime.UtcNow;
        var van = await app.RegisterAsync(TestSettings.OperatorAuth(), Fleet.Van(Towns.Roanne, homeTown: $" {a} "));
        var after = DateTime.UtcNow;

        Assert.Equal(a, van.HomeTown);
        var (_, deadline) = Assert.Single(app.Catalog.TownQuestions, q => q.Request.TownIds.Contains(a));
        // HomeTownCheck.Deadline from when it asked, which was during the request: not compared with the time after it,
        // which on a loaded machine can be more than the deadline's 3 s later.
        Assert.InRange(deadline!.Value, before + HomeTownCheck.Deadline, after + HomeTownCheck.Deadline);
    }

    [Theory]
    [InlineData(StatusCode.Unavailable)]
    [InlineData(StatusCode.DeadlineExceeded)]
    [InlineData(StatusCode.Unauthenticated)]
    public async Task When_the_catalog_cannot_answer_an_operators_registration_is_refused_with_503_and_nothing_is_stored(StatusCode outage)
    {
        var (a, _, _) = Towns.Fresh();
        app.Catalog.Knows(a);
        app.Catalog.DownFor(a, outage);

        var response = await app.SendAsync(HttpMethod.Post, "/api/logistics/vehicles", TestSettings.OperatorAuth(), Fleet.Van(Towns.Roanne, homeTown: a));

        await AssertUncheckedAsync(response);
        Assert.DoesNotContain(await FleetAsync(), v => v.HomeTown == a);
    }

    [Fact]
    public async Task A_town_registering_its_own_vehicle_is_not_checked_with_the_catalog()
    {
        var (a, _, _) = Towns.Fresh();
        app.Catalog.DownFor(a);

        await app.RegisterAsync(TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne));
        await app.RegisterAsync(TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne, homeTown: a));

        Assert.DoesNotContain(a, app.Catalog.AskedAbout);
    }

    [Fact]
    public async Task An_invalid_registration_is_refused_before_the_catalog_is_asked()
    {
        var (a, _, _) = Towns.Fresh();

        var response = await app.SendAsync(HttpMethod.Post, "/api/logistics/vehicles", TestSettings.OperatorAuth(),
            Fleet.Van(Towns.Roanne, homeTown: a, capacityKg: 0));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(a, app.Catalog.AskedAbout);
    }

    /// <summary>The home town cannot change on a replace, and was checked when the vehicle was registered.</summary>
    [Fact]
    public async Task Replacing_a_vehicle_does_not_ask_the_catalog_again()
    {
        var (a, _, _) = Towns.Fresh();
        app.Catalog.Knows(a);
        var van = await app.RegisterAsync(TestSettings.OperatorAuth(), Fleet.Van(Towns.Roanne, homeTown: a));
        app.Catalog.DownFor(a);

        var replaced = await app.SendAsync(HttpMethod.Put, $"/api/logistics/vehicles/{van.Id}", TestSettings.OperatorAuth(),
            Fleet.Van(Towns.Roanne, homeTown: a, capacityKg: 900));

        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Single(app.Catalog.TownQuestions, q => q.Request.TownIds.Contains(a));
    }

    internal static async Task AssertUncheckedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Equal("The home town could not be checked with the catalog right now; nothing was stored. Retry shortly.", problem!.Detail);
    }

    private async Task<VehicleView[]> FleetAsync() =>
        (await (await app.SendAsync(HttpMethod.Get, "/api/logistics/vehicles", TestSettings.OperatorAuth())).Content
            .ReadFromJsonAsync<VehicleView[]>(LogisticsApp.Json))!;
}
