using TradeNet.Contracts;
using TradeNet.Logistics.Api;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Tests.Component;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.EventOrder;

/// <summary>
/// The event-order hunt over events of different entities that logistics' plan depends on together: one trade's
/// cancellation (which re-plans the route it shared) racing another trade's agreement (which adds transfers), and a
/// town's suspension (which withdraws its vehicles) racing an agreement while that town's van is the whole fleet. Each
/// in both orders, once and with each event repeated under a new message id, then a planning run: the shipments end the
/// same in every order (status, vehicle, carrier, stops; which trades share a route), the ShipmentPlanned last announced
/// for each names the route it is stored on, and no consumer gives a message up.
/// </summary>
/// <remarks>A host per run: the fleet is global to a host, and each run wants only its own van.</remarks>
public class CrossedTradeOrderTests
{
    /// <summary>What a planning's end comes to, route ids named by first appearance (a re-plan gives new ones).</summary>
    private static async Task<string> PlanOfAsync(LogisticsApp app, params (string Name, Guid Trade)[] trades)
    {
        var routes = new List<Guid>();
        var lines = new List<string>();
        await app.OutboxDrainedAsync();
        foreach (var (name, trade) in trades)
        {
            foreach (var s in (await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth())).OrderBy(s => s.LegIndex))
            {
                if (!routes.Contains(s.RouteId)) routes.Add(s.RouteId);
                var stops = string.Join(">", s.Stops.Select(x => x.TownId.Split('-')[0]));
                lines.Add($"{name} leg {s.LegIndex}: {s.Status} {(s.DirectTripReason is null ? "van" : "direct")} carrier {s.CarrierTown.Split('-')[0]} "
                    + $"route {routes.IndexOf(s.RouteId)}" + (s.Status == ShipmentStatus.Cancelled ? "" : $" [{stops}]"));
                var announced = app.Published<ShipmentPlanned>(p => p.ShipmentId == s.Id);
                if (s.Status != ShipmentStatus.Cancelled && announced.LastOrDefault()?.RouteId != s.RouteId)
                    lines.Add($"  {name} leg {s.LegIndex}: last ShipmentPlanned names another route than the stored one");
            }
        }
        return string.Join("\n", lines);
    }

    /// <summary>Kept and Cancelled share the van's route (planned together); Cancelled is cancelled (C) and New agreed (A)
    /// in the given order, each once or twice under new ids, then a planning run.</summary>
    private static async Task<string> SharedRouteAsync(string order, bool twice)
    {
        await using var app = new LogisticsApp();
        using var delivery = new EventDelivery(app.Harness);
        var (roanne, lyon, tarare) = Towns.Fresh();
        await app.RegisterAsync(TestSettings.TownAuth(roanne), Fleet.Van(Towns.Roanne));
        var (kept, cancelled, added) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var cancelledTrade = Towns.SwapBetween(cancelled, tarare, Towns.Tarare, lyon, Towns.Lyon, "honey", 30);
        await delivery.DeliverAsync(Towns.SwapBetween(kept, roanne, Towns.Roanne, lyon, Towns.Lyon));
        await delivery.DeliverAsync(cancelledTrade);
        await app.PlanAsync();
        var shared = (await app.ShipmentsOfTradeAsync(kept, TestSettings.OperatorAuth())).Select(s => s.RouteId)
            .Concat((await app.ShipmentsOfTradeAsync(cancelled, TestSettings.OperatorAuth())).Select(s => s.RouteId)).Distinct();
        Assert.Single(shared);

        var agreed = Towns.SwapBetween(added, roanne, Towns.Roanne, tarare, Towns.Tarare, "apples", 20);
        var cancellation = new TradeCancelled(cancelled, "a town withdrew", true, cancelledTrade.Legs);
        foreach (var step in order)
            for (var n = 0; n < (twice ? 2 : 1); n++)
            {
                if (step == 'C') await delivery.DeliverAsync(cancellation);
                else await delivery.DeliverAsync(agreed);
            }
        await app.PlanAsync();
        Assert.Empty(delivery.GivenUp());
        return await PlanOfAsync(app, ("kept", kept), ("cancelled", cancelled), ("new", added));
    }

    [Fact]
    public async Task A_cancellation_replanning_a_shared_route_and_another_trades_agreement_in_either_order_end_in_the_same_plan()
    {
        var reference = await SharedRouteAsync("CA", twice: false);
        Assert.Contains("kept leg 0: Planned van", reference);
        Assert.DoesNotContain("cancelled leg 0: Planned", reference);
        var failures = new List<string>();
        foreach (var (order, twice) in new[] { ("AC", false), ("CA", true), ("AC", true) })
        {
            var plan = await SharedRouteAsync(order, twice);
            if (plan != reference) failures.Add($"{order}{(twice ? " twice" : "")}:\n{plan}\n  in order:\n{reference}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>The suspended town's van is the only one (S: TownSuspended; A: a trade between two other towns agreed,
    /// and one of the suspended town's own), then a planning run.</summary>
    private static async Task<string> SuspendedFleetAsync(string order, bool twice)
    {
        await using var app = new LogisticsApp();
        using var delivery = new EventDelivery(app.Harness);
        var (suspended, lyon, saintEtienne) = Towns.Fresh();
        await app.RegisterAsync(TestSettings.TownAuth(suspended), Fleet.Van(Towns.Roanne));
        var (others, own) = (Guid.NewGuid(), Guid.NewGuid());
        var suspension = new TownSuspended(suspended, "fraud", DateTimeOffset.UtcNow, []);
        foreach (var step in order)
            for (var n = 0; n < (twice ? 2 : 1); n++)
            {
                if (step == 'S') await delivery.DeliverAsync(suspension);
                else
                {
                    await delivery.DeliverAsync(Towns.SwapBetween(others, lyon, Towns.Lyon, saintEtienne, Towns.SaintEtienne));
                    await delivery.DeliverAsync(Towns.SwapBetween(own, suspended, Towns.Roanne, lyon, Towns.Lyon));
                }
            }
        await app.PlanAsync();
        Assert.Empty(delivery.GivenUp());
        return await PlanOfAsync(app, ("others", others), ("own", own));
    }

    [Fact]
    public async Task A_towns_suspension_and_an_agreement_while_its_van_is_the_fleet_in_either_order_end_in_the_same_plan()
    {
        var reference = await SuspendedFleetAsync("AS", twice: false);
        // Nothing on the withdrawn van: every leg goes as a direct trip.
        Assert.DoesNotContain(" van ", reference);
        var failures = new List<string>();
        foreach (var (order, twice) in new[] { ("SA", false), ("AS", true), ("SA", true) })
        {
            var plan = await SuspendedFleetAsync(order, twice);
            if (plan != reference) failures.Add($"{order}{(twice ? " twice" : "")}:\n{plan}\n  in order:\n{reference}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
