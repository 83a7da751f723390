using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TradeNet.Matching.Api;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Tests.Component;
using TradeNet.Matching.Trades;
using TradeNet.Testing;
using Xunit.Abstractions;

namespace TradeNet.Matching.Tests.TimeHunt;

/// <summary>
/// The deadline time hunt: proposals whose deadline falls at the hunt's instants (a clock change's skipped or repeated
/// hour in Paris, New York, Adelaide, Lord Howe, Santiago; midnights, month ends, 29 February), some ended earlier by a
/// listing's window that closes exactly then, answered and swept just before, at and just after it; then the clock
/// jumps days ahead (a machine resumed from sleep) or steps back seconds (NTP). Checked (matching README, docs): the
/// deadline is the round's start + <c>Matching:ProposalTtl</c> or the first leg's window end, whichever is first; no
/// accept after it is taken (409 with a ProblemDetails naming it), none at or before it refused; the sweep never expires
/// a proposal before its deadline and always after it; no answer a 5xx.
/// </summary>
public sealed class DeadlineTimeHuntTests(ITestOutputHelper output)
{
    /// <summary>A clock the test sets to the tick, forwards or back (FakeTimeProvider refuses to go back).</summary>
    private sealed class SetClock(DateTimeOffset now) : TimeProvider
    {
        private long _ticks = now.UtcTicks;
        public DateTimeOffset Now { get => new(Interlocked.Read(ref _ticks), TimeSpan.Zero); set => Interlocked.Exchange(ref _ticks, value.UtcTicks); }
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public async Task No_proposal_is_accepted_after_its_deadline_or_expired_before_it_at_the_hunts_instants()
    {
        var failures = new List<string>();
        foreach (var seed in TimeHuntInstants.Seeds("1-4")) failures.AddRange(await RunAsync(seed, rounds: 4));
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }

    [HeavyTimeHuntFact]
    public async Task Many_seeds_of_proposal_deadlines_hold_at_the_hunts_instants()
    {
        var failures = new List<string>();
        foreach (var seed in HeavyTimeHuntFactAttribute.Seeds())
        {
            var found = await RunAsync(seed, rounds: 12);
            output.WriteLine($"seed {seed}: {found.Count} failures");
            failures.AddRange(found);
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(40)));
    }

