using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Planning;
using TradeNet.Shared.Auth;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.Component;

/// <summary>A planning run keeps a vehicle with working hours inside them: at 05:00 in Paris, a van working 07:00–13:00
/// gets a route that leaves at 07:00 or later and is home by 13:00 (without its hours, the run sends it at once).</summary>
/// <remarks>A host of its own, on a clock of the test's set to 05:00 in Paris; tokens are issued on that clock too.</remarks>
public sealed class WorkingHoursPlanningTests : IDisposable
{
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
    private readonly ShiftedClock clock = new();
    private readonly LogisticsApp app;
    private readonly DateOnly day;

    public WorkingHoursPlanningTests()
    {
        app = new LogisticsApp { TestServices = s => s.AddSingleton<TimeProvider>(clock) };
        // Tomorrow in Paris, 05:00: the clock runs on from there, and the test takes minutes at most.
        var now = clock.GetUtcNow();
        day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, Paris).DateTime).AddDays(1);
        clock.Shift = WorkingHours.At(day, new TimeOnly(5, 0), Paris) - now;
    }

    public void Dispose() => app.Dispose();

    private static AuthenticationHeaderValue Auth(string subject, string role) => new("Bearer", TestSettings.TokenFor(subject, role));

    private async Task<NextRun> NextRunAsync(string vehicle, string town)
    {
        var response = await app.SendAsync(HttpMethod.Get, $"/api/logistics/vehicles/{vehicle}/next-run", Auth(town, Roles.Town));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<NextRun>(LogisticsApp.Json))!;
    }

    private DateTimeOffset Local(int hour) => WorkingHours.At(day, new TimeOnly(hour, 0), Paris);

    [Fact]
    public async Task A_route_planned_for_a_vehicle_with_working_hours_leaves_and_returns_inside_them()
    {
        var (roanne, lyon, _) = Towns.Fresh();
        var van = await app.RegisterAsync(Auth(roanne, Roles.Town), new
        {
            homeLat = Towns.Roanne.Lat, homeLon = Towns.Roanne.Lon, capacityKg = 2000, chilled = true, costPerKm = 0.5,
            workingHours = new { start = "07:00", end = "13:00", timeZone = "Europe/Paris" },
        });
        var before = await NextRunAsync(van.Id, roanne);

        await app.PublishAsync(Towns.SwapBetween(Guid.NewGuid(), roanne, Towns.Roanne, lyon, Towns.Lyon));
        var response = await app.SendAsync(HttpMethod.Post, "/api/logistics/plans", Auth("ops", Roles.Operator));
        var run = (await response.Content.ReadFromJsonAsync<Api.PlanningRunView>(LogisticsApp.Json))!;
        var route = await app.RouteAsync(Assert.Single(run.Routes), Auth("ops", Roles.Operator));
        var after = await NextRunAsync(van.Id, roanne);

        Assert.Equal((NextRun.OffHours, true, Local(7), Local(13)), (before.State, before.Offered, before.From, before.Until));
        Assert.Contains("Outside its working hours (07:00–13:00 Europe/Paris, every day)", before.Message);
        Assert.Equal(van.Id, route.VehicleId);
        Assert.Equal(2, route.Shipments);
        Assert.InRange(route.Stops[0].Eta, Local(7), Local(13));
        Assert.InRange(route.Stops[^1].Eta, Local(7), Local(13));
        // Back from it, the van is offered for what is left of the day or the next one, never before its return.
        Assert.True(after.Offered);
        Assert.True(after.From >= route.Stops[^1].Eta);
        Assert.True(after.Until <= Local(13) || after.From >= Local(24 - 1), after.Message);
    }
}
