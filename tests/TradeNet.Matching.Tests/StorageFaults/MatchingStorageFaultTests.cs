using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using TradeNet.Contracts;
using TradeNet.Matching.Api;
using TradeNet.Matching.Storage;
using TradeNet.Matching.Storage.Sqlite;
using TradeNet.Matching.Tests.Component;
using TradeNet.Shared.Storage.Sqlite;
using TradeNet.Testing;
using Xunit.Abstractions;

namespace TradeNet.Matching.Tests.StorageFaults;

/// <summary>The storage-fault hunt over matching's writes (docs/operations.md, "Storage-fault hunt"): a round, a town's
/// accept (the first, and the one that agrees), a reject, an operator's cancel. Each runs fault-free to count its write's
/// steps; then each step and the COMMIT fail in turn on a fresh pair of towns of the same shape (one host per route).
/// The answer must be a 503 naming no internals; the book, every trade, every round, the calls to catalog and logistics
/// and the outbox as before; and the same request sent again must answer as the fault-free run did, with as many events.</summary>
public sealed class MatchingStorageFaultTests(ITestOutputHelper output)
{
    private static int _pair;

    /// <summary>Two towns near Roanne trading cheese for firewood, under ids and goods no other pair uses.</summary>
    internal static (string A, string B, ListingSnapshot[] Listings) NewPair()
    {
        var n = Interlocked.Increment(ref _pair);
        var (a, b) = ($"town-a{n}", $"town-b{n}");
        ListingSnapshot L(string id, string town, string kind, string category, double quantity, double value) =>
            Swap.Listing($"{id}-{n}", town, kind, category, quantity, quantity, value) with
            {
                TownLat = town == a ? 46.0367 : 46.0430, TownLon = town == a ? 4.0683 : 4.0400,
            };
        // Goods of the pair's own: what one pair leaves in the book is never traded with another's.
        var (cheese, wood) = ($"cheese{n}", $"firewood{n}");
        return (a, b, [L("a-cheese", a, "offer", cheese, 10, 12), L("a-wood", a, "need", wood, 150, 0.8),
            L("b-wood", b, "offer", wood, 150, 0.8), L("b-cheese", b, "need", cheese, 10, 12)]);
    }

    public static TheoryData<string> Routes() => ["round", "first accept", "agreeing accept", "reject", "operator cancel"];

    private sealed record Prepared(Func<Task<HttpResponseMessage>> Send, Guid Trade);

    private static async Task<Prepared> PrepareAsync(MatchingHost host, string route)
    {
        var (a, b, listings) = NewPair();
        await host.PublishListingsAsync(listings);
        if (route == "round") return new(() => host.Operator().PostAsync("/api/matching/rounds", null), Guid.Empty);
        var round = await host.RunRoundAsync();
        // A pair rejected before is back in the book and proposed again by this round: this pair's trade is the one with a.
        var trade = (await Task.WhenAll(round.TradeIds.Select(host.TradeAsync))).Single(t => t.Legs.Any(l => l.FromTown == a)).Id;
        var send = Sender(host, route, a, b, trade);
        if (route is "first accept" or "reject") return new(send, trade);
        (await host.Town(a).PostAsync($"/api/matching/trades/{trade}/accept", null)).EnsureSuccessStatusCode();
        if (route == "agreeing accept") return new(send, trade);
        (await host.Town(b).PostAsync($"/api/matching/trades/{trade}/accept", null)).EnsureSuccessStatusCode();
        return new(send, trade);
    }

