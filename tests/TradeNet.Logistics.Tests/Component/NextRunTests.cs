using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Planning;
using TradeNet.Logistics.Storage;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.Component;

/// <summary>"Why did my van get no route?": what the next planning run would offer of a vehicle, asked of logistics.</summary>
/// <remarks>A host per test: the fleet is global to a host.</remarks>
public sealed class NextRunTests : IDisposable
{
    private readonly LogisticsApp app = new();

    public void Dispose() => app.Dispose();

    private async Task<NextRun> NextRunAsync(string vehicle, string town)
    {
        var response = await app.SendAsync(HttpMethod.Get, $"/api/logistics/vehicles/{vehicle}/next-run", TestSettings.TownAuth(town));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<NextRun>(LogisticsApp.Json))!;
    }

    [Fact]
    public async Task An_idle_van_is_offered_as_registered_and_one_sent_out_is_offered_from_its_return()
    {
        var (roanne, lyon, _) = Towns.Fresh();
        var van = await app.RegisterAsync(TestSettings.TownAuth(roanne), Fleet.Van(Towns.Roanne));
        var idle = await NextRunAsync(van.Id, roanne);

        await app.PublishAsync(Towns.SwapBetween(Guid.NewGuid(), roanne, Towns.Roanne, lyon, Towns.Lyon));
        await app.PlanAsync();
        var sent = await NextRunAsync(van.Id, roanne);

        Assert.Equal((NextRun.Free, true, 10.0), (idle.State, idle.Offered, idle.MaxRouteHours!.Value));
        Assert.Equal(NextRun.OnRoute, sent.State);
        Assert.NotNull(sent.From);
        Assert.Contains("On a route until", sent.Message);
    }

    /// <summary>Registered for a week that has since passed (registration refuses a window already over; one ends later):
    /// runs leave it out, and next-run says so rather than "offered as registered".</summary>
    [Fact]
    public async Task A_van_whose_availability_has_ended_is_told_unavailable_as_runs_leave_it_out()
    {
        var (roanne, lyon, _) = Towns.Fresh();
        var now = DateTimeOffset.UtcNow;
        var van = new Vehicle($"veh-{Guid.NewGuid():N}", roanne, Towns.Roanne, "van", 2000, null, true, 0.5, 20, now.AddDays(-8), now.AddDays(-1),
            now.AddDays(-9), now.AddDays(-9));
        await using (var session = await app.Services.GetRequiredService<ILogisticsStore>().BeginAsync())
        {
            await session.AddVehicleAsync(van);
            await session.CommitAsync();
        }
        var trade = Guid.NewGuid();
        await app.PublishAsync(Towns.SwapBetween(trade, roanne, Towns.Roanne, lyon, Towns.Lyon));

        var told = await NextRunAsync(van.Id, roanne);
        await app.PlanAsync();

        Assert.All(await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth()), s => Assert.NotEqual(van.Id, s.VehicleId));
        Assert.Equal((NextRun.Unavailable, false), (told.State, told.Offered));
        Assert.Contains("ended", told.Message);
    }

    /// <summary>Stored before today's limits (a 200 t "van"): runs leave it out (FleetShipmentPlanner logs why), and next-run
    /// says so.</summary>
    [Fact]
    public async Task A_van_stored_with_terms_outside_the_limits_is_told_unavailable_as_runs_leave_it_out()
    {
        var (roanne, _, _) = Towns.Fresh();
        var now = DateTimeOffset.UtcNow;
        var van = new Vehicle($"veh-{Guid.NewGuid():N}", roanne, Towns.Roanne, "van", Vehicle.MaxCapacityKg * 2, null, true, 0.5, 20, null, null,
            now, now);
        await using (var session = await app.Services.GetRequiredService<ILogisticsStore>().BeginAsync())
        {
            await session.AddVehicleAsync(van);
            await session.CommitAsync();
        }

        var told = await NextRunAsync(van.Id, roanne);

        Assert.Equal((NextRun.Unavailable, false), (told.State, told.Offered));
        Assert.Contains("limits", told.Message);
    }

    [Fact]
    public async Task Another_towns_van_is_not_found_as_for_a_read()
    {
        var (roanne, lyon, _) = Towns.Fresh();
        var van = await app.RegisterAsync(TestSettings.TownAuth(roanne), Fleet.Van(Towns.Roanne));

        var response = await app.SendAsync(HttpMethod.Get, $"/api/logistics/vehicles/{van.Id}/next-run", TestSettings.TownAuth(lyon));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
