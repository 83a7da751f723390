using System.Net.Http.Json;
using TradeNet.Contracts;
using TradeNet.Matching.Api;
using TradeNet.Matching.Tests.Component;
using TradeNet.Testing;

namespace TradeNet.Matching.Tests.EventOrder;

/// <summary>
/// The event-order hunt over an agreed trade's shipment events as logistics emits them (ShipmentTransitions: a leg's trips
/// follow one another, each picked up and then delivered or failed, a failed leg planned again): delivered in order, in
/// other orders, twice, and against an operator's cancellation. Whatever the order, the trade ends as the in-order delivery
/// leaves it (the trade view: status, and per leg pickup, delivery and last failure), TradeCompleted goes out once or not
/// at all as in order, and no consumer gives a message up.
/// </summary>
public class ShipmentEventOrderTests
{
    internal static readonly DateTimeOffset Start =
        DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddHours(-3).ToUnixTimeMilliseconds());

    /// <summary>Leg 0's trips: the first picked up and failed, the second picked up and delivered (and with
    /// <paramref name="twoFailures"/>, a second failed trip between them); with <paramref name="otherLeg"/>, leg 1 delivered last.</summary>
    private static object[] Sequence(Guid trade, bool otherLeg, bool twoFailures = false)
    {
        var (first, second, third) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var events = new List<object>
        {
            new ShipmentPickedUp(first, trade, 0, Start.AddMinutes(10)),
            new ShipmentFailed(first, trade, 0, "axle broke", Start.AddMinutes(20)),
        };
        if (twoFailures)
        {
            events.Add(new ShipmentPickedUp(third, trade, 0, Start.AddMinutes(25)));
            events.Add(new ShipmentFailed(third, trade, 0, "road closed", Start.AddMinutes(28)));
        }
        events.Add(new ShipmentPickedUp(second, trade, 0, Start.AddMinutes(30)));
        events.Add(new ShipmentDelivered(second, trade, 0, Start.AddMinutes(40)));
        if (otherLeg) events.Add(new ShipmentDelivered(Guid.NewGuid(), trade, 1, Start.AddMinutes(50)));
        return events.ToArray();
    }

    internal static Task DeliverAsync(EventDelivery delivery, object message, Guid? id = null) => message switch
    {
        ShipmentPickedUp p => delivery.DeliverAsync(p, id),
        ShipmentFailed f => delivery.DeliverAsync(f, id),
        ShipmentDelivered d => delivery.DeliverAsync(d, id),
        TradeStopped s => delivery.DeliverAsync(s, id),
        _ => throw new ArgumentOutOfRangeException(nameof(message)),
    };

    internal static string Describe(object message) => message switch
    {
        ShipmentPickedUp p => $"leg {p.LegIndex} picked up +{(p.At - Start).TotalMinutes}",
        ShipmentFailed f => $"leg {f.LegIndex} failed +{(f.At - Start).TotalMinutes}",
        ShipmentDelivered d => $"leg {d.LegIndex} delivered +{(d.At - Start).TotalMinutes}",
        TradeStopped s => $"stopped ({s.ArrivedLegs.Length} arrived)",
        _ => message.GetType().Name,
    };

    /// <summary>What the hunt compares: the trade as its own API shows it, and how often it was announced completed.</summary>
    internal static async Task<string> StateAsync(MatchingHost host, Guid trade)
    {
        var view = await host.TradeAsync(trade);
        var legs = view.Legs.Select(l =>
            $"leg {l.Index}: picked up {l.PickedUp} {Minutes(l.PickedUpAt)}, delivered {l.Delivered} {Minutes(l.DeliveredAt)}, failure {Failure(l.Failure)}");
        return $"{view.Status}; {string.Join("; ", legs)}; completed announced {host.PublishedCount<TradeCompleted>(c => c.TradeId == trade)}×";
    }

    private static string Minutes(DateTimeOffset? at) => at is { } t ? $"+{(t - Start).TotalMinutes}" : "-";

    // The view writes the failure's time in the zone it was read in; its instant and reason are what matter.
    private static string Failure(string? failure) => failure is null ? "-"
        : DateTimeOffset.TryParse(failure.Split(": ", 2)[0], out var at) ? $"+{(at - Start).TotalMinutes} {failure.Split(": ", 2)[1]}" : failure;

    /// <summary>Delivers each order to a trade of its own, in one host; returns what differs from the first order's end.</summary>
    private static async Task<List<string>> HuntAsync(MatchingHost host, EventDelivery delivery, IReadOnlyList<int[]> orders,
        Func<Guid, object[]> sequence, string hunt = "h")
    {
        var failures = new List<string>();
        string? reference = null;
        for (var o = 0; o < orders.Count; o++)
        {
            var trade = await FreshTrades.AgreeAsync(host, delivery, $"{hunt}{o}");
            var events = sequence(trade.Id);
            foreach (var i in orders[o]) await DeliverAsync(delivery, events[i]);
            // TradeCompleted leaves through the outbox: wait for it where the trade completed.
            var view = await host.TradeAsync(trade.Id);
            if (view.Status == Domain.TradeStatus.Completed) await host.Published<TradeCompleted>(c => c.TradeId == trade.Id);
            var state = await StateAsync(host, trade.Id);
            reference ??= state;
            if (state != reference)
                failures.Add($"{string.Join(" → ", orders[o].Select(i => Describe(events[i])))}:\n    got      {state}\n    in order {reference}");
        }
        return failures;
    }

    [Fact]
    public async Task A_legs_trips_reported_in_any_order_leave_the_trade_as_in_order()
    {
        await using var host = new MatchingHost();
        using var delivery = new EventDelivery(host.Harness);
        var failures = await HuntAsync(host, delivery, EventOrders.Permutations(Enumerable.Range(0, 4).ToArray()),
            trade => Sequence(trade, otherLeg: false));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Empty(delivery.GivenUp());
    }

    [Fact]
    public async Task A_legs_trips_and_the_delivery_that_completes_the_trade_in_a_sample_of_orders_leave_it_as_in_order()
    {
        await using var host = new MatchingHost();
        using var delivery = new EventDelivery(host.Harness);
        var failures = await HuntAsync(host, delivery, EventOrders.Sample(Enumerable.Range(0, 5).ToArray(), seed: 1, count: 16),
            trade => Sequence(trade, otherLeg: true));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Empty(delivery.GivenUp());
    }

    [Fact]
    public async Task Two_failed_trips_reported_in_a_sample_of_orders_leave_the_later_failure_on_the_leg()
    {
        await using var host = new MatchingHost();
        using var delivery = new EventDelivery(host.Harness);
        var failures = await HuntAsync(host, delivery, EventOrders.Sample(Enumerable.Range(0, 6).ToArray(), seed: 2, count: 16),
            trade => Sequence(trade, otherLeg: false, twoFailures: true));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Empty(delivery.GivenUp());
    }

    [HeavyEventOrderFact]
    public async Task Every_order_of_a_legs_trips_and_the_completing_delivery_leaves_the_trade_as_in_order()
    {
        // One host for every seed: MassTransit keeps its log context in the test's async flow, and a second host built
        // in the flow after the first was disposed finds that context's logger factory disposed.
        await using var host = new MatchingHost();
        using var delivery = new EventDelivery(host.Harness);
        // Every order of the five events once, then per seed a sample of the seven with a second failed trip.
        var failures = await HuntAsync(host, delivery, EventOrders.Permutations(Enumerable.Range(0, 5).ToArray()),
            trade => Sequence(trade, otherLeg: true), "all");
        foreach (var seed in EventOrders.HeavySeeds())
            failures.AddRange(await HuntAsync(host, delivery, EventOrders.Sample(Enumerable.Range(0, 7).ToArray(), seed, 60),
                trade => Sequence(trade, otherLeg: true, twoFailures: true), $"s{seed}-"));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Empty(delivery.GivenUp());
    }

    [Fact]
    public async Task Each_shipment_event_delivered_twice_with_its_own_or_a_new_message_id_leaves_the_trade_as_once()
    {
        await using var host = new MatchingHost();
        using var delivery = new EventDelivery(host.Harness);
        var once = await FreshTrades.AgreeAsync(host, delivery, "once");
        foreach (var e in Sequence(once.Id, otherLeg: true)) await DeliverAsync(delivery, e);
        await host.Published<TradeCompleted>(c => c.TradeId == once.Id);
        var reference = await StateAsync(host, once.Id);

        var failures = new List<string>();
        foreach (var sameId in new[] { true, false })
        {
            var trade = await FreshTrades.AgreeAsync(host, delivery, $"twice-{sameId}");
            var events = Sequence(trade.Id, otherLeg: true);
            var ids = events.Select(_ => Guid.NewGuid()).ToArray();
            for (var i = 0; i < events.Length; i++)
            {
                await DeliverAsync(delivery, events[i], ids[i]);
                await DeliverAsync(delivery, events[i], sameId ? ids[i] : null);
            }
            // And the whole sequence again, as a relay that lost its confirms replays it.
            for (var i = 0; i < events.Length; i++) await DeliverAsync(delivery, events[i], sameId ? ids[i] : null);
            await host.Published<TradeCompleted>(c => c.TradeId == trade.Id);
            var state = await StateAsync(host, trade.Id);
            if (state != reference) failures.Add($"{(sameId ? "same" : "new")} ids:\n    got  {state}\n    once {reference}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Empty(delivery.GivenUp());
    }

    /// <summary>An operator cancels an agreed trade whose leg 0 arrived: logistics stops the rest and says so twice, in its
    /// answer and in TradeStopped, while the ShipmentDelivered of leg 0 is still on its way. Every order of the three ends
    /// with the trade cancelled, leg 0 delivered when it was, one TradeCancelled naming leg 0 delivered.</summary>
    [Fact]
    public async Task An_operators_cancel_racing_the_delivery_and_the_stop_report_ends_the_same_in_every_order()
    {
        await using var host = new MatchingHost { RetryLikeTheBus = true };
        using var delivery = new EventDelivery(host.Harness);
        var arrived = Start.AddMinutes(40);
        host.Logistics!.OnStop = _ => FakeLogistics.StoppedWithDelivered(arrived, 0);
        var failures = new List<string>();
        string? reference = null;
        var orders = EventOrders.Permutations(Enumerable.Range(0, 3).ToArray());
        for (var o = 0; o < orders.Count; o++)
        {
            var trade = await FreshTrades.AgreeAsync(host, delivery, $"c{o}");
            var steps = new Func<Task>[]
            {
                () => delivery.DeliverAsync(new ShipmentDelivered(Guid.NewGuid(), trade.Id, 0, arrived)),
                () => delivery.DeliverAsync(new TradeStopped(trade.Id, "cancelled by operator ops: road closed", [new ArrivedLeg(0, arrived)], arrived.AddMinutes(5))),
                async () =>
                {
                    var answer = await host.Operator().PostAsJsonAsync($"/api/matching/trades/{trade.Id}/cancel", new { reason = "road closed" });
                    // After the stop report cancelled the trade, the call finds it cancelled already: 409, nothing more to do.
                    Assert.True(answer.IsSuccessStatusCode || answer.StatusCode == System.Net.HttpStatusCode.Conflict,
                        $"cancel answered {answer.StatusCode}");
                },
            };
            foreach (var i in orders[o]) await steps[i]();
            await host.Published<TradeCancelled>(c => c.TradeId == trade.Id);
            var announced = host.Harness.PublishedSoFar<TradeCancelled>().Where(c => c.TradeId == trade.Id).ToList();
            var state = await StateAsync(host, trade.Id) + $"; cancelled announced {announced.Count}× delivered legs [{string.Join(",", announced[0].DeliveredLegs ?? [])}]";
            reference ??= state;
            var names = new[] { "delivery", "stop report", "operator's cancel" };
            if (state != reference) failures.Add($"{string.Join(" → ", orders[o].Select(i => names[i]))}:\n    got   {state}\n    first {reference}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Contains("Cancelled", reference);
        Assert.Empty(delivery.GivenUp());
    }
}
