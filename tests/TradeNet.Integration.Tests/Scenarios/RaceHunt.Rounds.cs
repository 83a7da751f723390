using System.Net;
using System.Text.Json;
using TradeNet.Testing;

namespace TradeNet.Integration.Tests.Scenarios;

public sealed partial class RaceHunt
{
    /// <summary>
    /// Two rounds started at once while towns withdraw, lower, tighten and shorten the listings those rounds are reading:
    /// a round must not leave a proposal on a withdrawn or ended listing, nor proposals taking more than a lowered listing
    /// holds, once the changes have been read (checked by the audit before anyone answers). Then every town accepts
    /// what is left at once, and catalog's reservation must refuse whatever no longer fits.
    /// </summary>
    /// <returns>The towns registered for it.</returns>
    private async Task<List<string>> RaceRoundsVersusListingChangesAsync(int wave, string first, string second)
    {
        var stage = $"wave {wave} rounds";
        var towns = new List<string>();
        var offers = new List<string>();
        var needs = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var town = await _flow.RegisterTown($"Race {seed} w{wave} round t{i}", null, 46.0 + 0.004 * i, 4.08);
            _clients[town.Id] = town.Client;
            towns.Add(town.Id);
            offers.Add(Id(await Publish(town.Id, "offer", i % 2 == 0 ? first : second, 1000 + 100 * _random.Next(10))));
            needs.Add(Id(await Publish(town.Id, "need", i % 2 == 0 ? second : first, 1000 + 100 * _random.Next(10))));
        }
        // The changes only race the round if the round reads the listings: wait until matching's book holds them.
        var all = offers.Concat(needs).ToHashSet(StringComparer.Ordinal);
        await Eventually.True(async () => (await BookAsync()).Count(all.Contains) == all.Count, TimeSpan.FromSeconds(30), "the listings in matching's book");

        (string, Func<Task<HttpResponseMessage>>) Put(int town, string listing, object change, string label) =>
            (label, () => _clients[towns[town]].Send(HttpMethod.Put, $"/api/catalog/listings/{listing}", change));
        var changes = new List<(string, Func<Task<HttpResponseMessage>>)>
        {
            ("withdraw", () => _clients[towns[0]].Send(HttpMethod.Delete, $"/api/catalog/listings/{offers[0]}")),
            Put(1, offers[1], new { quantity = 5 }, "lower"),
            Put(2, needs[2], new { minLot = 900 }, "change minLot"),
            // Its window ends a few seconds after the burst: a proposal on it must end with it.
            Put(3, offers[3], new { availableUntil = DateTimeOffset.UtcNow.AddSeconds(4) }, "change window"),
        };
        // Some of them each time, so some proposals survive to be accepted.
        var shots = new List<(string, Func<Task<HttpResponseMessage>>)>
        {
            ("round", () => _ops.Send(HttpMethod.Post, "/api/matching/rounds")),
            ("round again", () => _ops.Send(HttpMethod.Post, "/api/matching/rounds")),
        };
        shots.AddRange(changes.Where(_ => _random.Next(2) == 0));
        await FireAsync("RoundsVersusListingChanges", wave, "(new)", shots);

        // Before anyone answers: what the rounds proposed fits the listings as they are now, once matching has read them.
        IReadOnlyList<string> problems;
        var until = DateTime.UtcNow.AddSeconds(10);
        await Task.Delay(1000);
        while ((problems = await ConsistencyAudit.CheckAsync(_ops, towns)).Count > 0 && DateTime.UtcNow < until) await Task.Delay(300);
        lock (Problems) Problems.AddRange(problems.Select(p => $"{stage} (before any answer): {p}"));

        var proposals = await TradesAsync(towns, "proposed");
        await Task.WhenAll(proposals.Select(async trade =>
        {
            var answers = await FireAsync("AcceptsAfterListingChanges", wave, Id(trade), TownsOf(trade)
                .Select(t => ($"accept {t}", (Func<Task<HttpResponseMessage>>)(() => _clients[t].Send(HttpMethod.Post, $"/api/matching/trades/{Id(trade)}/accept")))));
            if (answers.FirstOrDefault(a => a.TradeStatus == "agreed") is { } agreed) Expect(stage, Id(trade), $"{agreed.Action} answered it agreed", "agreed");
        }));
        return towns;
    }

    /// <summary>The ids in matching's book, every page.</summary>
    private async Task<List<string>> BookAsync()
    {
        var ids = new List<string>();
        for (string? after = null; ;)
        {
            var page = (await _ops.Get($"/api/matching/book?limit=1000{(after is null ? "" : "&after=" + after)}")).EnumerateArray().Select(Id).ToList();
            ids.AddRange(page);
            if (page.Count < 1000) return ids;
            after = page[^1];
        }
    }
}
