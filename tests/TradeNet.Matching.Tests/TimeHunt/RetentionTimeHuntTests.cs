using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Rounds;
using TradeNet.Matching.Storage;
using TradeNet.Matching.Storage.Sqlite;
using TradeNet.Matching.Trades;
using TradeNet.Shared.Storage.Sqlite;
using TradeNet.Testing;
using static TradeNet.Matching.Tests.Storage.UnagreedTrades;

namespace TradeNet.Matching.Tests.TimeHunt;

/// <summary>
/// The retention time hunt: rounds started and proposals cancelled at the hunt's instants (a tick, a millisecond, a second
/// either side of a clock change, midnight, month end, 29 February), then <c>Matching:RoundRetention</c> and
/// <c>Matching:UnagreedTradeRetention</c> swept just before, at and just after each one's due time, with the clock jumping
/// days ahead and stepping seconds back between sweeps. Checked (matching README, docs/operations.md "Growth and
/// retention"): nothing is deleted before its start or cancellation + the retention (data loss is the worst a sweep can
/// do), everything a millisecond past it is gone after a sweep (the stores keep whole milliseconds), the newest round stays.
/// </summary>
public sealed class RetentionTimeHuntTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("tradenet-retention-hunt-");

    /// <summary>A clock the test sets to the tick, forwards or back (FakeTimeProvider refuses to go back).</summary>
    private sealed class SetClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public async Task No_round_or_unagreed_proposal_is_deleted_before_its_retention_or_kept_a_millisecond_past_it()
    {
        var failures = new List<string>();
        foreach (var seed in TimeHuntInstants.Seeds("1-6")) failures.AddRange(await RunAsync(seed));
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }

    private async Task<List<string>> RunAsync(int seed)
    {
        var hunt = new TimeHuntInstants(seed);
        var failures = new List<string>();
        var path = Path.Combine(_dir.FullName, $"matching-{seed}.db");
        try
        {
            var store = new SqliteMatchingStore(path);
            var zone = TimeHuntInstants.Zone(TimeHuntInstants.Zones[hunt.Random.Next(TimeHuntInstants.Zones.Length)]);
            var keep = new[] { TimeSpan.FromDays(1), TimeSpan.FromDays(1) + TimeSpan.FromMilliseconds(1), TimeSpan.FromDays(30),
                TimeSpan.FromHours(25) }[hunt.Random.Next(4)];
            var instant = hunt.Instant(zone);
            // Around one instant, a tick, a millisecond and a second apart: the edges the millisecond stores round.
            TimeSpan[] near = [TimeSpan.Zero, TimeSpan.FromTicks(1), TimeSpan.FromTicks(-1), TimeSpan.FromMilliseconds(1),
                TimeSpan.FromMilliseconds(-1), TimeSpan.FromSeconds(1), TimeSpan.FromTicks(hunt.Random.Next(1, 10_000))];
            var rounds = new Dictionary<Guid, DateTimeOffset>();
            var trades = new Dictionary<Guid, DateTimeOffset>();
            await using (var session = await store.BeginAsync())
            {
                foreach (var at in near.Select(d => instant + d))
                {
                    var round = Round(at);
                    rounds[round.Id] = at;
                    await session.InsertRoundAsync(round);
                }
                // The newest round, which the schedule reads, after everything the sweeps below can reach.
                await session.InsertRoundAsync(Round(instant + keep + TimeSpan.FromDays(60)));
                await session.CommitAsync();
            }
            foreach (var at in near.Select(d => instant + d))
            {
                var trade = await WriteAsync(store, Proposal(at.AddHours(-1)), t => Declined(t, at));
                trades[trade.Id] = trade.CancelledAt!.Value;
            }

            var clock = new SetClock(instant);
            var options = Options.Create(new MatchingOptions { RoundRetention = keep, UnagreedTradeRetention = keep });
            var roundSweep = new RoundRetention(store, options, clock, NullLogger<RoundRetention>.Instance);
            var tradeSweep = new UnagreedTradeRetention(store, options, clock, NullLogger<UnagreedTradeRetention>.Instance);
            // Each item's due time and the edges around it, in a shuffled order: a later sweep may be at an earlier clock
            // (stepped back), as a replica with a slower clock sweeps after one with a faster.
            var nows = near.SelectMany(d => new[] { instant + keep + d, instant + keep + d + TimeSpan.FromTicks(1),
                instant + keep + d - TimeSpan.FromTicks(1), instant + keep + d + TimeSpan.FromMilliseconds(1) }).ToList();
            nows = nows.OrderBy(_ => hunt.Random.Next()).ToList();
            nows.Add(instant + keep - TimeSpan.FromSeconds(hunt.Random.Next(1, 60)));
            nows.Add(instant + keep + TimeSpan.FromDays(hunt.Random.Next(1, 10)));
            nows.Add(instant + keep + TimeSpan.FromDays(1) - TimeSpan.FromSeconds(hunt.Random.Next(1, 60)));
            var goneRounds = new HashSet<Guid>();
            var goneTrades = new HashSet<Guid>();
            foreach (var now in nows)
            {
                clock.Now = now;
                await roundSweep.SweepAsync(CancellationToken.None);
                await tradeSweep.SweepAsync(CancellationToken.None);
                var left = (await store.RoundsAsync(100)).Select(r => r.Id).ToHashSet();
                var leftTrades = (await store.TradesAsync(new TradeQuery(Status: TradeStatus.Cancelled))).Select(t => t.Id).ToHashSet();
                Check("round", rounds, left, goneRounds, now);
                Check("proposal", trades, leftTrades, goneTrades, now);
            }

            void Check(string what, Dictionary<Guid, DateTimeOffset> all, HashSet<Guid> left, HashSet<Guid> gone, DateTimeOffset now)
            {
                foreach (var (id, at) in all)
                {
                    var due = at + keep;
                    if (!left.Contains(id) && gone.Add(id) && now < due)
                        failures.Add($"seed {seed} {zone.Id} keep {keep}: {what} of {at:O} deleted at {now:O}, due {due:O}");
                    if (left.Contains(id) && now >= due + TimeSpan.FromMilliseconds(1))
                        failures.Add($"seed {seed} {zone.Id} keep {keep}: {what} of {at:O} kept at {now:O}, due {due:O}");
                }
            }
        }
        finally
        {
            SqliteDatabase.ClearPool(path);
        }
        return failures;
    }

    private static ClearingRound Round(DateTimeOffset at) =>
        new(Guid.NewGuid(), at, 12, 40, 0, 0, "completed", "schedule", [], "engine", 0, 0, null);

    public void Dispose() => _dir.Delete(recursive: true);
}
