using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using TradeNet.Logistics.Api;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.Component;

/// <summary>A vehicle's own shift limit, <c>maxRouteHours</c>: optional, checked, stored and shown.</summary>
public class VehicleRouteHoursTests(LogisticsApp app) : IClassFixture<LogisticsApp>
{
    private static Dictionary<string, object?> Van(object? maxRouteHours) => new()
    {
        ["homeLat"] = Towns.Roanne.Lat, ["homeLon"] = Towns.Roanne.Lon, ["capacityKg"] = 1000.0, ["costPerKm"] = 0.5,
        ["maxRouteHours"] = maxRouteHours,
    };

    [Fact]
    public async Task A_vehicles_maximum_route_hours_are_answered_read_back_and_changed()
    {
        var (a, _, _) = Towns.Fresh();

        var van = await app.RegisterAsync(TestSettings.TownAuth(a), Van(8.5));
        var read = await (await app.SendAsync(HttpMethod.Get, $"/api/logistics/vehicles/{van.Id}", TestSettings.TownAuth(a))).Content
            .ReadFromJsonAsync<VehicleView>(LogisticsApp.Json);
        var changed = await app.SendAsync(HttpMethod.Put, $"/api/logistics/vehicles/{van.Id}", TestSettings.TownAuth(a), Van(6));
        var cleared = await app.SendAsync(HttpMethod.Put, $"/api/logistics/vehicles/{van.Id}", TestSettings.TownAuth(a), Van(null));

        Assert.Equal((8.5, 8.5), (van.MaxRouteHours, read!.MaxRouteHours));
        Assert.Equal(6, (await changed.Content.ReadFromJsonAsync<VehicleView>(LogisticsApp.Json))!.MaxRouteHours);
        Assert.Null((await cleared.Content.ReadFromJsonAsync<VehicleView>(LogisticsApp.Json))!.MaxRouteHours);
    }

    [Fact]
    public async Task A_vehicle_registered_without_maximum_route_hours_shows_none_of_its_own()
    {
        var (a, _, _) = Towns.Fresh();

        var van = await app.RegisterAsync(TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne));

        Assert.Null(van.MaxRouteHours);
    }

    [Fact]
    public async Task A_vehicle_on_the_default_shows_the_limit_planning_applies_to_it_and_its_own_once_given()
    {
        var (a, _, _) = Towns.Fresh();

        var van = await app.RegisterAsync(TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne));
        var listed = await (await app.SendAsync(HttpMethod.Get, "/api/logistics/vehicles", TestSettings.TownAuth(a))).Content
            .ReadFromJsonAsync<VehicleView[]>(LogisticsApp.Json);
        var own = await app.SendAsync(HttpMethod.Put, $"/api/logistics/vehicles/{van.Id}", TestSettings.TownAuth(a), Van(6.5));

        Assert.Equal((null, 10.0), (van.MaxRouteHours, van.EffectiveMaxRouteHours));
        Assert.Equal(10.0, Assert.Single(listed!).EffectiveMaxRouteHours);
        Assert.Equal(6.5, (await own.Content.ReadFromJsonAsync<VehicleView>(LogisticsApp.Json))!.EffectiveMaxRouteHours);
    }

    [Fact]
    public async Task With_the_route_limit_set_off_a_vehicle_on_the_default_shows_no_effective_limit()
    {
        using var unlimited = new LogisticsApp { Settings = { ["Logistics:MaxRouteHours"] = "0" } };
        var (a, _, _) = Towns.Fresh();

        var van = await unlimited.RegisterAsync(TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne));
        var own = await unlimited.RegisterAsync(TestSettings.TownAuth(a), Van(12));

        Assert.Equal((null, null), (van.MaxRouteHours, van.EffectiveMaxRouteHours));
        Assert.Equal(12, own.EffectiveMaxRouteHours);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(-8.0)]
    [InlineData(24.5)]
    [InlineData(1e308)]
    public async Task Maximum_route_hours_outside_one_to_twenty_four_are_refused_naming_the_field_on_registration_and_change(double hours)
    {
        var (a, _, _) = Towns.Fresh();
        var van = await app.RegisterAsync(TestSettings.TownAuth(a), Van(10));

        var registered = await app.SendAsync(HttpMethod.Post, "/api/logistics/vehicles", TestSettings.TownAuth(a), Van(hours));
        var changed = await app.SendAsync(HttpMethod.Put, $"/api/logistics/vehicles/{van.Id}", TestSettings.TownAuth(a), Van(hours));
        var unchanged = await (await app.SendAsync(HttpMethod.Get, $"/api/logistics/vehicles/{van.Id}", TestSettings.TownAuth(a))).Content
            .ReadFromJsonAsync<VehicleView>(LogisticsApp.Json);

        foreach (var response in new[] { registered, changed })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<ValidationProblemDetails>();
            Assert.Equal(["maxRouteHours"], problem!.Errors.Keys);
        }
        Assert.Equal(10, unchanged!.MaxRouteHours);
    }
}
