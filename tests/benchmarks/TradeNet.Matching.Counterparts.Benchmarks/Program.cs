using System.Diagnostics;
using System.Globalization;
using TradeNet.Contracts;
using TradeNet.Matching.Benchmarks;
using TradeNet.Matching.Clearing;
using TradeNet.Matching.Domain;
using TradeNet.Matching.Rounds;
using TradeNet.Matching.Storage.Sqlite;
using Engine = TradeNet.Matching.Engine;

namespace TradeNet.Matching.Counterparts.Benchmarks;

/// <summary>
/// The work of one <c>GET /listings/{id}/counterparts</c>, timed in-process step by step on a generated book in a real
/// SQLite store: a book of <c>--listings</c> (BookGenerator over the catalog's categories) of which one town has
/// <c>--town-listings</c>, asked about that town's listing with the most counterparts. Two cases: the town where the
/// generator put it, and the same town 1,000 km away (its listings fit almost nothing, so every candidate is weighed).
/// Prints a markdown table (median, min and max of <c>--runs</c> after one warm-up); no pass/fail.
///   --listings N (20000)  --town-listings N (498)  --runs N (9)  --seed N (1)  --data DIR (/tmp/counterparts-bench)
/// </summary>
internal static class CounterpartsBenchmark
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private const double Detour = 1.3;
    private const int Limit = 50;

    public static async Task<int> Main(string[] args)
    {
        var opts = Options(args);
        int Int(string name, int fallback) => opts.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var (listings, townListings, runs, seed) = (Int("listings", 20000), Int("town-listings", 498), Int("runs", 9), Int("seed", 1));
        var data = opts.GetValueOrDefault("data") ?? "/tmp/counterparts-bench";
        var towns = BookGenerator.LoadTowns(Path.Combine(RepoRoot(), "services/Shared/Data/communes_ara.csv"));

        Console.WriteLine($"Book: {listings} listings, one town with {townListings}, seed {seed}; median (min–max) of {runs} runs, ms");
        Console.WriteLine();
        Console.WriteLine("| case | asked | read book | build book | rule per request (MB) | index, new book (MB) | index, same book | route total before | route total now |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var shape in Enum.GetValues<Shape>())
        {
            var snapshots = Book(towns, listings, townListings, seed, shape);
            Directory.CreateDirectory(data);
            var path = Path.Combine(data, $"{shape}.db".ToLowerInvariant());
            foreach (var file in Directory.GetFiles(data, Path.GetFileName(path) + "*")) File.Delete(file);
            var store = new SqliteMatchingStore(path);
            await using (var session = await store.BeginAsync())
            {
                foreach (var s in snapshots) await session.SaveListingAsync(BookListing.Open(s));
                await session.CommitAsync();
            }
            var asked = Asked(snapshots);
            var samples = new List<Sample>();
            CounterpartIndex? last = null;
            for (var run = 0; run <= runs; run++)
            {
                var (sample, index) = await TimeAsync(store, asked, last);
                last = index;
                if (run > 0) samples.Add(sample);
            }
            Console.WriteLine($"| {Describe(shape)} | {asked.Id} ({asked.Kind} of {asked.Category}) " +
                $"| {Stat(samples, s => s.Read)} | {Stat(samples, s => s.Build)} " +
                $"| {Stat(samples, s => s.Rule)} ({Median(samples.Select(s => s.RuleBytes / 1e6)):0.0}) " +
                $"| {Stat(samples, s => s.Indexed)} ({Median(samples.Select(s => s.IndexedBytes / 1e6)):0.0}) | {Stat(samples, s => s.Reused)} " +
                $"| {Stat(samples, s => s.Read + s.Build + s.Rule)} | {Stat(samples, s => s.Read + s.Build + s.Indexed)} |");
        }
        return 0;
    }

    /// <summary>The big town as the generator made it; the same town 1,000 km away (its listings fit almost nothing, so
    /// every candidate is weighed); or one offer and the rest needs in the book's most listed category, each requiring
    /// what no offer carries (the most pairs that all fail).</summary>
    private enum Shape { Generated, Far, Crafted }

    private static string Describe(Shape shape) => shape switch
    {
        Shape.Generated => "as generated",
        Shape.Far => "town 1,000 km away",
        _ => "needs no offer fits, one category",
    };

    /// <summary>Milliseconds of each step; <see cref="Rule"/> the answer as the route gave it before the index,
    /// <see cref="Indexed"/> a new book indexed and asked (the first ask after a change), <see cref="Reused"/> the index of
    /// the last run checked against this book and asked again (no change in between).</summary>
    private sealed record Sample(double Read, double Build, double Rule, long RuleBytes, double Indexed, long IndexedBytes, double Reused);

    /// <summary>What the route does once it has its turn: read the live book and its holds, build the tradable book,
    /// work out the answer.</summary>
    private static async Task<(Sample, CounterpartIndex)> TimeAsync(SqliteMatchingStore store, ListingSnapshot asked, CounterpartIndex? last)
    {
        var watch = Stopwatch.StartNew();
        var (open, held) = await BookHolds.ReadAsync(store, Now, CancellationToken.None);
        var read = Lap(watch);
        var book = OrderBook.From(open, held, Now).Tradable;
        var self = book.First(e => e.Id == asked.Id);
        var build = Lap(watch);

        var bytes = GC.GetAllocatedBytesForCurrentThread();
        var rule = Clearing.Counterparts.Report(self, book, Detour, Limit);
        var (ruleMs, ruleBytes) = (Lap(watch), GC.GetAllocatedBytesForCurrentThread() - bytes);

        bytes = GC.GetAllocatedBytesForCurrentThread();
        var index = new CounterpartIndex(book, Detour);
        var indexed = index.Report(self, Limit);
        var (indexedMs, indexedBytes) = (Lap(watch), GC.GetAllocatedBytesForCurrentThread() - bytes);

        var reused = last is not null && last.Holds(book, Detour) ? last.Report(self, Limit) : null;
        var reusedMs = Lap(watch);
        if (rule.Fitting != indexed.Fitting || rule.TownSideFitting != indexed.TownSideFitting || reused?.TownSideFitting != (last is null ? null : rule.TownSideFitting))
            throw new InvalidOperationException("The index answered otherwise than the rule.");
        return (new Sample(read, build, ruleMs, ruleBytes, indexedMs, indexedBytes, reusedMs), index);
    }

    private static double Lap(Stopwatch watch)
    {
        var ms = watch.Elapsed.TotalMilliseconds;
        watch.Restart();
        return ms;
    }

    /// <summary>The generated book plus one town of <paramref name="townListings"/> (generated alone, so its offers are
    /// its three specialties and its needs the other goods, as every town's).</summary>
    private static List<ListingSnapshot> Book(IReadOnlyList<BookGenerator.Town> towns, int listings, int townListings, int seed, Shape shape)
    {
        var rest = BookGenerator.Generate(towns, listings - townListings, (listings - townListings) * 3 / 40, seed,
            categories: BookGenerator.CatalogCategories);
        var big = BookGenerator.Generate(towns, townListings, 1, seed + 1, categories: BookGenerator.CatalogCategories);
        var bigTown = big.Towns[0] with { Id = "big-town" };
        if (shape == Shape.Far) bigTown = bigTown with { Lat = bigTown.Lat - 9 };
        var bigListings = big.Listings.Select((l, i) => l with { Id = $"big-{i:D3}", Town = bigTown.Id }).ToList();
        if (shape == Shape.Crafted)
        {
            var most = rest.Listings.GroupBy(l => l.Category).MaxBy(g => g.Count())!.Key;
            bigListings = bigListings.Select((l, i) => i == 0
                ? l with { Kind = Engine.ListingKind.Offer, Category = most, Requires = null, MaxDistanceKm = null }
                : l with { Kind = Engine.ListingKind.Need, Category = most, Attributes = null, Requires = ["hand-signed"] }).ToList();
        }
        var categories = BookGenerator.CatalogCategories.ToDictionary(c => c.Id);
        var byId = rest.Towns.ToDictionary(t => t.Id);
        return
        [
            .. rest.Listings.Select(l => Snapshot(l, byId[l.Town], categories[l.Category])),
            .. bigListings.Select(l => Snapshot(l, bigTown, categories[l.Category])),
        ];
    }

    private static ListingSnapshot Snapshot(Engine.Listing l, Engine.Town town, Engine.Category category) =>
        new(l.Id, l.Town, l.Kind == Engine.ListingKind.Offer ? "offer" : "need", l.Category, category.Unit, category.Value, 1,
            l.Quantity, l.Quantity, l.MinLot, [.. l.Attributes ?? []], [.. l.Requires ?? []], l.MaxDistanceKm, l.AvailableFrom,
            l.AvailableUntil, town.Lat, town.Lon, 1);

    /// <summary>The big town's listing with the most listings of the other kind in its category.</summary>
    private static ListingSnapshot Asked(List<ListingSnapshot> book) =>
        book.Where(l => l.TownId == "big-town")
            .OrderByDescending(l => book.Count(o => o.Category == l.Category && o.Kind != l.Kind)).ThenBy(l => l.Id, StringComparer.Ordinal)
            .First();

    private static string Stat(List<Sample> samples, Func<Sample, double> of)
    {
        var values = samples.Select(of).ToList();
        return string.Create(CultureInfo.InvariantCulture, $"{Median(values):0.0} ({values.Min():0.0}–{values.Max():0.0})");
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static Dictionary<string, string> Options(string[] args)
    {
        var opts = new Dictionary<string, string>();
        for (var i = 0; i + 1 < args.Length; i += 2) opts[args[i].TrimStart('-')] = args[i + 1];
        return opts;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "TradeNet.sln"))) return dir.FullName;
        throw new InvalidOperationException("TradeNet.sln not found above " + AppContext.BaseDirectory);
    }
}
