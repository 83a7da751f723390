using System.Net;
using TradeNet.Contracts;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.Component;

/// <summary>A town an operator suspended in catalog carries nobody's goods any more.</summary>
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

        foreach (var gone in new[] { first, second })
            Assert.Equal(HttpStatusCode.NotFound,
                (await app.SendAsync(HttpMethod.Get, $"/api/logistics/vehicles/{gone.Id}", TestSettings.OperatorAuth())).StatusCode);
        Assert.Equal(HttpStatusCode.OK,
            (await app.SendAsync(HttpMethod.Get, $"/api/logistics/vehicles/{kept.Id}", TestSettings.OperatorAuth())).StatusCode);
    }
}
