using System.Net.Http.Headers;
using System.Net.Http.Json;
using TradeNet.Contracts;
using TradeNet.Shared.Auth;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.Component;

/// <summary>One town at two points in one planning run: legs agreed before and after the town moved keep the points they
/// were agreed on (catalog allows a few moves an hour), and a van's home is wherever its town registered it. The planner
/// knows places by town, so such a run used to fail its own plan check and answer 500 — every run, scheduled ones too,
/// while those legs waited.</summary>
public sealed class TownAtTwoPointsPlanningTests : IDisposable
{
    private readonly LogisticsApp app = new();

    public void Dispose() => app.Dispose();

    private static AuthenticationHeaderValue Auth(string subject, string role) => new("Bearer", TestSettings.TokenFor(subject, role));

    private async Task<Api.PlanningRunView> PlanAsync()
    {
        var response = await app.SendAsync(HttpMethod.Post, "/api/logistics/plans", Auth("ops", Roles.Operator));
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<Api.PlanningRunView>(LogisticsApp.Json))!;
    }

    [Theory]
    [InlineData(0.05)] // 5.5 km: a move within the commune
    [InlineData(0.5)] // 55 km
    public async Task Legs_of_a_town_agreed_before_and_after_it_moved_are_planned_on_one_route_through_both_points(double moved)
    {
        var (roanne, lyon, _) = Towns.Fresh();
        await app.RegisterAsync(Auth(roanne, Roles.Town), new
        {
            homeLat = Towns.Roanne.Lat, homeLon = Towns.Roanne.Lon, capacityKg = 2000, chilled = true, costPerKm = 0.5,
        });
        await app.PublishAsync(Towns.SwapBetween(Guid.NewGuid(), roanne, Towns.Roanne, lyon, Towns.Lyon));
        await app.PublishAsync(Towns.SwapBetween(Guid.NewGuid(), roanne, new TradePoint(Towns.Roanne.Lat + moved, Towns.Roanne.Lon), lyon, Towns.Lyon));

        var run = await PlanAsync();

        var route = await app.RouteAsync(Assert.Single(run.Routes), Auth("ops", Roles.Operator));
        Assert.Equal(4, route.Shipments);
        // Stops name towns, never the planner's places; the van calls at Roanne's two points as two stops.
        Assert.All(route.Stops, s => Assert.Contains(s.TownId, new[] { roanne, lyon }));
        Assert.True(route.Stops.Count(s => s.TownId == roanne && s.Pickups.Length > 0) >= 2,
            string.Join(" → ", route.Stops.Select(s => $"{s.TownId}+{s.Pickups.Length}")));
    }

    [Fact]
    public async Task A_van_based_away_from_its_towns_agreed_point_and_another_of_the_same_town_at_it_are_both_planned()
    {
        var (roanne, lyon, _) = Towns.Fresh();
        foreach (var lat in new[] { Towns.Roanne.Lat + 0.3, Towns.Roanne.Lat })
            await app.RegisterAsync(Auth(roanne, Roles.Town), new
            {
                homeLat = lat, homeLon = Towns.Roanne.Lon, capacityKg = 2000, chilled = true, costPerKm = 0.5,
            });
        await app.PublishAsync(Towns.SwapBetween(Guid.NewGuid(), roanne, Towns.Roanne, lyon, Towns.Lyon));
        await app.PublishAsync(Towns.SwapBetween(Guid.NewGuid(), roanne, new TradePoint(Towns.Roanne.Lat + 0.3, Towns.Roanne.Lon), lyon, Towns.Lyon));

        var run = await PlanAsync();

        Assert.NotEmpty(run.Routes);
        foreach (var id in run.Routes)
            Assert.All((await app.RouteAsync(id, Auth("ops", Roles.Operator))).Stops, s => Assert.Contains(s.TownId, new[] { roanne, lyon }));
    }
}
