using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using TradeNet.Contracts;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Storage;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.Component;

/// <summary>A town an operator suspended in catalog carries nobody's goods any more, and registers no vehicle until it
/// is reinstated.</summary>
public class TownSuspensionTests(LogisticsApp app) : IClassFixture<LogisticsApp>
{
    [Fact]
    public async Task A_suspended_towns_vehicles_are_withdrawn_and_other_towns_vehicles_stay()
    {
        var (suspended, other, _) = Towns.Fresh();
        var first = await app.RegisterAsync(TestSettings.TownAuth(suspended), Fleet.Van(Towns.Roanne));
        var second = await app.RegisterAsync(TestSettings.TownAuth(suspended), Fleet.Van(Towns.Roanne));
        var kept = await app.RegisterAsync(TestSettings.TownAuth(other), Fleet.Van(Towns.Lyon));

        await app.PublishAsync(new TownSuspended(suspended, "fraud", DateTimeOffset.UtcNow, []));

        foreach (var gone in new[] { first, second }) Assert.False(await ExistsAsync(gone.Id));
        Assert.True(await ExistsAsync(kept.Id));
    }

    [Fact]
    public async Task A_suspended_town_registering_a_vehicle_with_a_key_gateways_still_pass_is_refused_with_403_naming_the_suspension()
    {
        var (town, _, _) = Towns.Fresh();
        await app.PublishAsync(new TownSuspended(town, "fraud", DateTimeOffset.UtcNow, []));

        var byTown = await app.SendAsync(HttpMethod.Post, "/api/logistics/vehicles", TestSettings.TownAuth(town), Fleet.Van(Towns.Roanne));
        app.Catalog.Knows(town);
        var forTown = await app.SendAsync(HttpMethod.Post, "/api/logistics/vehicles", TestSettings.OperatorAuth(), Fleet.Van(Towns.Roanne, homeTown: town));

        foreach (var refused in new[] { byTown, forTown })
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal(TownStanding.Refusal(town), (await refused.Content.ReadFromJsonAsync<ProblemDetails>(LogisticsApp.Json))!.Detail);
        }
        Assert.Empty(await Store.VehiclesAsync(town));
    }

    [Fact]
    public async Task A_vehicle_of_a_suspended_town_left_from_before_logistics_heard_of_it_cannot_be_changed()
    {
        var (town, _, _) = Towns.Fresh();
        await app.PublishAsync(new TownSuspended(town, "fraud", DateTimeOffset.UtcNow, []));
        var left = await AddDirectlyAsync(town);

        var changed = await app.SendAsync(HttpMethod.Put, $"/api/logistics/vehicles/{left.Id}", TestSettings.TownAuth(town), Fleet.Van(Towns.Roanne, capacityKg: 3000));

        Assert.Equal(HttpStatusCode.Forbidden, changed.StatusCode);
        Assert.Contains("suspended", (await changed.Content.ReadFromJsonAsync<ProblemDetails>(LogisticsApp.Json))!.Detail);
        Assert.Equal(left.CapacityKg, (await Store.VehicleAsync(left.Id))!.CapacityKg);
    }

    [Fact]
    public async Task A_reinstated_town_registers_vehicles_again()
    {
        var (town, _, _) = Towns.Fresh();
        var suspendedAt = DateTimeOffset.UtcNow;
        await app.PublishAsync(new TownSuspended(town, "fraud", suspendedAt, []));

        await app.PublishAsync(new TownReinstated(town, suspendedAt.AddMinutes(5)));

        var van = await app.RegisterAsync(TestSettings.TownAuth(town), Fleet.Van(Towns.Roanne));
        Assert.True(await ExistsAsync(van.Id));
    }

    [Fact]
    public async Task A_suspension_arriving_after_the_later_reinstatement_leaves_the_town_active_and_withdraws_only_vehicles_from_before_it()
    {
        var (town, _, _) = Towns.Fresh();
        var before = await app.RegisterAsync(TestSettings.TownAuth(town), Fleet.Van(Towns.Roanne));
        var reinstatedAt = DateTimeOffset.UtcNow;
        await app.PublishAsync(new TownReinstated(town, reinstatedAt));
        var after = await app.RegisterAsync(TestSettings.TownAuth(town), Fleet.Van(Towns.Roanne));

        await app.PublishAsync(new TownSuspended(town, "fraud", reinstatedAt.AddMinutes(-10), []));

        Assert.False(await ExistsAsync(before.Id));
        Assert.True(await ExistsAsync(after.Id));
        Assert.True(await ExistsAsync((await app.RegisterAsync(TestSettings.TownAuth(town), Fleet.Van(Towns.Roanne))).Id));
    }

    [Fact]
    public async Task A_reinstatement_older_than_the_suspension_heard_of_leaves_the_town_suspended()
    {
        var (town, _, _) = Towns.Fresh();
        var suspendedAt = DateTimeOffset.UtcNow;
        await app.PublishAsync(new TownSuspended(town, "fraud", suspendedAt, []));

        await app.PublishAsync(new TownReinstated(town, suspendedAt.AddMinutes(-10)));

        var refused = await app.SendAsync(HttpMethod.Post, "/api/logistics/vehicles", TestSettings.TownAuth(town), Fleet.Van(Towns.Roanne));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    private ILogisticsStore Store => app.Services.GetRequiredService<ILogisticsStore>();

    private async Task<bool> ExistsAsync(string vehicleId) =>
        (await app.SendAsync(HttpMethod.Get, $"/api/logistics/vehicles/{vehicleId}", TestSettings.OperatorAuth())).StatusCode switch
        {
            HttpStatusCode.OK => true,
            HttpStatusCode.NotFound => false,
            var other => throw new InvalidOperationException($"GET vehicle {vehicleId}: {other}"),
        };

    /// <summary>A vehicle stored as one registered in the moments before logistics heard of the suspension could be,
    /// had the withdrawal missed it.</summary>
    private async Task<Vehicle> AddDirectlyAsync(string town)
    {
        var now = DateTimeOffset.UtcNow;
        var van = new Vehicle($"veh-{Guid.NewGuid():N}", town, Towns.Roanne, "van", 2000, null, true, 0.5, 20, null, null, now, now);
        await using var session = await Store.BeginAsync();
        await session.AddVehicleAsync(van);
        await session.CommitAsync();
        return van;
    }
}
