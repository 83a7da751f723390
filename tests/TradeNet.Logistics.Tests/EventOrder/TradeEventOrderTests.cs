using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TradeNet.Contracts;
using TradeNet.Logistics.Api;
using TradeNet.Logistics.Domain;
using TradeNet.Logistics.Messaging;
using TradeNet.Logistics.Tests.Component;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.EventOrder;

/// <summary>
/// The event-order hunt over one trade's events at logistics, as matching emits them: TradeAgreed, then for an operator's
/// cancellation the StopTrade call (gRPC, before matching commits) and TradeCancelled (after), or for a proposal's or an
/// older sender's cancellation TradeCancelled alone. Delivered in every order the network allows (the agreement can be
/// overtaken by both), twice, and against a carrier's pickup report. Whatever the order, nothing of a cancelled trade is
/// left to move, nothing is planned twice, a late agreement says in the log why it planned nothing, and no consumer gives a
/// message up.
/// </summary>
public class TradeEventOrderTests
{
    private static async Task<string> WhatMovesAsync(LogisticsApp app, Guid trade)
    {
        var shipments = await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth());
        var response = await app.SendAsync(HttpMethod.Get, $"/api/logistics/trades/{trade}/transfers", TestSettings.OperatorAuth());
        var transfers = response.StatusCode == HttpStatusCode.NotFound ? []
            : (await response.Content.ReadFromJsonAsync<TransferView[]>(LogisticsApp.Json))!;
        var live = shipments.Where(s => s.Status != ShipmentStatus.Cancelled).Select(s => $"shipment leg {s.LegIndex} {s.Status}")
            .Concat(transfers.Where(t => t.Status != TransferStatus.Cancelled).Select(t => $"transfer leg {t.LegIndex} {t.Status}"))
            .Order(StringComparer.Ordinal);
        return $"[{string.Join(", ", live)}] {transfers.Length} transfers";
    }

    [Fact]
    public async Task A_cancelled_trades_events_and_its_stop_call_in_every_possible_order_leave_nothing_to_move()
    {
        var logs = new RecordedLogs();
        await using var app = new LogisticsApp { TestServices = s => s.AddSingleton<ILoggerProvider>(logs) };
        using var delivery = new EventDelivery(app.Harness);
        var failures = new List<string>();
        // Agreed (A), stopped over gRPC (S), cancelled (C): S precedes C (matching commits after logistics answers),
        // A may come anywhere. Without S: a proposal's cancellation, or an older sender's.
        foreach (var order in new[] { "ASC", "SAC", "SCA", "AC", "CA" })
        {
            var (a, b, _) = Towns.Fresh();
            var trade = Guid.NewGuid();
            var agreed = Towns.Swap(trade, a, b);
            foreach (var step in order)
            {
                if (step == 'A') await delivery.DeliverAsync(agreed);
                else if (step == 'S') Assert.True((await app.StopTradeAsync(trade)).Stopped);
                else await delivery.DeliverAsync(new TradeCancelled(trade, "cancelled by operator ops: stuck", true, agreed.Legs));
            }
            var state = await WhatMovesAsync(app, trade);
            // In order every leg got a transfer, then cancelled; overtaken, the agreement creates none.
            var expected = order[0] == 'A' ? "[] 2 transfers" : "[] 0 transfers";
            if (state != expected) failures.Add($"{order}: {state}, expected {expected}");
            if (order[0] != 'A' && !logs.Of<TradeAgreedConsumer>().Any(l => l.Contains(trade.ToString(), StringComparison.Ordinal)))
                failures.Add($"{order}: the late TradeAgreed planned nothing and logged nothing");
            await app.OutboxDrainedAsync();
            var stops = app.Published<TradeStopped>(s => s.TradeId == trade).Count;
            if (stops != (order.Contains('S') ? 1 : 0)) failures.Add($"{order}: TradeStopped published {stops}×");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Empty(delivery.GivenUp());
    }

    [Fact]
    public async Task Each_trade_event_delivered_twice_with_its_own_or_a_new_message_id_plans_and_cancels_as_once()
    {
        await using var app = new LogisticsApp();
        using var delivery = new EventDelivery(app.Harness);
        var failures = new List<string>();
        foreach (var sameId in new[] { true, false })
        {
            var (a, b, _) = Towns.Fresh();
            var trade = Guid.NewGuid();
            var agreed = Towns.Swap(trade, a, b);
            var (agreedId, cancelledId) = (Guid.NewGuid(), Guid.NewGuid());
            await delivery.DeliverAsync(agreed, agreedId);
            await delivery.DeliverAsync(agreed, sameId ? agreedId : null);
            var planned = await WhatMovesAsync(app, trade);
            if (planned != "[shipment leg 0 Planned, shipment leg 1 Planned, transfer leg 0 Planned, transfer leg 1 Planned] 2 transfers")
                failures.Add($"{(sameId ? "same" : "new")} id, agreed twice: {planned}");
            var cancelled = new TradeCancelled(trade, "expired", false, agreed.Legs);
            await delivery.DeliverAsync(cancelled, cancelledId);
            await delivery.DeliverAsync(cancelled, sameId ? cancelledId : null);
            // And the agreement once more after it all, as a relay that lost its confirms replays it.
            await delivery.DeliverAsync(agreed, sameId ? agreedId : null);
            var state = await WhatMovesAsync(app, trade);
            if (state != "[] 2 transfers") failures.Add($"{(sameId ? "same" : "new")} ids: {state}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Empty(delivery.GivenUp());
    }

    /// <summary>A proposal's cancellation (no stop asked) racing the carrier's pickup: goods picked up first finish their
    /// trip, a pickup after the cancellation is refused; either way the other leg is cancelled and no answer contradicts
    /// what is stored.</summary>
    [Fact]
    public async Task A_carriers_pickup_racing_the_cancellation_either_goes_through_or_is_refused_never_between()
    {
        await using var app = new LogisticsApp();
        using var delivery = new EventDelivery(app.Harness);
        for (var round = 0; round < 6; round++)
        {
            var (a, b, _) = Towns.Fresh();
            var trade = Guid.NewGuid();
            var agreed = Towns.Swap(trade, a, b);
            await delivery.DeliverAsync(agreed);
            var shipment = (await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth())).Single(s => s.LegIndex == 0);

            var pickup = app.SendAsync(HttpMethod.Post, $"/api/logistics/shipments/{shipment.Id}/pickup", TestSettings.TownAuth(a));
            var cancel = delivery.DeliverAsync(new TradeCancelled(trade, "older sender", false, agreed.Legs));
            var answer = await pickup;
            await cancel;

            var shipments = await app.ShipmentsOfTradeAsync(trade, TestSettings.OperatorAuth());
            var leg0 = shipments.Single(s => s.LegIndex == 0).Status;
            Assert.Equal(answer.StatusCode == HttpStatusCode.OK ? ShipmentStatus.PickedUp : ShipmentStatus.Cancelled, leg0);
            if (answer.StatusCode != HttpStatusCode.OK) Assert.Equal(HttpStatusCode.Conflict, answer.StatusCode);
            Assert.Equal(ShipmentStatus.Cancelled, shipments.Single(s => s.LegIndex == 1).Status);
            // The pickup's event leaves through the outbox: once drained, it is out exactly when the pickup was taken.
            await app.OutboxDrainedAsync();
            Assert.Equal(answer.StatusCode == HttpStatusCode.OK ? 1 : 0, app.Published<ShipmentPickedUp>(p => p.TradeId == trade).Count);
        }
        Assert.Empty(delivery.GivenUp());
    }
}
