using System.Net;
using System.Text.Json;
using TradeNet.Testing;

namespace TradeNet.Integration.Tests.Scenarios;

/// <summary>What an agreed trade's shipments are raced against.</summary>
public enum ShipmentRace
{
    /// <summary>Every pickup sent twice at once, then every delivery sent twice at once.</summary>
    DoublePickupsThenDoubleDeliveries,
    /// <summary>One leg on the road: its delivery, the other legs' pickups and the operator's cancel at once.</summary>
    DeliveryVersusPickupsAndCancel,
    /// <summary>Every pickup and the operator's cancel at once.</summary>
    PickupsVersusCancel,
    /// <summary>One leg on the road: its failure and its delivery at once.</summary>
    FailureVersusDelivery,
    /// <summary>One leg on the road, the others planned: its delivery and the operator's cancel at once.</summary>
    DeliveryVersusCancel,
    /// <summary>One leg on the road, the others planned: its failure and the operator's cancel at once.</summary>
    FailureVersusCancel,
}

public sealed partial class RaceHunt
{
    private async Task RaceShipmentsAsync(int wave, JsonElement trade, ShipmentRace race)
    {
        var id = Id(trade);
        var stage = $"wave {wave} shipments";
        var legs = trade.GetProperty("legs").GetArrayLength();
        var shipments = (await Eventually.Until(async () => (await _ops.Get($"/api/logistics/shipments?trade={id}")).EnumerateArray().ToList(),
            s => s.Count == legs, TimeSpan.FromSeconds(30), $"{legs} shipments of trade {id}")).OrderBy(s => s.GetProperty("legIndex").GetInt32()).ToList();
        var codes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var s in shipments)
            codes[Id(s)] = (await _clients[s.GetProperty("toTown").GetString()!].Get($"/api/logistics/shipments/{Id(s)}")).GetProperty("handoverCode").GetString()!;
        TradeNetClient Carrier(JsonElement s) => _clients.TryGetValue(s.GetProperty("carrierTown").GetString()!, out var c) ? c : _ops;
        (string, Func<Task<HttpResponseMessage>>) PickUp(JsonElement s, string label = "pickup") =>
            ($"{label} {s.GetProperty("legIndex").GetInt32()}", () => Carrier(s).Send(HttpMethod.Post, $"/api/logistics/shipments/{Id(s)}/pickup"));
        (string, Func<Task<HttpResponseMessage>>) Deliver(JsonElement s, string label = "delivery") =>
            ($"{label} {s.GetProperty("legIndex").GetInt32()}", () => Carrier(s).Send(HttpMethod.Post,
                $"/api/logistics/shipments/{Id(s)}/delivery", new { handoverCode = codes[Id(s)] }));
        (string, Func<Task<HttpResponseMessage>>) Cancel() =>
            ("cancel", () => _ops.Send(HttpMethod.Post, $"/api/matching/trades/{id}/cancel", new { reason = "race hunt" }));

        (string, Func<Task<HttpResponseMessage>>) Fail(JsonElement s) =>
            ($"failure {s.GetProperty("legIndex").GetInt32()}", () => Carrier(s).Send(HttpMethod.Post, $"/api/logistics/shipments/{Id(s)}/failure", new { reason = "race hunt" }));

        switch (race)
        {
            case ShipmentRace.DoublePickupsThenDoubleDeliveries:
                var pickups = await FireAsync(race.ToString(), wave, id, shipments.SelectMany(s => new[] { PickUp(s), PickUp(s, "pickup-again") }));
                var deliveries = await FireAsync(race.ToString(), wave, id, shipments.SelectMany(s => new[] { Deliver(s), Deliver(s, "delivery-again") }));
                // Every leg got one delivery through: the trade is completed, and booked once (the audit counts it).
                if (shipments.All(s => deliveries.Any(d => d.Ok && d.Action.EndsWith($" {s.GetProperty("legIndex").GetInt32()}", StringComparison.Ordinal))))
                    Expect(stage, id, "every leg's delivery answered 200", "completed");
                else
                    Report($"{stage} {race}, trade {id}: no delivery went through on some leg: {string.Join(", ", pickups.Concat(deliveries))}");
                break;
            case ShipmentRace.DeliveryVersusPickupsAndCancel:
                await Carrier(shipments[0]).Post($"/api/logistics/shipments/{Id(shipments[0])}/pickup", null, HttpStatusCode.OK);
                ExpectCancel(stage, id, await FireAsync(race.ToString(), wave, id, [Deliver(shipments[0]), .. shipments.Skip(1).Select(s => PickUp(s)), Cancel()]));
                break;
            case ShipmentRace.PickupsVersusCancel:
                ExpectCancel(stage, id, await FireAsync(race.ToString(), wave, id, [.. shipments.Select(s => PickUp(s)), Cancel()]));
                break;
            case ShipmentRace.FailureVersusDelivery:
                await Carrier(shipments[0]).Post($"/api/logistics/shipments/{Id(shipments[0])}/pickup", null, HttpStatusCode.OK);
                var answers = await FireAsync(race.ToString(), wave, id, [Deliver(shipments[0]), Fail(shipments[0])]);
                if (answers.All(a => a.Ok))
                    Report($"{stage} {race}, trade {id}: both the delivery and the failure of one trip were taken: {string.Join(", ", answers)}");
                break;
            case ShipmentRace.DeliveryVersusCancel or ShipmentRace.FailureVersusCancel:
                await Carrier(shipments[0]).Post($"/api/logistics/shipments/{Id(shipments[0])}/pickup", null, HttpStatusCode.OK);
                var shots = await FireAsync(race.ToString(), wave, id,
                    [race == ShipmentRace.DeliveryVersusCancel ? Deliver(shipments[0]) : Fail(shipments[0]), Cancel()]);
                ExpectCancel(stage, id, shots);
                break;
        }
    }

    /// <summary>A cancel that answered 200 ended the trade (what was delivered stays given); one refused left it agreed or
    /// completed.</summary>
    private void ExpectCancel(string stage, string id, IReadOnlyList<RaceShot> shots)
    {
        if (shots.Single(s => s.Action == "cancel").Ok) Expect(stage, id, "the cancel answered 200", "cancelled");
        else Expect(stage, id, "the cancel was refused", "agreed", "completed");
    }
}
