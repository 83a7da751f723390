using System.Text.Json;

namespace TradeNet.Integration.Tests.Scenarios;

public sealed partial class RaceHunt
{
    /// <summary>
    /// Two proposals over one offer, then every town accepts both at once, while the offer's owner lowers it back to what
    /// covers only one (or withdraws it, or does nothing). The offer is proposed once, raised, and proposed again, so
    /// together the proposals take more than it will hold: catalog's reservation must refuse what no longer fits, all or
    /// nothing per trade, and never reserve beyond the quantity (the audit checks both).
    /// </summary>
    /// <returns>The towns registered for it.</returns>
    private async Task<List<string>> RaceSharedListingAsync(int wave, string sold, string bought)
    {
        var towns = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var town = await _flow.RegisterTown($"Race {seed} w{wave} shared t{i}", null, 46.06 + 0.004 * i, 4.03);
            _clients[town.Id] = town.Client;
            towns.Add(town.Id);
        }
        // Town 0 offers a little and needs a lot; towns 1 and 2 need a lot of it and offer a lot in return.
        var offer = Id(await Publish(towns[0], "offer", sold, 1000));
        await Publish(towns[0], "need", bought, 500_000);
        foreach (var town in towns.Skip(1))
        {
            await Publish(town, "need", sold, 500_000);
            await Publish(town, "offer", bought, 500_000);
        }
        var first = await ProposeAsync(towns);
        using (var raised = await _clients[towns[0]].Send(HttpMethod.Put, $"/api/catalog/listings/{offer}", new { quantity = 2000 }))
            if (!raised.IsSuccessStatusCode) Problems.Add($"wave {wave} shared listing: raising the offer answered {(int)raised.StatusCode}");
        List<JsonElement> proposals = [];
        for (var attempt = 0; attempt < 20 && proposals.Count < 2; attempt++)
        {
            await Task.Delay(200);
            using var round = await _ops.Send(HttpMethod.Post, "/api/matching/rounds");
            proposals = (await TradesAsync(towns, "proposed"))
                .Where(t => t.GetProperty("legs").EnumerateArray().Any(l => l.GetProperty("offerId").GetString() == offer)).ToList();
        }
        Notes.Add($"wave {wave} shared listing: {proposals.Count} proposals over one offer (first round {first.Count})");
        if (proposals.Count < 2) return towns;

        var twist = _random.Next(3);
        var shots = proposals.SelectMany(t => TownsOf(t).Select(town =>
            ($"accept {town}", (Func<Task<HttpResponseMessage>>)(() => _clients[town].Send(HttpMethod.Post, $"/api/matching/trades/{Id(t)}/accept"))))).ToList();
        if (twist == 0) shots.Add(("lower", () => _clients[towns[0]].Send(HttpMethod.Put, $"/api/catalog/listings/{offer}", new { quantity = 1000 })));
        if (twist == 1) shots.Add(("withdraw", () => _clients[towns[0]].Send(HttpMethod.Delete, $"/api/catalog/listings/{offer}")));
        var answers = await FireAsync(twist switch { 0 => "SharedOfferAcceptsVersusLowering", 1 => "SharedOfferAcceptsVersusWithdrawal", _ => "SharedOfferAccepts" },
            wave, string.Join("+", proposals.Select(Id)), shots);
        // Raised to cover both and left alone: every trade accepted by all its towns is agreed.
        if (twist == 2 && answers.All(a => a.Ok))
            foreach (var trade in proposals)
                Expect($"wave {wave} shared listing", Id(trade), "the offer covers both proposals and every accept answered 200", "agreed");
        return towns;
    }
}
