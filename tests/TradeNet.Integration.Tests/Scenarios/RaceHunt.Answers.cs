using System.Text.Json;
using TradeNet.Testing;

namespace TradeNet.Integration.Tests.Scenarios;

/// <summary>What a proposal's answers are raced against.</summary>
public enum AnswerRace
{
    /// <summary>The last accept, the operator's cancel and the offer's owner withdrawing it, at once.</summary>
    LastAcceptVersusCancelAndWithdraw,
    /// <summary>The last accept, the operator's cancel and the offer's owner lowering it below the leg, at once.</summary>
    LastAcceptVersusCancelAndLowering,
    /// <summary>Every town's accept, each sent twice at once.</summary>
    DoubleAccepts,
    /// <summary>Accept and reject of the same leg at once (the other towns accept too).</summary>
    AcceptVersusRejectOfOneLeg,
    /// <summary>Every accept while two clearing rounds start.</summary>
    AcceptsVersusTwoRounds,
    /// <summary>Every accept while the offer's owner changes its terms (min lot over the leg, a later window, more quantity).</summary>
    AcceptsVersusTermsChange,
    /// <summary>Every accept while an operator suspends one of the towns.</summary>
    AcceptsVersusSuspension,
    /// <summary>Every accept while one of the towns rotates its key and an operator rotates it too (that town's accept sent
    /// with the old key).</summary>
    AcceptsVersusKeyRotation,
    /// <summary>Every accept sent within a few hundred milliseconds of the deadline, as the sweep expires it.</summary>
    AcceptsAtTheDeadline,
}

public sealed partial class RaceHunt
{
    /// <summary>Rotation races under way per town, and the towns that had two at once.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _rotating = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _rotatedWithOthers = new(StringComparer.Ordinal);