    private static Func<Task<HttpResponseMessage>> Sender(MatchingHost host, string route, string a, string b, Guid trade) => route switch
    {
        "first accept" => () => host.Town(a).PostAsync($"/api/matching/trades/{trade}/accept", null),
        "reject" => () => host.Town(b).PostAsync($"/api/matching/trades/{trade}/reject", null),
        "agreeing accept" => () => host.Town(b).PostAsync($"/api/matching/trades/{trade}/accept", null),
        _ => () => host.Operator().PostAsJsonAsync($"/api/matching/trades/{trade}/cancel", new { reason = "storage fault hunt" }),
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_write_that_fails_at_any_step_answers_503_applies_nothing_and_succeeds_when_retried(string route)
    {
        await using var host = new MatchingHost();
        _ = host.Services;
        var database = ((SqliteMatchingStore)host.Services.GetRequiredService<MatchingStorage>().Store).Database;
        var plan = new StorageFaultPlan(database);

        var reference = await PrepareAsync(host, route);
        var refPublished = await QuietAsync(host, database);
        plan.Arm();
        var first = await reference.Send();
        var steps = plan.Disarm();
        var expected = Masked(await first.Content.ReadAsStringAsync());
        Assert.True(first.IsSuccessStatusCode, $"{route} fault-free: {(int)first.StatusCode} {expected}");
        var expectedEvents = await QuietAsync(host, database) - refPublished;
        output.WriteLine($"{route}: {steps.Count} steps: {string.Join(" | ", steps)}");

        foreach (var (step, code) in StorageFaultPlan.Faults(steps.Count))
        {
            var prepared = await PrepareAsync(host, route);
            var published = await QuietAsync(host, database);
            var before = await SnapshotAsync(host);
            var calls = Calls(host);
            var tradeBefore = prepared.Trade == Guid.Empty ? null : await host.TradeAsync(prepared.Trade);

            plan.Arm(step, code);
            var failed = await prepared.Send();
            plan.Disarm();
            var where = $"{route}, {plan.Failed ?? $"step {step} never reached (steps: {string.Join(" | ", steps)})"}";
            if (failed.IsSuccessStatusCode)
            {
                // The fault hit a step after the write committed (a round giving its lease back): the answer is the write's.
                Assert.Equal(expected, Masked(await failed.Content.ReadAsStringAsync()));
                Assert.True(expectedEvents == await QuietAsync(host, database) - published, $"{where}: other events than the fault-free run");
                continue;
            }
            var detail = await StorageFaultAnswers.AssertRetryableAsync(failed, where);
            if (detail.Contains("not applied"))
            {
                StorageFaultAnswers.AssertSame(before, await SnapshotAsync(host), where);
                Assert.True(calls == Calls(host), $"{where}: answered 'not applied' after calling catalog or logistics");
            }
            else
            {
                // The other service did its part first (catalog reserved; logistics stopped the goods): what was stored
                // before stays, and the answer says so and what finishes it.
                var trade = await host.TradeAsync(prepared.Trade);
                Assert.True(route switch
                {
                    "agreeing accept" => detail == Matching.Trades.TradeLifecycle.AgreementNotStored && trade.Status == Domain.TradeStatus.Proposed && trade.Legs.All(l => l.Response == Domain.LegResponse.Accepted),
                    "operator cancel" => detail == Matching.Trades.OperatorCancellation.CancellationNotStored && trade.Status == Domain.TradeStatus.Agreed
                        && trade.Version == tradeBefore!.Version,
                    _ => false,
                }, $"{where}: answered '{detail}' with the trade {trade.Status}");
            }
            Assert.True(published == await QuietAsync(host, database), $"{where}: an event left for a write that did not happen");

            var retried = await prepared.Send();
            var answer = Masked(await retried.Content.ReadAsStringAsync());
            Assert.True(first.StatusCode == retried.StatusCode, $"{where}: the retry answered {(int)retried.StatusCode} {answer}");
            Assert.Equal(expected, answer);
            Assert.True(expectedEvents == await QuietAsync(host, database) - published, $"{where}: the retry published other events than the fault-free run");
        }
    }

    private static (int Reservations, int Stops) Calls(MatchingHost host) => (host.Catalog.Reservations.Count, host.Logistics!.Stops.Count);

    // A pair's towns and listings carry its number, and a round's duration varies.
    internal static string Masked(string json) => System.Text.RegularExpressions.Regex.Replace(
        StorageFaultAnswers.Masked(json), "(town-[ab]|a-cheese-|a-wood-|b-wood-|b-cheese-|cheese|firewood)\\d+|\"durationMs\":\\d+", "$1#");

    /// <summary>What an operator reads: the book, every trade, the rounds. The calls made to catalog and logistics are
    /// checked apart (<see cref="Calls"/>): an accept that agrees and an operator's cancel make them before their last
    /// write, idempotent by trade id, and must then not answer "not applied".</summary>
    private static async Task<string> SnapshotAsync(MatchingHost host)
    {
        var ops = host.Operator();
        return string.Join("\n",
            await ops.GetStringAsync("/api/matching/book"),
            await ops.GetStringAsync("/api/matching/trades?limit=1000"),
            await ops.GetStringAsync("/api/matching/rounds?limit=500"));
    }

    /// <summary>Waits until the outbox is empty; how many events the bus has seen.</summary>
    internal static async Task<int> QuietAsync(MatchingHost host, SqliteDatabase database)
    {
        var outbox = new SqliteOutboxStore(database);
        await Eventually.Until(async () => (await outbox.BacklogAsync(default)).Pending, n => n == 0, TimeSpan.FromSeconds(10), "the outbox drained");
        return host.Harness.PublishedCountSoFar();
    }
}
