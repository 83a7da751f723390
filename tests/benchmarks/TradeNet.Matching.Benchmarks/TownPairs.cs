using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Data.Sqlite;
using TradeNet.Contracts;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Storage;
using TradeNet.Matching.Storage.Sqlite;

namespace TradeNet.Matching.Benchmarks;

/// <summary>
/// <c>--only town-pairs [--trades N] [--every K]</c>: a town's trades with a second town (<c>GET /trades?town=</c> from a
/// town) on a SQLite file seeded through the store: N two-town trades of one busy town, 1 in K of them with the town asked
/// about and the others with 149 other towns, 90% cancelled and 10% proposed. Times a page of 200, median of 15: the query
/// before 2026-12-06 (the first town's rows of the status, the second town looked up in each; its SQL kept here) against
/// the store's, which reads the pair's own rows (<c>trade_town_pairs</c>).
/// </summary>
internal static class TownPairs
{
    private const string Before = """
        SELECT t.doc, t.version, t.agreed_at FROM trade_towns tt CROSS JOIN trades t ON t.id = tt.trade_id
        WHERE tt.town_id = $town0 AND EXISTS (SELECT 1 FROM trade_towns w1 WHERE w1.trade_id = t.id AND w1.town_id = $town1)
        {0} ORDER BY tt.created_at DESC, tt.trade_id LIMIT 200
        """;

    public static void Run(Dictionary<string, string> opts)
    {
        var (trades, every) = (opts.Int("trades", 60_000), opts.Int("every", 150));
        var dir = Path.Combine(Path.GetTempPath(), $"tradenet-town-pairs-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var path = Path.Combine(dir, "matching.db");
            var store = new SqliteMatchingStore(path);
            var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            SeedAsync(store, new Random(opts.Int("seed", 1)), now, trades, every).GetAwaiter().GetResult();

            using var connection = new SqliteConnection($"Data Source={path}");
            connection.Open();
            double BeforeMs(string? status) => ReadTimings.MedianMs(() =>
            {
                using var command = connection.CreateCommand();
                command.CommandText = string.Format(CultureInfo.InvariantCulture, Before, status is null ? "" : "AND tt.status = $status");
                command.Parameters.AddWithValue("$town0", "busy");
                command.Parameters.AddWithValue("$town1", "rare");
                if (status is not null) command.Parameters.AddWithValue("$status", status);
                return ReadAsync(command);
            });
            double NowMs(TradeStatus? status) =>
                ReadTimings.MedianMs(() => store.TradesAsync(new TradeQuery("busy", status, 200, WithTown: "rare")));

            Console.WriteLine($"## A town's trades with another: {trades:N0} trades of one town, 1 in {every} with the other (page of 200, median of 15, ms)");
            Console.WriteLine();
            Console.WriteLine("| status | first town's rows, second looked up (before) | the pair's rows (now) |");
            Console.WriteLine("|---|---|---|");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| cancelled | {BeforeMs("cancelled"):F1} | {NowMs(TradeStatus.Cancelled):F1} |"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| proposed | {BeforeMs("proposed"):F1} | {NowMs(TradeStatus.Proposed):F1} |"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| any | {BeforeMs(null):F1} | {NowMs(null):F1} |"));

            // The file as the release before left it (no pairs, no pair indexes), opened again: the upgrade fills the pairs once.
            using (var strip = connection.CreateCommand())
            {
                strip.CommandText = "DELETE FROM trade_town_pairs; DROP INDEX ix_trade_town_pairs_status_created; DROP INDEX ix_trade_town_pairs_created;";
                strip.ExecuteNonQuery();
            }
            var upgrade = Stopwatch.StartNew();
            _ = new SqliteMatchingStore(path);
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"upgrade of a file without the pairs: {upgrade.Elapsed.TotalSeconds:F2} s for {trades:N0} trades"));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Each row's trade as the store reads it (its JSON options), so both sides pay the same for their page.</summary>
    private static async Task<List<Trade>> ReadAsync(SqliteCommand command)
    {
        var trades = new List<Trade>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) trades.Add(JsonSerializer.Deserialize<Trade>(reader.GetString(0), Json)!);
        return trades;
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private static async Task SeedAsync(IMatchingStore store, Random random, DateTimeOffset now, int trades, int every)
    {
        await using var session = await store.BeginAsync();
        for (var i = 0; i < trades; i++)
        {
            var other = i % every == 0 ? "rare" : $"t{random.Next(149)}";
            var status = random.Next(10) == 0 ? TradeStatus.Proposed : TradeStatus.Cancelled;
            await session.InsertTradeAsync(Swap("busy", other, now.AddSeconds(-i)) with { Status = status });
        }
        await session.CommitAsync();
    }

    private static Trade Swap(string a, string b, DateTimeOffset at)
    {
        TradeLegState Leg(int index, string from, string to) => new(new TradeLeg(index, from, to, $"{from}-o", $"{to}-n", "cheese", 1, 12, 1,
            new TradePoint(46, 4), new TradePoint(46, 4), null, null), OfferVersion: 1, NeedVersion: 1);
        return new Trade(Guid.NewGuid(), Guid.NewGuid(), TradeStatus.Proposed, [Leg(0, a, b), Leg(1, b, a)], at.AddDays(1), at);
    }
}
