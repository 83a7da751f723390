using TradeNet.Contracts;
using TradeNet.Matching.Tests.Component;
using TradeNet.Testing;

namespace TradeNet.Matching.Tests.EventOrder;

/// <summary>
/// The event-order hunt over logistics' stop report (TradeStopped) of an agreed two-leg trade, repeated under a new
/// message id (a publisher repeating itself: the inbox lets it through) and crossed with its legs' ShipmentDelivered.
/// Logistics stops a trade only while no goods are on the road, so a leg it names arrived is the only one whose delivery
/// can still be on its way: stopped after both legs arrived, the trade ends completed in every order, announced completed
/// once and never cancelled; stopped after leg 0 alone, it ends cancelled in every order, announced once naming leg 0.
/// </summary>
public class StopReportOrderTests
{
    // The times the shipment hunt's state is written against.
    private static DateTimeOffset Start => ShipmentEventOrderTests.Start;

    private static object[] Events(Guid trade, bool bothArrived)
    {
        ArrivedLeg[] arrived = bothArrived ? [new(0, Start.AddMinutes(10)), new(1, Start.AddMinutes(20))] : [new(0, Start.AddMinutes(10))];
        var stop = new TradeStopped(trade, "cancelled by operator ops: bridge closed", arrived, Start.AddMinutes(30));
        return
        [
            new ShipmentDelivered(Guid.NewGuid(), trade, 0, Start.AddMinutes(10)),
            .. bothArrived ? new object[] { new ShipmentDelivered(Guid.NewGuid(), trade, 1, Start.AddMinutes(20)) } : [],
            stop,
            stop,
        ];
    }

    [Theory]
    [InlineData(true, "Completed; leg 0: picked up False -, delivered True +10, failure -; leg 1: picked up False -, delivered True +20, failure -; completed announced 1×; cancelled announced 0×")]
    [InlineData(false, "Cancelled; leg 0: picked up False -, delivered True +10, failure -; leg 1: picked up False -, delivered False -, failure -; completed announced 0×; cancelled announced 1× delivered legs [0]")]
    public async Task A_stop_report_repeated_under_a_new_id_and_crossed_with_the_deliveries_ends_the_trade_once_in_every_order(
        bool bothArrived, string expected)
    {
        await using var host = new MatchingHost();
        using var delivery = new EventDelivery(host.Harness);
        var failures = new List<string>();
        var count = Events(Guid.Empty, bothArrived).Length;
        foreach (var order in EventOrders.Permutations(Enumerable.Range(0, count).ToArray()))
        {
            var trade = (await FreshTrades.AgreeAsync(host, delivery, $"stop{bothArrived}{string.Concat(order)}")).Id;
            var events = Events(trade, bothArrived);
            // Each event under a message id of its own: the two stop reports are the same fact announced twice.
            foreach (var i in order) await ShipmentEventOrderTests.DeliverAsync(delivery, events[i]);
            if (bothArrived) await host.Published<TradeCompleted>(c => c.TradeId == trade);
            else await host.Published<TradeCancelled>(c => c.TradeId == trade);
            var cancelled = host.Harness.PublishedSoFar<TradeCancelled>().Where(c => c.TradeId == trade).ToList();
            var state = await ShipmentEventOrderTests.StateAsync(host, trade) + $"; cancelled announced {cancelled.Count}×"
                + (cancelled.Count > 0 ? $" delivered legs [{string.Join(",", cancelled[0].DeliveredLegs ?? [])}]" : "");
            if (state != expected)
                failures.Add($"{string.Join(" → ", order.Select(i => ShipmentEventOrderTests.Describe(events[i])))}:\n    got      {state}\n    expected {expected}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Empty(delivery.GivenUp());
    }
}
