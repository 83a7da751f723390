using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;

namespace TradeNet.Integration.Tests.Scenarios;

/// <summary>An operator registers vehicles for towns through the gateway; logistics asks catalog (gRPC
/// <c>GetTowns</c>, with logistics' own service token) whether the named home town exists.</summary>
public static class OperatorVehicles
{
    public static async Task OnlyKnownHomeTownsAreAccepted(TradeFlow flow, string townName, string insee, double lat, double lon)
    {
        var town = await flow.RegisterTown(townName, insee, lat, lon);
        using var ops = flow.Operator();
        // Available only years ahead, and withdrawn at once: no planning run of another scenario can use it.
        object Van(string homeTown) => new
        {
            homeTown, homeLat = lat, homeLon = lon, capacityKg = 500, costPerKm = 0.5, fixedCost = 10,
            availableFrom = DateTimeOffset.UtcNow.AddYears(5),
        };

        var registered = await ops.Post("/api/logistics/vehicles", Van(town.Id), HttpStatusCode.Created);
        var withdrawn = await ops.Send(HttpMethod.Delete, $"/api/logistics/vehicles/{registered.GetProperty("id").GetString()}");
        var unknown = await ops.Send(HttpMethod.Post, "/api/logistics/vehicles", Van("no-such-town"));

        Assert.Equal(town.Id, registered.GetProperty("homeTown").GetString());
        Assert.Equal(HttpStatusCode.NoContent, withdrawn.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("homeTown", (await unknown.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys);
        var fleet = await ops.Get("/api/logistics/vehicles");
        Assert.DoesNotContain(fleet.EnumerateArray(), v => v.GetProperty("homeTown").GetString() == "no-such-town");
    }
}
