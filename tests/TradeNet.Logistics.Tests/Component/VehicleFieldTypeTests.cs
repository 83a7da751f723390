using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.Component;

/// <summary>A number field sent as text, a boolean or a list is named in <c>errors</c>, as a number out of range is:
/// a client reads every field problem in one place.</summary>
public class VehicleFieldTypeTests(LogisticsApp app) : IClassFixture<LogisticsApp>
{
    private static Dictionary<string, object?> Van(string field, object? value)
    {
        var van = new Dictionary<string, object?>
        {
            ["homeLat"] = Towns.Roanne.Lat, ["homeLon"] = Towns.Roanne.Lon, ["capacityKg"] = 1000.0, ["costPerKm"] = 0.5,
        };
        van[field] = value;
        return van;
    }

    public static TheoryData<string, object?> WrongTypes => new()
    {
        { "capacityKg", "abc" }, { "capacityKg", true }, { "maxRouteHours", new object[0] }, { "costPerKm", "0.5" },
        { "workingHours", "07:00-18:00" }, { "workingHours", 8 },
    };

    [Theory]
    [MemberData(nameof(WrongTypes))]
    public async Task A_number_field_of_the_wrong_type_is_named_in_errors_on_registration_and_change(string field, object? value)
    {
        var (a, _, _) = Towns.Fresh();
        var van = await app.RegisterAsync(TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne));

        var registered = await app.SendAsync(HttpMethod.Post, "/api/logistics/vehicles", TestSettings.TownAuth(a), Van(field, value));
        var changed = await app.SendAsync(HttpMethod.Put, $"/api/logistics/vehicles/{van.Id}", TestSettings.TownAuth(a), Van(field, value));

        foreach (var response in new[] { registered, changed })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<ValidationProblemDetails>();
            Assert.Equal([field], problem!.Errors.Keys);
            Assert.Equal($"Field '{field}' has an invalid value.", problem.Detail);
        }
    }

    [Fact]
    public async Task A_number_out_of_range_and_one_of_the_wrong_type_read_alike()
    {
        var (a, _, _) = Towns.Fresh();

        var outOfRange = await app.SendAsync(HttpMethod.Post, "/api/logistics/vehicles", TestSettings.TownAuth(a), Van("capacityKg", -5));
        var wrongType = await app.SendAsync(HttpMethod.Post, "/api/logistics/vehicles", TestSettings.TownAuth(a), Van("capacityKg", "abc"));

        var (range, type) = (await outOfRange.Content.ReadFromJsonAsync<ValidationProblemDetails>(), await wrongType.Content.ReadFromJsonAsync<ValidationProblemDetails>());
        Assert.Equal((400, "Invalid request", "capacityKg"), (range!.Status!.Value, range.Title!, Assert.Single(range.Errors.Keys)));
        Assert.Equal((400, "Invalid request", "capacityKg"), (type!.Status!.Value, type.Title!, Assert.Single(type.Errors.Keys)));
    }
}
