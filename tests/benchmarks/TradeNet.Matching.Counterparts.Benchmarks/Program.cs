using System.Diagnostics;
using System.Globalization;
using TradeNet.Contracts;
using TradeNet.Matching.Api;
using TradeNet.Matching.Benchmarks;
using TradeNet.Matching.Clearing;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Rounds;
using TradeNet.Matching.Storage.Sqlite;
using Engine = TradeNet.Matching.Engine;

namespace TradeNet.Matching.Counterparts.Benchmarks;

/// <summary>
/// The work of one <c>GET /listings/{id}/counterparts</c> once it has its turn, timed in-process on a generated book in a
/// real SQLite store: a book of <c>--listings</c> (BookGenerator over the catalog's categories) of which one town has
/// <c>--town-listings</c>, asked about that town's listing with the most candidates (listings of the other kind in its
/// category: the most the rule weighs), in three shapes (<see cref="Shape"/>).
/// Per shape: the path before the route kept its book (a store opened afresh, so the whole book is parsed, and the rule
/// <see cref="Clearing.Counterparts.Report"/>); the route's <see cref="CounterpartBooks"/> with a listing saved before
/// each request; and with the book unchanged. Prints a markdown table (docs/benchmarks.md); no pass/fail.
///   --listings N (20000)  --town-listings N (498)  --runs N (9)  --seed N (1)  --data DIR (/tmp/counterparts-bench)
/// </summary>
internal static class CounterpartsBenchmark
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private const double Detour = 1.3;
    private const int Limit = 50;

    public static async Task<int> Main(string[] args)
    {
        if (BenchmarkArgs.WantsHelp(args))
        {
            Console.WriteLine(CounterpartsArgs.Usage);
            return 0;
        }
        Dictionary<string, string> opts;
        try
        {
            opts = CounterpartsArgs.Parse(args);
        }
        catch (ArgumentException e)
        {
            // One line and exit code 2, as the other benchmarks refuse a command line.
            Console.Error.WriteLine($"error: {e.Message} (--help for the usage)");
            return 2;
        }
        int Int(string name, int fallback) => opts.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var (listings, townListings, runs, seed) = (Int("listings", 20000), Int("town-listings", 498), Int("runs", 9), Int("seed", 1));
        var data = opts.GetValueOrDefault("data") ?? "/tmp/counterparts-bench";
        var towns = BookGenerator.LoadTowns(Path.Combine(RepoRoot(), "services/Shared/Data/communes_ara.csv"));

        Console.WriteLine($"Book: {listings} listings, one town with {townListings}, seed {seed}; per request: wall ms, median (min–max) " +
            $"of {runs} runs after one warm-up, and CPU ms of the process, mean of the runs");
        Console.WriteLine();
        Console.WriteLine("| case | asked | rule, store opened afresh (as before) | kept book, one listing changed before each request | kept book, unchanged |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var shape in Enum.GetValues<Shape>())
        {
            var snapshots = CounterpartsBook.Build(towns, listings, townListings, seed, shape);
            Directory.CreateDirectory(data);
            var path = Path.Combine(data, $"{shape}.db".ToLowerInvariant());
            foreach (var file in Directory.GetFiles(data, Path.GetFileName(path) + "*")) File.Delete(file);
            var store = new SqliteMatchingStore(path);
            await SaveAsync(store, snapshots);
            var asked = CounterpartsBook.Asked(snapshots);
            var changing = snapshots.First(l => l.TownId != asked.TownId);

            // Before: every read parsed the whole book (a store opened afresh has parsed nothing) and the rule answered.
            var before = await RunAsync(runs, asked.Id, () => Task.FromResult(new SqliteMatchingStore(path)),
                (book, self) => Clearing.Counterparts.Report(self, book, Detour, Limit));
            // Now, the worst: a listing saved since the last request, so what was saved since is read, and the book built anew.
            var books = new CounterpartBooks();
            var version = changing.Version;
            var changed = await RunAsync(runs, asked.Id, async () =>
            {
                await SaveAsync(store, [changing with { Version = ++version, Remaining = changing.Remaining - version % 2 }]);
                return store;
            }, books);
            // Now, the book unchanged since the last request (a town asking about its listings in turn).
            var unchanged = await RunAsync(runs, asked.Id, () => Task.FromResult(store), books);
            Console.WriteLine($"| {Describe(shape)} | {asked.Id} ({asked.Kind} of {asked.Category}) | {before} | {changed} | {unchanged} |");
        }
        return 0;
    }

    private static string Describe(Shape shape) => shape switch
    {
        Shape.Generated => "as generated",
        Shape.Far => "town 1,000 km away",
        _ => "needs no offer fits, one category",
    };

    /// <summary>Now: the route's own <see cref="CounterpartBooks"/> (read per book version, built per book and holds).</summary>
    private static async Task<string> RunAsync(int runs, string asked, Func<Task<SqliteMatchingStore>> prepare, CounterpartBooks books) =>
        await RunAsync(runs, asked, prepare, async store =>
        {
            var (_, book) = await books.ReadAsync(store, Now, CancellationToken.None);
            return Clearing.Counterparts.Report(book.First(e => e.Id == asked), book, Detour, Limit);
        });

    /// <summary>Before: the live book read and built, and the rule asked, every time.</summary>
    private static async Task<string> RunAsync(int runs, string asked, Func<Task<SqliteMatchingStore>> prepare,
        Func<IReadOnlyList<BookEntry>, BookEntry, CounterpartReport> answer) =>
        await RunAsync(runs, asked, prepare, async store =>
        {
            var (open, held) = await BookHolds.ReadAsync(store, Now, CancellationToken.None);
            var book = OrderBook.From(open, held, Now).Tradable;
            return answer(book, book.First(e => e.Id == asked));
        });

    /// <summary>What the route does once it has its turn, <paramref name="runs"/> times after one warm-up: read the live
    /// book and its holds, build the tradable book, answer. <paramref name="prepare"/> (not timed) gives the store.</summary>
    private static async Task<string> RunAsync(int runs, string asked, Func<Task<SqliteMatchingStore>> prepare,
        Func<SqliteMatchingStore, Task<CounterpartReport>> request)
    {
        var walls = new List<double>();
        var cpu = TimeSpan.Zero;
        for (var run = 0; run <= runs; run++)
        {
            var store = await prepare();
            var (cpuBefore, watch) = (Environment.CpuUsage.TotalTime, Stopwatch.StartNew());
            var report = await request(store);
            var wall = watch.Elapsed.TotalMilliseconds;
            var used = Environment.CpuUsage.TotalTime - cpuBefore;
            GC.KeepAlive(report);
            if (run == 0) continue;
            walls.Add(wall);
            cpu += used;
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"{Median(walls):0.0} ({walls.Min():0.0}–{walls.Max():0.0}), CPU {cpu.TotalMilliseconds / runs:0.0}");
    }

    private static async Task SaveAsync(SqliteMatchingStore store, IEnumerable<ListingSnapshot> listings)
    {
        await using var session = await store.BeginAsync();
        foreach (var s in listings) await session.SaveListingAsync(BookListing.Open(s));
        await session.CommitAsync();
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "TradeNet.sln"))) return dir.FullName;
        throw new InvalidOperationException("TradeNet.sln not found above " + AppContext.BaseDirectory);
    }
}
