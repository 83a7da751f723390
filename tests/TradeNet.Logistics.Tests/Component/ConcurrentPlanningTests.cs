using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using TradeNet.Logistics.Api;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Planning;
using TradeNet.Logistics.Storage;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.Component;

/// <remarks>A host of its own: its planner loses a run when told, the way a run on another replica makes it lose on
/// MongoDB (the commit meets a write conflict), which one SQLite process cannot produce.</remarks>
public class ConcurrentPlanningTests
{
    private sealed class LosesWhenTold(FleetShipmentPlanner real) : IShipmentPlanner
    {
        public bool LoseNextRun { get; set; }

        public Task<IReadOnlyList<PlannedShipment>> PlanAsync(IReadOnlyList<TransferOrder> pending, PlanningContext ctx, CancellationToken ct)
        {
            if (!LoseNextRun) return real.PlanAsync(pending, ctx, ct);
            LoseNextRun = false;
            throw new ConcurrencyConflictException("A concurrent transaction wrote the same documents.");
        }

        public DateTimeOffset? ReadyBefore(PlanningContext ctx) => real.ReadyBefore(ctx);
    }

    [Fact]
    public async Task A_planning_run_that_loses_to_a_concurrent_one_is_a_409_and_its_transfers_stay_pending_for_the_next()
    {
        using var app = new LogisticsApp
        {
            TestServices = s => s.AddSingleton<FleetShipmentPlanner>().AddSingleton<LosesWhenTold>()
                .AddSingleton<IShipmentPlanner>(sp => sp.GetRequiredService<LosesWhenTold>()),
        };
        var (a, b, _) = Towns.Fresh();
        var trade = Guid.NewGuid();
        await app.PublishAsync(Towns.Swap(trade, a, b));
        var failed = (await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth())).Single(s => s.CarrierTown == a);
        await app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{failed.Id}/failure", TestSettings.TownAuth(a), new { reason = "the van broke down" });
        app.Services.GetRequiredService<LosesWhenTold>().LoseNextRun = true;

        var lost = await app.SendAsync(HttpMethod.Post, "/api/logistics/plans", TestSettings.OperatorAuth());

        Assert.Equal(HttpStatusCode.Conflict, lost.StatusCode);
        Assert.Equal("application/problem+json", lost.Content.Headers.ContentType?.MediaType);
        var transfers = await app.SendAsync(HttpMethod.Get, $"/api/logistics/trades/{trade}/transfers", TestSettings.OperatorAuth());
        Assert.Equal(TransferStatus.Pending,
            (await transfers.Content.ReadFromJsonAsync<TransferView[]>(LogisticsApp.Json))!.Single(t => t.LegIndex == failed.LegIndex).Status);

        var run = await app.PlanAsync();

        Assert.Equal(1, run.Planned);
        Assert.Contains(await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth()),
            s => s.LegIndex == failed.LegIndex && s.Id != failed.Id && s.Status == ShipmentStatus.Planned);
    }
}
