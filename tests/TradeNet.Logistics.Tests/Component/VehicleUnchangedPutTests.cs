using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using TradeNet.Logistics.Api;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Planning;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.Component;

/// <summary>A <c>PUT</c> that sends a vehicle back as it is (a client retrying after a lost answer, a script that keeps a
/// fleet's terms in place) changes nothing, so it must not count as a change: a planning run solving meanwhile keeps the
/// route it planned on that vehicle, and the vehicle's <c>updatedAt</c> stays.</summary>
public class VehicleUnchangedPutTests
{
    /// <summary>Runs the real planner, then whatever the test does while the run has not written yet.</summary>
    private sealed class Meanwhile(FleetShipmentPlanner real) : IShipmentPlanner
    {
        public Func<Task>? WhileSolving { get; set; }

        public async Task<IReadOnlyList<PlannedShipment>> PlanAsync(IReadOnlyList<TransferOrder> pending, PlanningContext ctx, CancellationToken ct)
        {
            var planned = await real.PlanAsync(pending, ctx, ct);
            if (WhileSolving is { } act) await act();
            return planned;
        }

        public DateTimeOffset? ReadyBefore(PlanningContext ctx) => real.ReadyBefore(ctx);
    }

    [Fact]
    public async Task A_vehicle_put_back_unchanged_while_a_run_solves_keeps_the_route_the_run_planned_on_it()
    {
        using var app = new LogisticsApp
        {
            TestServices = s => s.AddSingleton<FleetShipmentPlanner>().AddSingleton<Meanwhile>()
                .AddSingleton<IShipmentPlanner>(sp => sp.GetRequiredService<Meanwhile>()),
        };
        var (roanne, lyon, _) = Towns.Fresh();
        var terms = Fleet.Van(Towns.Roanne);
        var van = await app.RegisterAsync(TestSettings.TownAuth(roanne), terms);
        var trade = Guid.NewGuid();
        await app.PublishAsync(Towns.SwapBetween(trade, roanne, Towns.Roanne, lyon, Towns.Lyon));
        HttpResponseMessage? put = null;
        app.Services.GetRequiredService<Meanwhile>().WhileSolving = async () =>
            put = await app.SendAsync(HttpMethod.Put, $"/api/logistics/vehicles/{van.Id}", TestSettings.TownAuth(roanne), terms);

        var run = await app.PlanAsync();

        Assert.Equal(HttpStatusCode.OK, put!.StatusCode);
        Assert.Equal(0, run.Skipped);
        Assert.Equal(van.UpdatedAt, (await put.Content.ReadFromJsonAsync<VehicleView>(LogisticsApp.Json))!.UpdatedAt);
        Assert.All(await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth()), s => Assert.Equal(van.Id, s.VehicleId));
    }

    [Fact]
    public async Task A_vehicle_put_with_a_change_is_still_written_and_the_run_solving_meanwhile_leaves_it_for_the_next()
    {
        using var app = new LogisticsApp
        {
            TestServices = s => s.AddSingleton<FleetShipmentPlanner>().AddSingleton<Meanwhile>()
                .AddSingleton<IShipmentPlanner>(sp => sp.GetRequiredService<Meanwhile>()),
        };
        var (roanne, lyon, _) = Towns.Fresh();
        var van = await app.RegisterAsync(TestSettings.TownAuth(roanne), Fleet.Van(Towns.Roanne));
        var trade = Guid.NewGuid();
        await app.PublishAsync(Towns.SwapBetween(trade, roanne, Towns.Roanne, lyon, Towns.Lyon));
        HttpResponseMessage? put = null;
        app.Services.GetRequiredService<Meanwhile>().WhileSolving = async () =>
            put = await app.SendAsync(HttpMethod.Put, $"/api/logistics/vehicles/{van.Id}", TestSettings.TownAuth(roanne),
                Fleet.Van(Towns.Roanne, costPerKm: 0.9));

        var run = await app.PlanAsync();

        Assert.Equal(HttpStatusCode.OK, put!.StatusCode);
        var changed = (await put.Content.ReadFromJsonAsync<VehicleView>(LogisticsApp.Json))!;
        Assert.Equal(0.9, changed.CostPerKm);
        Assert.True(changed.UpdatedAt > van.UpdatedAt);
        Assert.Equal(2, run.Skipped);
    }

    [Fact]
    public async Task Another_town_putting_a_vehicle_back_unchanged_is_refused_as_for_any_change()
    {
        using var app = new LogisticsApp();
        var (roanne, lyon, _) = Towns.Fresh();
        var terms = Fleet.Van(Towns.Roanne);
        var van = await app.RegisterAsync(TestSettings.TownAuth(roanne), terms);

        var put = await app.SendAsync(HttpMethod.Put, $"/api/logistics/vehicles/{van.Id}", TestSettings.TownAuth(lyon), terms);

        Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);
    }

    [Fact]
    public async Task A_vehicle_put_back_with_its_times_in_another_offset_and_its_working_hours_as_read_writes_nothing()
    {
        using var app = new LogisticsApp();
        var roanne = Towns.Fresh().A;
        var from = DateTimeOffset.UtcNow.AddDays(1);
        var until = from.AddDays(30);
        var hours = new { start = "08:00", end = "17:00", timeZone = "Europe/Paris", days = new[] { "mon", "tue" } };
        var van = await app.RegisterAsync(TestSettings.TownAuth(roanne), new
        {
            homeLat = Towns.Roanne.Lat, homeLon = Towns.Roanne.Lon, name = "van", capacityKg = 2000, chilled = true, costPerKm = 0.5,
            fixedCost = 20, availableFrom = from, availableUntil = until, workingHours = hours,
        });

        // The same instants written at +05:30, the working days as GET lists them (upper case, as a person may type them).
        var put = await app.SendAsync(HttpMethod.Put, $"/api/logistics/vehicles/{van.Id}", TestSettings.TownAuth(roanne), new
        {
            homeLat = Towns.Roanne.Lat, homeLon = Towns.Roanne.Lon, name = " van ", capacityKg = 2000, chilled = true, costPerKm = 0.5,
            fixedCost = 20, availableFrom = van.AvailableFrom!.Value.ToOffset(TimeSpan.FromMinutes(330)),
            availableUntil = van.AvailableUntil!.Value.ToOffset(TimeSpan.FromMinutes(330)),
            workingHours = new { start = "08:00", end = "17:00", timeZone = "Europe/Paris", days = new[] { "MON", "Tue" } },
        });

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var again = (await put.Content.ReadFromJsonAsync<VehicleView>(LogisticsApp.Json))!;
        Assert.Equal(van.UpdatedAt, again.UpdatedAt);
        Assert.Equal((van.AvailableFrom, van.AvailableUntil), (again.AvailableFrom, again.AvailableUntil));
    }
}
