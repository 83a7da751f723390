using System.Diagnostics;
using Microsoft.Data.Sqlite;
using TradeNet.Contracts;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Storage.Sqlite;
using TradeNet.Matching.Trades;
using TradeNet.Shared.Storage;
using TradeNet.Shared.Storage.Sqlite;

namespace TradeNet.Matching.Benchmarks;

/// <summary>
/// <c>--only retention [--trades N] [--kept K] [--recent R] [--dir D] [--seed S] [--batch B]</c>: seeds a SQLite matching file through the
/// store with N proposals cancelled 39–45 days ago without being agreed, R cancelled yesterday and K trades the retention keeps
/// (agreed, completed, agreed then cancelled), on 300 towns; then sweeps as <see cref="UnagreedTradeRetention"/> does with a
/// 7-day retention (<c>--batch</c> trades per write, its own by default) and prints how long it took, the rows deleted per second and each batch's write time (how long the
/// service's own writers wait behind one). A second sweep at once shows the cost of a sweep with nothing to delete.
/// </summary>
internal static class Retention
{
    public static void Run(Dictionary<string, string> opts)
    {
        var (cancelled, kept, recent) = (opts.Int("trades", 200_000), opts.Int("kept", 40_000), opts.Int("recent", 10_000));
        var dir = opts.GetValueOrDefault("dir") ?? Path.Combine(Path.GetTempPath(), $"tradenet-retention-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "matching.db");
        var random = new Random(opts.Int("seed", 1));
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

        // A file seeded before (--seed-only, then copied) is swept as it is: the recent cancellations stay inside the 7 days
        // for 6 days after its seeding.
        var store = new SqliteMatchingStore(path);
        if (!File.Exists(path + ".seeded"))
        {
            var seed = Stopwatch.StartNew();
            SeedAsync(store, random, now, cancelled, kept, recent).GetAwaiter().GetResult();
            File.WriteAllText(path + ".seeded", now.ToString("O"));
            Console.WriteLine($"seeded {cancelled:N0} + {recent:N0} cancelled proposals and {kept:N0} kept trades in {seed.Elapsed.TotalSeconds:F0} s");
        }
        Console.WriteLine($"before: {Size(path)}, {Rows(path)} ({path})");
        if (opts.ContainsKey("seed-only")) return;

        // The service's sweep (RetentionSweep: Batches.DeleteUntilShortAsync over the store's delete), each batch timed.
        var batch = opts.Int("batch", UnagreedTradeRetention.BatchSize);
        var before = now - TimeSpan.FromDays(7);
        var batches = new List<double>();
        async Task<int> TimedBatch(int max, CancellationToken ct)
        {
            var one = Stopwatch.StartNew();
            var n = await store.ForgetUnagreedTradesAsync(before, max, ct);
            batches.Add(one.Elapsed.TotalMilliseconds);
            return n;
        }
        var sweep = Stopwatch.StartNew();
        var deleted = Batches.DeleteUntilShortAsync(TimedBatch, batch, CancellationToken.None).GetAwaiter().GetResult();
        sweep.Stop();
        var ordered = batches.Order().ToList();
        Console.WriteLine($"sweep (batches of {batch:N0}): {deleted:N0} trades deleted in {sweep.Elapsed.TotalSeconds:F1} s = {deleted / sweep.Elapsed.TotalSeconds:N0} trades/s; " +
                          $"{batches.Count} batches, a batch's write median {ordered[ordered.Count / 2]:F0} ms, max {ordered[^1]:F0} ms");
        var idle = Stopwatch.StartNew();
        var again = Batches.DeleteUntilShortAsync((max, ct) => store.ForgetUnagreedTradesAsync(before, max, ct), batch, CancellationToken.None)
            .GetAwaiter().GetResult();
        Console.WriteLine($"next sweep: {again} deleted in {idle.Elapsed.TotalMilliseconds:F1} ms");
        Console.WriteLine($"after: {Size(path)}, {Rows(path)}");
        SqliteDatabase.ClearPool(path);
        if (!opts.ContainsKey("dir")) Directory.Delete(dir, recursive: true);
    }

    private static async Task SeedAsync(SqliteMatchingStore store, Random random, DateTimeOffset now, int cancelled, int kept, int recent)
    {
        // Each kind in turn, a thousand trades per write: proposals inserted, then changed as the service changes them.
        var kinds = Enumerable.Repeat(0, cancelled).Concat(Enumerable.Repeat(1, recent)).Concat(Enumerable.Repeat(2, kept)).ToArray();
        random.Shuffle(kinds);
        foreach (var chunk in kinds.Chunk(1_000))
        {
            await using var session = await store.BeginAsync();
            foreach (var kind in chunk)
            {
                var created = now.AddDays(kind == 1 ? -2 : -40).AddMinutes(-random.Next(0, 60 * 24 * 5));
                var trade = Proposal(random, created);
                await session.InsertTradeAsync(trade);
                var changed = kind switch
                {
                    0 => trade.Cancel("listing l1 withdrawn", created.AddHours(random.Next(1, 24))),
                    1 => trade.Cancel("expired", now.AddDays(-1)),
                    _ => random.Next(3) switch
                    {
                        0 => TradeWrites.Agreed(Accepted(trade, created.AddHours(1)), created.AddHours(2)),
                        1 => TradeWrites.Agreed(Accepted(trade, created.AddHours(1)), created.AddHours(2)) with { Status = TradeStatus.Completed },
                        _ => TradeWrites.Agreed(Accepted(trade, created.AddHours(1)), created.AddHours(2)).Cancel("cancelled by operator ops", created.AddDays(1)),
                    },
                };
                if (!await session.UpdateTradeAsync(changed)) throw new InvalidOperationException("seeding raced itself");
            }
            await session.CommitAsync();
        }
    }

    private static Trade Accepted(Trade t, DateTimeOffset at) =>
        t.Legs.Aggregate(t, (x, l) => x.WithLeg(l.Leg.Index, s => s with { Response = LegResponse.Accepted, AnsweredAt = at }));

    /// <summary>A two-town swap (one in five a three-town cycle) between random towns of 300 with 30,000 listings.</summary>
    private static Trade Proposal(Random random, DateTimeOffset created)
    {
        var towns = Enumerable.Range(0, random.Next(5) == 0 ? 3 : 2).Select(_ => $"town-{random.Next(300):D3}").Distinct().ToArray();
        if (towns.Length < 2) towns = [towns[0], "town-300"];
        var legs = towns.Select((from, i) => new TradeLegState(new TradeLeg(i, from, towns[(i + 1) % towns.Length],
            $"listing-{random.Next(30_000):D5}", $"listing-{random.Next(30_000):D5}", "cheese", 4.5, 54, 4.95,
            new TradePoint(45 + random.NextDouble(), 4 + random.NextDouble()), new TradePoint(45 + random.NextDouble(), 4 + random.NextDouble()),
            null, created.AddDays(14)), OfferVersion: 3, NeedVersion: 7)).ToList();
        return new Trade(Guid.NewGuid(), Guid.NewGuid(), TradeStatus.Proposed, legs, created.AddDays(1), created,
            TraceParent: $"00-{Guid.NewGuid():N}-{random.NextInt64():x16}-01");
    }

    private static string Size(string path)
    {
        var wal = path + "-wal";
        return $"{new FileInfo(path).Length / 1e6:F0} MB (+{(File.Exists(wal) ? new FileInfo(wal).Length / 1e6 : 0):F0} MB WAL)";
    }

    private static string Rows(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT COUNT(*) FROM trades), (SELECT COUNT(*) FROM trade_towns), (SELECT COUNT(*) FROM trade_listings), " +
                              "(SELECT freelist_count FROM pragma_freelist_count), (SELECT page_size FROM pragma_page_size)";
        using var reader = command.ExecuteReader();
        reader.Read();
        return $"{reader.GetInt64(0):N0} trades, {reader.GetInt64(1):N0} trade_towns rows, {reader.GetInt64(2):N0} trade_listings rows, " +
               $"{reader.GetInt64(3) * reader.GetInt64(4) / 1e6:F0} MB free for reuse";
    }
}
