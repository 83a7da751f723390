using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TradeNet.Contracts;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Storage;
using TradeNet.Logistics.Tests.Component;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.EventOrder;

/// <summary>
/// A cancellation's re-plan and a carrier's change of the van overlapping (MongoDB), staged over SQLite
/// (<see cref="StagedPlanningWrite"/>, its first session staged). The van was planned at 950 kg, so its route carries the two
/// 500 kg loads one after the other; the carrier then grew it to 2000 kg. The stop's write reads the van at 2000 kg, and
/// its re-plan (the small trade cancelled) puts both loads on board at once; meanwhile the carrier shrinks the van back
/// to 950 kg, which its check allows (the route it sees never carries more than 510 kg). Without the vehicle guard both
/// committed: 1000 kg on a 950 kg van. Guarded, the stop loses as a whole and is run again, as MassTransit retries the
/// consumer's message: the cancellation still lands, re-planned on the van as it is.
/// </summary>
public class ReplanVehicleChangeOverlapTests
{
    [Fact]
    public async Task A_van_shrunk_while_a_cancellation_re_plans_its_route_is_never_left_with_goods_beyond_its_capacity()
    {
        using var app = new LogisticsApp();
        var (roanne, lyon, tarare) = Towns.Fresh();
        var van = await app.RegisterAsync(TestSettings.TownAuth(roanne), Fleet.Van(Towns.Roanne, capacityKg: 950, homeTown: roanne));
        var (first, second, small) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await app.PublishAsync(OneLeg(first, roanne, Towns.Roanne, lyon, 500));
        await app.PublishAsync(OneLeg(second, tarare, Towns.Tarare, lyon, 500));
        var cancelled = OneLeg(small, roanne, Towns.Roanne, lyon, 10);
        await app.PublishAsync(cancelled);
        await app.PlanAsync();
        var store = app.Services.GetRequiredService<ILogisticsStore>();
        var route = (await ReadAsync(store, r => r.ShipmentsOfTradeAsync(small))).Single().RouteId;
        Assert.Equal(3, (await store.ShipmentsOfRouteAsync(route)).Count(s => s.VehicleId == van.Id));
        var grown = await app.SendAsync(HttpMethod.Put, $"/api/logistics/vehicles/{van.Id}", TestSettings.TownAuth(roanne),
            Fleet.Van(Towns.Roanne, capacityKg: 2000, homeTown: roanne));
        Assert.Equal(HttpStatusCode.OK, grown.StatusCode);

        var (staged, staging) = StagedPlanningWrite.Over(store, stagedSession: 1);
        staging.BeforeWrite = async () =>
        {
            var shrunk = await app.SendAsync(HttpMethod.Put, $"/api/logistics/vehicles/{van.Id}", TestSettings.TownAuth(roanne),
                Fleet.Van(Towns.Roanne, capacityKg: 950, homeTown: roanne));
            Assert.Equal(HttpStatusCode.OK, shrunk.StatusCode);
        };
        try
        {
            // The consumer's write, as TradeCancelledConsumer runs it.
            await using var session = await staged.BeginAsync();
            await app.Services.GetRequiredService<TradeStops>().StopAsync(session, small, "a town withdrew", refuseWhileMoving: false, CancellationToken.None);
            await session.CommitAsync();
        }
        catch (ConcurrencyConflictException)
        {
            // The stop lost to the change as a whole; the consumer's retry runs it again on the van as it is now.
            await app.PublishAsync(new TradeCancelled(small, "a town withdrew", true, cancelled.Legs));
        }

        Assert.All(await ReadAsync(store, r => r.ShipmentsOfTradeAsync(small)), s => Assert.Equal(ShipmentStatus.Cancelled, s.Status));
        var onVan = (await ReadAsync(store, r => r.ActiveShipmentsAsync())).Where(s => s.VehicleId == van.Id).ToList();
        var transfers = (await store.TransfersAsync([.. onVan.Select(s => s.TransferId)])).ToDictionary(t => t.Id);
        var peak = PlannedLoads.PeakKg(onVan, transfers);
        Assert.True(peak <= 950, $"van {van.Id}, shrunk to 950 kg while the cancellation re-planned its route, is planned to carry {peak} kg at once");
    }

    private static async Task<T> ReadAsync<T>(ILogisticsStore store, Func<ILogisticsSession, Task<T>> read)
    {
        await using var session = await store.BeginAsync();
        return await read(session);
    }

    private static TradeAgreed OneLeg(Guid tradeId, string from, TradePoint at, string to, double kg) =>
        new(tradeId, [new TradeLeg(0, from, to, "offer", "need", "firewood", 1, 100, kg, at, Towns.Lyon, null, null)]);
}
