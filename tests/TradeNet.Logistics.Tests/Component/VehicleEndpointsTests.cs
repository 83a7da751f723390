using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using TradeNet.Logistics.Api;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.Component;

public class VehicleEndpointsTests(LogisticsApp app) : IClassFixture<LogisticsApp>
{
    [Fact]
    public async Task A_town_registers_a_vehicle_based_at_home_and_reads_it_back()
    {
        var (a, _, _) = Towns.Fresh();

        var van = await app.RegisterAsync(TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne, capacityKg: 1200, costPerKm: 0.4, fixedCost: 15));
        var read = await app.SendAsync(HttpMethod.Get, $"/api/logistics/vehicles/{van.Id}", TestSettings.TownAuth(a));
        var own = await (await app.SendAsync(HttpMethod.Get, "/api/logistics/vehicles", TestSettings.TownAuth(a))).Content
            .ReadFromJsonAsync<VehicleView[]>(LogisticsApp.Json);

        Assert.Equal((a, 1200.0, 0.4, 15.0, true), (van.HomeTown, van.CapacityKg, van.CostPerKm, van.FixedCost, van.Chilled));
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(van, await read.Content.ReadFromJsonAsync<VehicleView>(LogisticsApp.Json));
        Assert.Equal([van.Id], own!.Select(v => v.Id));
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    public async Task Availability_sent_with_an_offset_is_answered_in_UTC_as_it_is_stored_and_read_back(string method)
    {
        var (a, _, _) = Towns.Fresh();
        var van = await app.RegisterAsync(TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne));
        var from = new DateTimeOffset(DateTime.SpecifyKind(DateTime.UtcNow.Date.AddDays(40).AddHours(10), DateTimeKind.Unspecified), TimeSpan.FromHours(14));
        var body = new { homeLat = Towns.Roanne.Lat, homeLon = Towns.Roanne.Lon, capacityKg = 900, costPerKm = 0.5, availableFrom = from, availableUntil = from.AddDays(5) };

        var answer = method == "POST"
            ? await app.SendAsync(HttpMethod.Post, "/api/logistics/vehicles", TestSettings.TownAuth(a), body)
            : await app.SendAsync(HttpMethod.Put, $"/api/logistics/vehicles/{van.Id}", TestSettings.TownAuth(a), body);
        var answered = await answer.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        var read = await (await app.SendAsync(HttpMethod.Get, $"/api/logistics/vehicles/{answered.GetProperty("id").GetString()}",
            TestSettings.TownAuth(a))).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();