    private async Task RaceAnswersAsync(int wave, JsonElement trade, AnswerRace race)
    {
        var id = Id(trade);
        var stage = $"wave {wave} answers";
        var legs = trade.GetProperty("legs").EnumerateArray().ToList();
        var givers = TownsOf(trade).ToList();
        var first = legs[0];
        var offer = first.GetProperty("offerId").GetString()!;
        var offerOwner = first.GetProperty("fromTown").GetString()!;
        (string, Func<Task<HttpResponseMessage>>) Accept(string town, string? label = null) =>
            ($"accept {label ?? town}", () => _clients[town].Send(HttpMethod.Post, $"/api/matching/trades/{id}/accept"));
        (string, Func<Task<HttpResponseMessage>>) Cancel() =>
            ("cancel", () => _ops.Send(HttpMethod.Post, $"/api/matching/trades/{id}/cancel", new { reason = "race hunt" }));

        List<(string, Func<Task<HttpResponseMessage>>)> shots;
        // What this race may make unfit, for every proposal of the wave that shares it (a listing or a town can be in several).
        if (race is AnswerRace.LastAcceptVersusCancelAndWithdraw or AnswerRace.LastAcceptVersusCancelAndLowering or AnswerRace.AcceptsVersusTermsChange)
            _disturbed[offer] = true;
        switch (race)
        {
            case AnswerRace.LastAcceptVersusCancelAndWithdraw or AnswerRace.LastAcceptVersusCancelAndLowering:
                // Every town but the last accepts first, so the burst's accept is the one that asks catalog to reserve.
                foreach (var town in givers.SkipLast(1))
                    await _clients[town].Post($"/api/matching/trades/{id}/accept", null, System.Net.HttpStatusCode.OK);
                var lowered = Math.Max(5, Math.Floor(first.GetProperty("quantity").GetDouble() / 2));
                shots =
                [
                    Accept(givers[^1]), Cancel(),
                    race == AnswerRace.LastAcceptVersusCancelAndWithdraw
                        ? ("withdraw", () => _clients[offerOwner].Send(HttpMethod.Delete, $"/api/catalog/listings/{offer}"))
                        : ("lower", () => _clients[offerOwner].Send(HttpMethod.Put, $"/api/catalog/listings/{offer}", new { quantity = lowered })),
                ];
                break;
            case AnswerRace.DoubleAccepts:
                shots = [.. givers.Select(t => Accept(t)), .. givers.Select(t => Accept(t, t + " again"))];
                break;
            case AnswerRace.AcceptVersusRejectOfOneLeg:
                var index = first.GetProperty("index").GetInt32();
                shots =
                [
                    .. givers.Skip(1).Select(t => Accept(t)),
                    ("accept leg", () => _clients[offerOwner].Send(HttpMethod.Post, $"/api/matching/trades/{id}/legs/{index}/accept")),
                    ("reject leg", () => _clients[offerOwner].Send(HttpMethod.Post, $"/api/matching/trades/{id}/legs/{index}/reject")),
                ];
                break;
            case AnswerRace.AcceptsVersusTwoRounds:
                shots =
                [
                    .. givers.Select(t => Accept(t)),
                    ("round", () => _ops.Send(HttpMethod.Post, "/api/matching/rounds")),
                    ("round again", () => _ops.Send(HttpMethod.Post, "/api/matching/rounds")),
                ];
                break;
            case AnswerRace.AcceptsVersusTermsChange:
                object change = _random.Next(3) switch
                {
                    0 => new { minLot = first.GetProperty("quantity").GetDouble() + 1 },
                    1 => new { availableUntil = DateTimeOffset.UtcNow.AddDays(30 + _random.Next(30)) },
                    _ => new { quantity = 2000 },
                };
                shots = [.. givers.Select(t => Accept(t)), ("change " + JsonSerializer.Serialize(change),
                    () => _clients[offerOwner].Send(HttpMethod.Put, $"/api/catalog/listings/{offer}", change))];
                break;
            case AnswerRace.AcceptsVersusSuspension:
                var suspended = givers[_random.Next(givers.Count)];
                lock (_suspended) _suspended.Add(suspended);
                _disturbed[suspended] = true;
                shots = [.. givers.Select(t => Accept(t)),
                    ("suspend", () => _ops.Send(HttpMethod.Post, $"/api/catalog/towns/{suspended}/suspension", new { reason = "race hunt" }))];
                break;
            case AnswerRace.AcceptsVersusKeyRotation:
                var rotating = givers[_random.Next(givers.Count)];
                // The town and an operator rotate its key at once: both may succeed, one after the other, but only the
                // key of the later one may work afterwards.
                shots = [.. givers.Select(t => Accept(t)),
                    ("rotate", () => _clients[rotating].Send(HttpMethod.Post, $"/api/catalog/towns/{rotating}/api-key")),
                    ("rotate-by-operator", () => _ops.Send(HttpMethod.Post, $"/api/catalog/towns/{rotating}/api-key"))];
                _rotating.AddOrUpdate(rotating, 1, (_, n) => n + 1);
                var rotated = await FireAsync(race.ToString(), wave, id, shots);
                var live = new List<string>();
                foreach (var newKey in rotated.Where(s => s.Action.StartsWith("rotate", StringComparison.Ordinal) && s.Ok)
                             .Select(s => JsonDocument.Parse(s.Body).RootElement.GetProperty("apiKey").GetString()!))
                {
                    using var probe = _flow.Client(newKey);
                    using var answer = await probe.Send(HttpMethod.Get, "/api/matching/trades?limit=1");
                    if (answer.IsSuccessStatusCode) live.Add(newKey);
                }
                // Only for a town nothing else rotated or suspended meanwhile: a suspension revokes the new key too, and another
                // race's rotation of the same town replaces it.
                var alone = _rotating.AddOrUpdate(rotating, 0, (_, n) => n - 1) == 0 && !_rotatedWithOthers.ContainsKey(rotating);
                if (!alone) _rotatedWithOthers[rotating] = true;
                bool suspendedToo;
                lock (_suspended) suspendedToo = _suspended.Contains(rotating);
                if (live.Count != 1 && alone && !suspendedToo)
                    Report($"wave {wave} {race}, trade {id}: {live.Count} of the keys the rotations returned work ({string.Join(", ", rotated.Where(s => s.Action.StartsWith("rotate", StringComparison.Ordinal)))})");
                if (live.Count > 0) _clients[rotating] = _flow.Client(live[^1]);
                // A town whose accept the old key lost sends it again with the new one, as a client would.
                if (rotated.Single(s => s.Action == $"accept {rotating}").Status == System.Net.HttpStatusCode.Unauthorized)
                    using (await _clients[rotating].Send(HttpMethod.Post, $"/api/matching/trades/{id}/accept")) { }
                ExpectFrom(stage, id, race, rotated.Where(s => s.Action != $"accept {rotating}").ToList(), everyAccept: false);
                return;
            case AnswerRace.AcceptsAtTheDeadline:
                var at = trade.GetProperty("deadline").GetDateTimeOffset().AddMilliseconds(_random.Next(-400, 300));
                // The clock read once: read twice, a thread held up between the reads turned a wait just above zero negative.
                var untilAt = at - DateTimeOffset.UtcNow;
                if (untilAt > TimeSpan.Zero) await Task.Delay(untilAt);
                shots = [.. givers.Select(t => Accept(t))];
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(race));
        }
        ExpectFrom(stage, id, race, await FireAsync(race.ToString(), wave, id, shots), everyAccept: true);
    }

    /// <summary>What the answers promise about the trade's end.</summary>
    private void ExpectFrom(string stage, string id, AnswerRace race, IReadOnlyList<RaceShot> shots, bool everyAccept)
    {
        var ended = shots.FirstOrDefault(s => s.Ok && (s.Action == "cancel" || s.Action.StartsWith("reject", StringComparison.Ordinal)));
        if (ended is not null)
        {
            Expect(stage, id, $"{ended.Action} answered {(int)ended.Status}", "cancelled");
            return;
        }
        // An agreement is never undone but by a cancel (refused here, else it would have ended it above).
        if (shots.FirstOrDefault(s => s.TradeStatus == "agreed") is { } agreed)
        {
            Expect(stage, id, $"{agreed.Action} answered it agreed", "agreed");
            return;
        }
        // Nothing here can make a trade that every town accepted in time unfit: it must be agreed, not lost or stranded.
        var benign = race switch
        {
            AnswerRace.DoubleAccepts or AnswerRace.AcceptsVersusTwoRounds or AnswerRace.AcceptsAtTheDeadline => true,
            AnswerRace.AcceptsVersusTermsChange => !shots.Any(s => s.Action.Contains("minLot", StringComparison.Ordinal)),
            _ => false,
        };
        var accepts = shots.Where(s => s.Action.StartsWith("accept", StringComparison.Ordinal)).ToList();
        if (benign && everyAccept && accepts.Count > 0 && accepts.All(s => s.Ok))
            Expect(stage, id, "every accept answered 200 and nothing that ends a trade was sent", ["agreed"],
                // Unless another race of the wave withdrew, lowered or tightened one of its listings, or suspended one of its towns.
                unless: trade => trade.GetProperty("legs").EnumerateArray()
                    .SelectMany(l => new[] { l.GetProperty("offerId").GetString()!, l.GetProperty("needId").GetString()!, l.GetProperty("fromTown").GetString()! })
                    .Any(_disturbed.ContainsKey));
    }
}
