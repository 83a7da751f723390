using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TradeNet.Matching.Api;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Storage.Sqlite;

namespace TradeNet.Matching.Benchmarks;

/// <summary>
/// <c>--only rounds-list [--rounds N] [--trades T]</c>: the size of <c>GET /rounds?limit=N</c>'s answer and what reading and
/// writing it costs. Seeds a SQLite matching file through the store with N rounds of T trade ids each (a soak's rounds
/// proposed 3,400–4,860 trades), then serialises the list as the host does (web defaults) in both shapes: every round with
/// its trade ids (the list before 2026-12-06, and still <c>GET /rounds/{id}</c>'s one round) and the summaries the list
/// answers now. Times are the store's read and the serialisation, median of 15.
/// </summary>
internal static class RoundsList
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static void Run(Dictionary<string, string> opts)
    {
        var (rounds, trades) = (opts.Int("rounds", 10), opts.Int("trades", 4_000));
        var dir = Path.Combine(Path.GetTempPath(), $"tradenet-rounds-list-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var store = new SqliteMatchingStore(Path.Combine(dir, "matching.db"));
            SeedAsync(store, rounds, trades).GetAwaiter().GetResult();

            var withIds = Measure(async () => JsonSerializer.SerializeToUtf8Bytes(
                (await store.RoundsAsync(rounds)).Select(RoundView.From).ToArray(), Web));
            var summaries = Measure(async () => JsonSerializer.SerializeToUtf8Bytes(
                (await store.RoundsAsync(rounds)).Select(RoundSummaryView.From).ToArray(), Web));
            Console.WriteLine($"## GET /rounds?limit={rounds}: {rounds} rounds of {trades:N0} trades (median of 15)");
            Console.WriteLine();
            Console.WriteLine("| answer | bytes | read + serialise, ms |");
            Console.WriteLine("|---|---|---|");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| every round with its trade ids (before) | {withIds.Bytes:N0} | {withIds.Ms:F1} |"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| summaries (now) | {summaries.Bytes:N0} | {summaries.Ms:F1} |"));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task SeedAsync(SqliteMatchingStore store, int rounds, int trades)
    {
        var start = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()).AddHours(-rounds);
        await using var session = await store.BeginAsync();
        for (var i = 0; i < rounds; i++)
        {
            var quality = new RoundQuality(1_250_000, 0.06, "feasible", 180_000,
                new Dictionary<string, int> { ["2"] = trades / 2, ["3"] = trades - trades / 2 }, "engine", 0, null);
            await session.InsertRoundAsync(new ClearingRound(Guid.NewGuid(), start.AddHours(i), 25_000, 4_300, trades, 1_180_000,
                "completed", "schedule", Enumerable.Range(0, trades).Select(_ => Guid.NewGuid()).ToList(), "engine", 60_000, 9_000,
                1_250_000, quality));
        }
        await session.CommitAsync();
    }

    private static (int Bytes, double Ms) Measure(Func<Task<byte[]>> answer)
    {
        var times = new List<double>();
        var bytes = 0;
        for (var i = 0; i < 15; i++)
        {
            var watch = Stopwatch.StartNew();
            bytes = answer().GetAwaiter().GetResult().Length;
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return (bytes, times[7]);
    }
}