        // The answer echoed "+14:00" while every read gave the stored UTC (gateway fuzz): the same instant, spelled twice.
        Assert.Equal(read.GetProperty("availableFrom").GetString(), answered.GetProperty("availableFrom").GetString());
        Assert.Equal(read.GetProperty("availableUntil").GetString(), answered.GetProperty("availableUntil").GetString());
        Assert.EndsWith("+00:00", answered.GetProperty("availableFrom").GetString());
    }

    [Fact]
    public async Task An_operator_registers_a_vehicle_for_a_town_and_must_name_it()
    {
        var (a, _, _) = Towns.Fresh();
        app.Catalog.Knows(a);

        var forTown = await app.RegisterAsync(TestSettings.OperatorAuth(), Fleet.Van(Towns.Lyon, homeTown: a));
        var unnamed = await app.SendAsync(HttpMethod.Post, "/api/logistics/vehicles", TestSettings.OperatorAuth(), Fleet.Van(Towns.Lyon));

        Assert.Equal(a, forTown.HomeTown);
        await AssertFieldAsync(unnamed, "homeTown");
    }

    [Fact]
    public async Task A_town_cannot_register_a_vehicle_for_another_town()
    {
        var (a, b, _) = Towns.Fresh();

        var response = await app.SendAsync(HttpMethod.Post, "/api/logistics/vehicles", TestSettings.TownAuth(a), Fleet.Van(Towns.Lyon, homeTown: b));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("42187\u0000")]
    [InlineData("x")] // repeated to 201 characters below: over the 200 a town id may have
    public async Task A_town_sending_a_home_town_that_is_no_town_id_is_told_the_field_is_bad_not_that_it_is_forbidden(string homeTown)
    {
        var a = Towns.Fresh().A;
        if (homeTown == "x") homeTown = new string('x', VehicleValidation.MaxTownIdLength + 1);

        var response = await app.SendAsync(HttpMethod.Post, "/api/logistics/vehicles", TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne, homeTown: homeTown));

        await AssertFieldAsync(response, "homeTown");
        var listed = await app.SendAsync(HttpMethod.Get, "/api/logistics/vehicles", TestSettings.TownAuth(a));
        Assert.Empty((await listed.Content.ReadFromJsonAsync<VehicleView[]>(LogisticsApp.Json))!);
    }

    [Theory]
    [InlineData("capacityKg", 0.0)]
    [InlineData("capacityKg", -5.0)]
    [InlineData("capacityKg", 5e-324)]
    [InlineData("capacityKg", 0.5)]
    [InlineData("volumeM3", 5e-324)]
    [InlineData("costPerKm", -1.0)]
    [InlineData("fixedCost", -1.0)]
    [InlineData("volumeM3", 0.0)]
    [InlineData("capacityKg", 1e308)]
    [InlineData("costPerKm", 1e308)]
    [InlineData("fixedCost", 1e12)]
    [InlineData("volumeM3", 5000.0)]
    [InlineData("homeLat", 123.0)]
    [InlineData("homeLon", -200.0)]
    public async Task A_vehicle_with_a_bad_field_is_refused_naming_the_field(string field, double value)
    {
        var (a, _, _) = Towns.Fresh();
        var body = new Dictionary<string, object?>
        {
            ["homeLat"] = Towns.Roanne.Lat, ["homeLon"] = Towns.Roanne.Lon, ["capacityKg"] = 1000.0, ["costPerKm"] = 0.5, [field] = value,
        };

        var response = await app.SendAsync(HttpMethod.Post, "/api/logistics/vehicles", TestSettings.TownAuth(a), body);

        await AssertFieldAsync(response, field);
    }

    [Theory]
    [InlineData("name", "van\u001b[2J")]
    [InlineData("name", "van\nroute 7 delivered")]
    [InlineData("homeTown", "42187\u0000")]
    [InlineData("name", "van\u2028route 7 delivered")]
    [InlineData("name", "\u202Enav")]
    [InlineData("name", "\u200B")] // displays as nothing on a route sheet, yet Trim keeps it
    [InlineData("name", "\uFEFF\u00AD")]
    [InlineData("name", "\u0301")]
    [InlineData("homeTown", "\u200B")]
    public async Task A_vehicle_name_or_home_town_with_control_characters_or_nothing_to_read_is_refused_naming_the_field(string field, string value)
    {
        var body = new Dictionary<string, object?>
        {
            ["homeLat"] = Towns.Roanne.Lat, ["homeLon"] = Towns.Roanne.Lon, ["capacityKg"] = 1000.0, ["costPerKm"] = 0.5,
            ["homeTown"] = Towns.Fresh().A, [field] = value,
        };

        var response = await app.SendAsync(HttpMethod.Post, "/api/logistics/vehicles", TestSettings.OperatorAuth(), body);

        await AssertFieldAsync(response, field);
    }

    [Fact]
    public async Task Missing_capacity_cost_and_home_are_each_named()
    {
        var (a, _, _) = Towns.Fresh();

        var response = await app.SendAsync(HttpMethod.Post, "/api/logistics/vehicles", TestSettings.TownAuth(a), new { name = "van" });

        var problem = await AssertFieldAsync(response, "capacityKg");
        Assert.Contains("costPerKm", problem.Errors.Keys);
        Assert.Contains("homeLat", problem.Errors.Keys);
        Assert.Contains("homeLon", problem.Errors.Keys);
    }

    [Fact]
    public async Task An_availability_that_ends_before_it_starts_is_refused()
    {
        var (a, _, _) = Towns.Fresh();
        var start = DateTimeOffset.UtcNow.AddDays(1);

        var response = await app.SendAsync(HttpMethod.Post, "/api/logistics/vehicles", TestSettings.TownAuth(a), new
        {
            homeLat = Towns.Roanne.Lat, homeLon = Towns.Roanne.Lon, capacityKg = 1000, costPerKm = 0.5,
            availableFrom = start, availableUntil = start.AddHours(-1),
        });

        await AssertFieldAsync(response, "availableUntil");
    }

    [Fact]
    public async Task An_availability_that_has_already_ended_is_refused_and_the_vehicle_left_as_it_was()
    {
        var (a, _, _) = Towns.Fresh();
        var ended = new Dictionary<string, object?>
        {
            ["homeLat"] = Towns.Roanne.Lat, ["homeLon"] = Towns.Roanne.Lon, ["capacityKg"] = 1000.0, ["costPerKm"] = 0.5,
            ["availableUntil"] = DateTimeOffset.UtcNow.AddMinutes(-1),
        };

        var registered = await app.SendAsync(HttpMethod.Post, "/api/logistics/vehicles", TestSettings.TownAuth(a), ended);
        var van = await app.RegisterAsync(TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne));
        var replaced = await app.SendAsync(HttpMethod.Put, $"/api/logistics/vehicles/{van.Id}", TestSettings.TownAuth(a), ended);

        Assert.Contains("ended", (await AssertFieldAsync(registered, "availableUntil")).Errors["availableUntil"][0]);
        await AssertFieldAsync(replaced, "availableUntil");
        var kept = await app.SendAsync(HttpMethod.Get, $"/api/logistics/vehicles/{van.Id}", TestSettings.TownAuth(a));
        Assert.Null((await kept.Content.ReadFromJsonAsync<VehicleView>(LogisticsApp.Json))!.AvailableUntil);
    }

    [Fact]
    public async Task A_registration_retried_after_its_availability_ended_still_gets_the_vehicle_it_registered()
    {
        // A host of its own, on a clock of the test's: the first registration lands inside the window however slow the
        // machine (a 2 s window waited out left it racing the window), then the service's clock moves past the window.
        var clock = new ShiftedClock();
        await using var host = new LogisticsApp { TestServices = s => s.AddSingleton<TimeProvider>(clock) };
        var (a, _, _) = Towns.Fresh();
        var until = DateTimeOffset.UtcNow.AddMinutes(1);
        HttpRequestMessage Register(string key)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/logistics/vehicles")
            {
                Content = JsonContent.Create(new { homeLat = Towns.Roanne.Lat, homeLon = Towns.Roanne.Lon, capacityKg = 100, costPerKm = 0.5, availableUntil = until }),
            };
            request.Headers.Authorization = TestSettings.TownAuth(a);
            request.Headers.Add("Idempotency-Key", key);
            return request;
        }

        var first = await host.CreateClient().SendAsync(Register("van-short-window"));
        clock.Shift = until - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1);
        var retry = await host.CreateClient().SendAsync(Register("van-short-window"));
        var fresh = await host.CreateClient().SendAsync(Register("van-short-window-2"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        await AssertFieldAsync(fresh, "availableUntil");
    }

    [Theory]
    [InlineData("availableFrom")]
    [InlineData("availableUntil")]
    public async Task An_availability_too_far_ahead_to_plan_with_is_refused_naming_the_field(string field)
    {
        var (a, _, _) = Towns.Fresh();
        var body = new Dictionary<string, object?>
        {
            ["homeLat"] = Towns.Roanne.Lat, ["homeLon"] = Towns.Roanne.Lon, ["capacityKg"] = 1000.0, ["costPerKm"] = 0.5,
            [field] = new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero),
        };

        var registered = await app.SendAsync(HttpMethod.Post, "/api/logistics/vehicles", TestSettings.TownAuth(a), body);
        var van = await app.RegisterAsync(TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne));
        var replaced = await app.SendAsync(HttpMethod.Put, $"/api/logistics/vehicles/{van.Id}", TestSettings.TownAuth(a), body);

        await AssertFieldAsync(registered, field);
        await AssertFieldAsync(replaced, field);
    }

    [Fact]
    public async Task The_owning_town_changes_its_vehicle_and_to_another_town_it_does_not_exist()
    {
        var (a, b, _) = Towns.Fresh();
        var van = await app.RegisterAsync(TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne));

        var byOther = await app.SendAsync(HttpMethod.Put, $"/api/logistics/vehicles/{van.Id}", TestSettings.TownAuth(b), Fleet.Van(Towns.Roanne, capacityKg: 9));
        var byOwner = await app.SendAsync(HttpMethod.Put, $"/api/logistics/vehicles/{van.Id}", TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne, capacityKg: 3500));
        var moved = await app.SendAsync(HttpMethod.Put, $"/api/logistics/vehicles/{van.Id}", TestSettings.OperatorAuth(), Fleet.Van(Towns.Roanne, homeTown: b));
        var hidden = await app.SendAsync(HttpMethod.Get, $"/api/logistics/vehicles/{van.Id}", TestSettings.TownAuth(b));

        Assert.Equal(HttpStatusCode.NotFound, byOther.StatusCode);
        Assert.DoesNotContain(a, await byOther.Content.ReadAsStringAsync()); // the owner is not named either
        Assert.Equal(HttpStatusCode.OK, byOwner.StatusCode);
        Assert.Equal(3500, (await byOwner.Content.ReadFromJsonAsync<VehicleView>(LogisticsApp.Json))!.CapacityKg);
        await AssertFieldAsync(moved, "homeTown");
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
    }

    [Fact]
    public async Task Only_operators_and_the_owning_town_withdraw_a_vehicle_and_to_another_town_it_does_not_exist()
    {
        var (a, b, _) = Towns.Fresh();
        var first = await app.RegisterAsync(TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne));
        var second = await app.RegisterAsync(TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne));

        var byOther = await app.SendAsync(HttpMethod.Delete, $"/api/logistics/vehicles/{first.Id}", TestSettings.TownAuth(b));
        var byOwner = await app.SendAsync(HttpMethod.Delete, $"/api/logistics/vehicles/{first.Id}", TestSettings.TownAuth(a));
        var byOperator = await app.SendAsync(HttpMethod.Delete, $"/api/logistics/vehicles/{second.Id}", TestSettings.OperatorAuth());
        var gone = await app.SendAsync(HttpMethod.Get, $"/api/logistics/vehicles/{first.Id}", TestSettings.OperatorAuth());

        Assert.Equal(HttpStatusCode.NotFound, byOther.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, byOwner.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, byOperator.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Theory]
    [InlineData("veh-a%0Ab", "veh-a\nb")]
    [InlineData("veh-a%E2%80%AEb", "veh-a\u202Eb")]
    public async Task A_vehicle_id_with_control_characters_is_not_repeated_in_the_404(string path, string decoded)
    {
        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Delete })
        {
            var response = await app.SendAsync(method, $"/api/logistics/vehicles/{path}", TestSettings.OperatorAuth());

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>(LogisticsApp.Json);
            Assert.Equal("No vehicle has that id.", problem!.Detail);
            Assert.DoesNotContain(decoded, problem.Detail);
        }
    }

    [Fact]
    public async Task A_plausible_unknown_vehicle_id_is_named_in_the_404()
    {
        var response = await app.SendAsync(HttpMethod.Get, "/api/logistics/vehicles/veh-unknown", TestSettings.OperatorAuth());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Vehicle veh-unknown was not found.", (await response.Content.ReadFromJsonAsync<ProblemDetails>(LogisticsApp.Json))!.Detail);
    }

    [Fact]
    public async Task An_operator_sees_every_towns_vehicles_and_a_town_only_its_own()
    {
        var (a, b, _) = Towns.Fresh();
        var atA = await app.RegisterAsync(TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne));
        var atB = await app.RegisterAsync(TestSettings.TownAuth(b), Fleet.Van(Towns.Lyon));

        var all = await (await app.SendAsync(HttpMethod.Get, "/api/logistics/vehicles", TestSettings.OperatorAuth())).Content.ReadFromJsonAsync<VehicleView[]>(LogisticsApp.Json);
        var ofB = await (await app.SendAsync(HttpMethod.Get, "/api/logistics/vehicles", TestSettings.TownAuth(b))).Content.ReadFromJsonAsync<VehicleView[]>(LogisticsApp.Json);

        Assert.Contains(all!, v => v.Id == atA.Id);
        Assert.Contains(all!, v => v.Id == atB.Id);
        Assert.Equal([atB.Id], ofB!.Select(v => v.Id));
    }

    private static async Task<ValidationProblemDetails> AssertFieldAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ValidationProblemDetails>();
        Assert.Contains(field, problem!.Errors.Keys);
        return problem;
    }
}
