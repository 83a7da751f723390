using Microsoft.Extensions.DependencyInjection;
using TradeNet.Contracts;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Storage;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.Component;

/// <remarks>A host of its own: the fleet is global to a host, and the suspended town's van must be the only one.</remarks>
public sealed class SuspendedTownPlanningTests : IDisposable
{
    private readonly LogisticsApp app = new();

    public void Dispose() => app.Dispose();

    [Fact]
    public async Task A_planning_run_gives_no_goods_of_other_towns_to_a_vehicle_of_a_suspended_town()
    {
        var (suspended, lyon, saintEtienne) = Towns.Fresh();
        await app.PublishAsync(new TownSuspended(suspended, "fraud", DateTimeOffset.UtcNow, []));
        // Left from the moments before logistics heard of the suspension, had the withdrawal missed it.
        var now = DateTimeOffset.UtcNow;
        var left = new Vehicle($"veh-{Guid.NewGuid():N}", suspended, Towns.Roanne, "van", 2000, null, true, 0.5, 20, null, null, now, now);
        await using (var session = await app.Services.GetRequiredService<ILogisticsStore>().BeginAsync())
        {
            await session.AddVehicleAsync(left);
            await session.CommitAsync();
        }
        var trade = Guid.NewGuid();
        await app.PublishAsync(Towns.SwapBetween(trade, lyon, Towns.Lyon, saintEtienne, Towns.SaintEtienne));

        await app.PlanAsync();

        var shipments = await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth());
        Assert.Equal(2, shipments.Length);
        Assert.All(shipments, s => Assert.NotEqual((left.Id, suspended), (s.VehicleId, s.CarrierTown)));
    }
}