    private static async Task<List<string>> RunAsync(int seed, int rounds)
    {
        var hunt = new TimeHuntInstants(seed);
        var failures = new List<string>();
        var ttl = TimeSpan.FromMinutes(new[] { 1, 30, 60, 24 * 60 }[hunt.Random.Next(4)]);
        var clock = new SetClock(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero));
        // The sweeps' own timers are left to the test: it sweeps at the instants it chooses.
        await using var host = new MatchingHost(new()
        {
            ["Matching:ProposalTtl"] = ttl.ToString(), ["Matching:SweepInterval"] = "01:00:00",
        }) { Clock = clock };
        for (var r = 0; r < rounds; r++)
        {
            var zone = TimeHuntInstants.Zone(TimeHuntInstants.Zones[hunt.Random.Next(TimeHuntInstants.Zones.Length)]);
            // The instant the deadline should fall on, with sub-millisecond ticks as a real clock has.
            var target = hunt.Instant(zone) + TimeSpan.FromTicks(hunt.Random.Next(10_000));
            var windowEnds = hunt.Random.Next(2) == 0;
            clock.Now = windowEnds ? target - ttl / 2 : target - ttl;
            var what = $"seed {seed} round {r}: deadline meant for {target:O} ({zone.Id}), ttl {ttl}, window ends there: {windowEnds}";
            // Towns and categories of the round's own: earlier rounds' listings match nothing of it.
            var (a, b) = ($"a{r}", $"b{r}");
            await host.PublishListingsAsync(
                Swap.Listing($"a-cheese-{r}", a, "offer", $"cheese-{r}", 10, 10, 12) with
                {
                    AvailableFrom = clock.Now - TimeSpan.FromDays(1), AvailableUntil = windowEnds ? target : null,
                },
                Swap.Listing($"a-wood-{r}", a, "need", $"firewood-{r}", 150, 150, 0.8),
                Swap.Listing($"b-wood-{r}", b, "offer", $"firewood-{r}", 200, 200, 0.8),
                Swap.Listing($"b-cheese-{r}", b, "need", $"cheese-{r}", 10, 10, 12));
            var startedAt = clock.Now;
            var round = await host.RunRoundAsync();
            // Earlier rounds' expired pairs may trade again in it (their quantities came back): this round's trade is the one of its towns.
            TradeView? trade = null;
            foreach (var id in round.TradeIds)
                if (await host.TradeAsync(id) is var t && t.Legs.Any(l => l.FromTown == a)) trade = t;
            if (trade is null) { failures.Add($"{what}: the round proposed no trade between {a} and {b}"); continue; }
            var expected = windowEnds ? target : startedAt + ttl;
            if (trade.Deadline > expected || trade.Deadline < expected - TimeSpan.FromMilliseconds(1))
                failures.Add($"{what}: deadline {trade.Deadline:O}, expected {expected:O}");
            var deadline = trade.Deadline;

            // An accept (A's) and a sweep just before, at, or just after the deadline.
            var probe = hunt.Random.Next(3) switch { 0 => deadline - TimeSpan.FromTicks(1), 1 => deadline, _ => deadline + TimeSpan.FromTicks(1) };
            clock.Now = probe;
            var accept = await Swap.AcceptAsync(host, a, trade.Id);
            var body = await accept.Content.ReadAsStringAsync();
            if (probe <= deadline ? accept.StatusCode != HttpStatusCode.OK
                : accept.StatusCode != HttpStatusCode.Conflict || !body.Contains("deadline", StringComparison.Ordinal))
                failures.Add($"{what}: A's accept at {probe:O} (deadline {deadline:O}) answered {(int)accept.StatusCode} {body}");
            await SweepAsync(host);
            var after = await host.TradeAsync(trade.Id);
            if ((after.Status == TradeStatus.Cancelled) != (probe > deadline))
                failures.Add($"{what}: swept at {probe:O} (deadline {deadline:O}), the proposal is {after.Status}");

            // The machine sleeps for days, or NTP steps the clock back a few seconds; then B answers and the sweep runs.
            var jump = hunt.Random.Next(2) == 0 ? TimeSpan.FromDays(hunt.Random.Next(1, 4)) : -TimeSpan.FromSeconds(hunt.Random.Next(1, 10));
            clock.Now = probe + jump;
            var late = await Swap.AcceptAsync(host, b, trade.Id);
            if ((int)late.StatusCode >= 500 || (clock.Now > deadline && after.Status == TradeStatus.Proposed && late.StatusCode != HttpStatusCode.Conflict))
                failures.Add($"{what}: B's accept at {clock.Now:O} (deadline {deadline:O}, was {after.Status}) answered {(int)late.StatusCode} {await late.Content.ReadAsStringAsync()}");
            await SweepAsync(host);
            var last = await host.TradeAsync(trade.Id);
            if (last.Status == TradeStatus.Proposed && clock.Now > deadline)
                failures.Add($"{what}: still proposed at {clock.Now:O}, after its deadline {deadline:O}");
            if (after.Status == TradeStatus.Cancelled && last.Status != TradeStatus.Cancelled)
                failures.Add($"{what}: expired, then {last.Status} after the clock stepped to {clock.Now:O}");
            // Clear the book for the next round: whatever was agreed or proposed ends.
            clock.Now += TimeSpan.FromDays(5);
            await SweepAsync(host);
        }
        return failures;
    }

    private static async Task SweepAsync(MatchingHost host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<TradeLifecycle>().ExpireAsync(CancellationToken.None);
    }
}
