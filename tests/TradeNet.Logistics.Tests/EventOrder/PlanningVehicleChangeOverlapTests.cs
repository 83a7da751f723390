using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Planning;
using TradeNet.Logistics.Storage;
using TradeNet.Logistics.Tests.Component;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.EventOrder;

/// <summary>
/// A planning run's write and a carrier's change of its van overlapping (MongoDB), staged over SQLite
/// (<see cref="StagedPlanningWrite"/>): the run's write reads the van at 1200 kg and books the 900 kg of firewood on it;
/// meanwhile town A shrinks the van to 500 kg, which its check allows (no goods planned on it yet: the run's routes are not
/// committed). Before the fix both committed, and the van was planned with goods it can no longer carry. The run now guards
/// the vehicles it books, so its write loses (a conflict, as the 409 of a lost run) and the next run plans on the van as it is.
/// </summary>
public class PlanningVehicleChangeOverlapTests
{
    [Fact]
    public async Task A_van_shrunk_while_a_planning_run_writes_is_never_left_with_goods_beyond_its_capacity()
    {
        using var app = new LogisticsApp();
        var (a, b, _) = Towns.Fresh();
        var van = await app.RegisterAsync(TestSettings.TownAuth(a), Fleet.Van(Towns.Roanne, capacityKg: 1200, homeTown: a));
        var trade = Guid.NewGuid();
        await app.PublishAsync(Towns.Swap(trade, a, b));
        var (store, staging) = StagedPlanningWrite.Over(app.Services.GetRequiredService<ILogisticsStore>());
        staging.BeforeWrite = async () =>
        {
            var shrunk = await app.SendAsync(HttpMethod.Put, $"/api/logistics/vehicles/{van.Id}", TestSettings.TownAuth(a),
                Fleet.Van(Towns.Roanne, capacityKg: 500, homeTown: a));
            Assert.Equal(HttpStatusCode.OK, shrunk.StatusCode);
        };

        try
        {
            await app.Services.GetRequiredService<ShipmentPlanning>().PlanPendingAsync(store, 100, CancellationToken.None);
        }
        catch (ConcurrencyConflictException)
        {
            // The run lost to the change: its transfers stay pending for the next run.
        }

        var onVan = (await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth()))
            .Where(s => s.VehicleId == van.Id && s.Status == ShipmentStatus.Planned).ToList();
        Assert.True(onVan.Count == 0 || !onVan.Any(s => s.LegIndex == 1),
            $"the 900 kg of firewood is planned on van {van.Id}, shrunk to 500 kg while the run wrote");
        await app.PlanAsync();
        Assert.DoesNotContain(await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth()),
            s => s.VehicleId == van.Id && s.LegIndex == 1 && s.Status == ShipmentStatus.Planned);
    }
}
