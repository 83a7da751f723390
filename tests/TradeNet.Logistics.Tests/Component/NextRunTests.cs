using System.Net;
using System.Net.Http.Json;
using TradeNet.Logistics.Planning;
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

    [Fact]
    public async Task Another_towns_van_is_not_found_as_for_a_read()
    {
        var (roanne, lyon, _) = Towns.Fresh();
        var van = await app.RegisterAsync(TestSettings.TownAuth(roanne), Fleet.Van(Towns.Roanne));

        var response = await app.SendAsync(HttpMethod.Get, $"/api/logistics/vehicles/{van.Id}/next-run", TestSettings.TownAuth(lyon));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
